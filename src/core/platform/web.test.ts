import 'reflect-metadata'
import { describe, expect, it } from 'vitest'
import { deflateRawSync, deflateSync } from 'node:zlib'
import { generateKeyPairSync, sign as nodeSign, constants, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { nodePlatform } from './node.js'
import { webPlatform } from './web.js'

// The browser platform runs here on Node's own WebCrypto and DecompressionStream, and must read
// certificates exactly as the node platform does.
x509.cryptoProvider.set(webcrypto as unknown as Crypto)

async function makeCertificate(alg: 'ES256' | 'PS256'): Promise<Uint8Array> {
  const algorithm =
    alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b2c',
    name: 'C=VN, O=Ministry of Health, CN=DSC test',
    notBefore: new Date('2022-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    keys: keys as CryptoKeyPair,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.ExtendedKeyUsageExtension([
        '1.3.6.1.4.1.1847.2021.1.2',
        '1.3.6.1.4.1.0.1847.2021.1.1',
      ]),
    ],
  })
  return new Uint8Array(cert.rawData)
}

describe('webPlatform', () => {
  it('parses a certificate exactly as the node platform does', async () => {
    for (const alg of ['ES256', 'PS256'] as const) {
      const der = await makeCertificate(alg)
      const web = webPlatform.parseCertificate(der)
      const node = nodePlatform.parseCertificate(der)
      expect(web.notBefore.toISOString()).toBe(node.notBefore.toISOString())
      expect(web.notAfter.toISOString()).toBe(node.notAfter.toISOString())
      expect([...web.extendedKeyUsage].sort()).toEqual([...node.extendedKeyUsage].sort())
      expect(web.extendedKeyUsage).toContain('1.3.6.1.4.1.0.1847.2021.1.1')
      expect(Buffer.from(web.spki)).toEqual(Buffer.from(node.spki))
      expect(web.serialNumber).toBe(node.serialNumber.toUpperCase())
      expect(web.subject).toContain('CN=DSC test')
      expect(web.subject).toContain('C=VN')
    }
  })

  it('refuses bytes that are not a certificate with ERR_DSC_PARSE', () => {
    expect(() => webPlatform.parseCertificate(new Uint8Array([0x30, 0x82, 0xff, 0xff, 1]))).toThrow(
      expect.objectContaining({ code: 'ERR_DSC_PARSE' }),
    )
    expect(() => webPlatform.parseCertificate(new Uint8Array([]))).toThrow(
      expect.objectContaining({ code: 'ERR_DSC_PARSE' }),
    )
  })

  it('verifies ES256 (raw r||s) and PS256 (salt 32) signatures made by node:crypto', async () => {
    const data = new TextEncoder().encode('Signature1 payload')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const es = nodeSign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' })
    const ecKey = await webPlatform.importPublicKey(
      new Uint8Array(ec.publicKey.export({ type: 'spki', format: 'der' })),
    )
    expect(ecKey.type).toBe('EC')
    expect(await webPlatform.verifySignature('ES256', ecKey, data, es)).toBe(true)
    const tampered = Uint8Array.from(es)
    tampered[10] = (tampered[10] as number) ^ 1
    expect(await webPlatform.verifySignature('ES256', ecKey, data, tampered)).toBe(false)
    expect(await webPlatform.verifySignature('PS256', ecKey, data, es)).toBe(false)

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const ps = nodeSign('sha256', data, {
      key: rsa.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    })
    const rsaKey = await webPlatform.importPublicKey(
      new Uint8Array(rsa.publicKey.export({ type: 'spki', format: 'der' })),
    )
    expect(await webPlatform.verifySignature('PS256', rsaKey, data, ps)).toBe(true)
    expect(await webPlatform.verifySignature('PS256', rsaKey, data.subarray(1), ps)).toBe(false)
  })

  it('inflates zlib and raw deflate, and stops past the output limit', async () => {
    const text = new TextEncoder().encode('x'.repeat(10_000))
    const z = await webPlatform.inflate(new Uint8Array(deflateSync(text)), {
      maxOutputLength: 20_000,
    })
    expect(z.length).toBe(10_000)
    const raw = await webPlatform.inflateRaw(new Uint8Array(deflateRawSync(text)), {
      maxOutputLength: 20_000,
    })
    expect(raw.length).toBe(10_000)
    const bomb = new Uint8Array(deflateSync(new Uint8Array(50_000_000)))
    await expect(webPlatform.inflate(bomb, { maxOutputLength: 1_000_000 })).rejects.toThrow(
      RangeError,
    )
    await expect(
      webPlatform.inflate(new Uint8Array([1, 2, 3, 4]), { maxOutputLength: 1000 }),
    ).rejects.toThrow()
  })
})
