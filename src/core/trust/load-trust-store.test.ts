import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createCscaCertificate } from '../x509/create-csca-certificate.js'
import { createDscCertificate } from '../x509/create-dsc-certificate.js'
import { generateSigningKeyPair } from '../x509/generate-signing-key-pair.js'
import { loadTrustStore, type RejectedTrustEntry } from './load-trust-store.js'

async function makeCsca(country: string, notBefore: string, notAfter: string) {
  const keys = await generateSigningKeyPair('ES256')
  const cert = await createCscaCertificate({
    keys,
    country,
    commonName: `CSCA ${country}`,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
  })
  return { keys, cert }
}

async function makeDsc(csca: Awaited<ReturnType<typeof makeCsca>>, country: string, notBefore = '2022-01-01T00:00:00Z') {
  const keys = await generateSigningKeyPair('ES256')
  return createDscCertificate({
    publicKey: keys.publicKey,
    issuerCertificate: csca.cert.der,
    issuerPrivateKey: csca.keys.privateKey,
    issuerAlg: 'ES256',
    country,
    commonName: `DSC ${country}`,
    notBefore: new Date(notBefore),
    notAfter: new Date('2024-01-01T00:00:00Z'),
  })
}

function entry(der: Uint8Array, country: string, thumbprint?: string) {
  return {
    kid: createHash('sha256').update(der).digest().subarray(0, 8).toString('base64'),
    country,
    certificateType: 'DSC',
    thumbprint: thumbprint ?? createHash('sha256').update(der).digest('hex'),
    rawData: Buffer.from(der).toString('base64'),
  }
}

describe('loadTrustStore anchored on CSCAs', () => {
  it('keeps the DSCs a trusted CSCA issued and leaves out the others, saying why', async () => {
    const vn = await makeCsca('VN', '2021-01-01T00:00:00Z', '2031-01-01T00:00:00Z')
    const rogue = await makeCsca('VN', '2021-01-01T00:00:00Z', '2031-01-01T00:00:00Z')
    const good = await makeDsc(vn, 'VN')
    const forged = await makeDsc(rogue, 'VN')
    const list = [entry(good.der, 'VN'), entry(forged.der, 'VN')]

    const rejected: RejectedTrustEntry[] = []
    const anchored = await loadTrustStore({ trustList: list, cscas: [vn.cert.pem], onRejected: (r) => rejected.push(r) })
    expect(anchored.size).toBe(1)
    expect(anchored.find(list[0]!.kid)).toHaveLength(1)
    expect(anchored.find(list[1]!.kid)).toHaveLength(0)
    expect(rejected).toEqual([
      { kid: list[1]!.kid, country: 'VN', code: 'ERR_TRUST_CHAIN', message: 'no trusted CSCA issued this DSC' },
    ])

    // Without anchors, both are trusted as listed.
    expect((await loadTrustStore({ trustList: list })).size).toBe(2)
    // The rogue CSCA as a second anchor (DER this time) lets its DSC in.
    expect((await loadTrustStore({ trustList: list, cscas: [vn.cert.pem, rogue.cert.der] })).size).toBe(2)
  })

  it('refuses a DSC issued before its CSCA was valid', async () => {
    const late = await makeCsca('VN', '2023-01-01T00:00:00Z', '2033-01-01T00:00:00Z')
    const early = await makeDsc(late, 'VN', '2022-06-01T00:00:00Z')
    const rejected: RejectedTrustEntry[] = []
    const store = await loadTrustStore({ trustList: [entry(early.der, 'VN')], cscas: [late.cert.der], onRejected: (r) => rejected.push(r) })
    expect(store.size).toBe(0)
    expect(rejected.map((r) => r.code)).toEqual(['ERR_TRUST_CHAIN'])
  })

  it('leaves out an entry whose thumbprint is not its certificate', async () => {
    const vn = await makeCsca('VN', '2021-01-01T00:00:00Z', '2031-01-01T00:00:00Z')
    const a = await makeDsc(vn, 'VN')
    const b = await makeDsc(vn, 'VN')
    const swapped = entry(a.der, 'VN', createHash('sha256').update(b.der).digest('hex').toUpperCase())
    const rejected: RejectedTrustEntry[] = []
    const store = await loadTrustStore({ trustList: [swapped, entry(b.der, 'VN')], onRejected: (r) => rejected.push(r) })
    expect(store.size).toBe(1)
    expect(rejected).toEqual([
      {
        kid: swapped.kid,
        country: 'VN',
        code: 'ERR_TRUST_THUMBPRINT',
        message: 'the listed thumbprint is not the SHA-256 of the certificate',
      },
    ])
  })

  it('refuses a CSCA that is not a certificate', async () => {
    await expect(loadTrustStore({ trustList: [], cscas: ['not a certificate'] })).rejects.toMatchObject({
      code: 'ERR_TRUST_LIST',
    })
  })
})
