import { deflateSync } from 'node:zlib'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { makeTestDsc, sampleDcc, type TestDsc } from '../../../test/conformance/support/make-test-dsc.js'
import { encodeBase45 } from '../base45/base45.js'
import { encodeCbor } from '../cbor/cbor.js'
import { signCoseSign1 } from '../cose/cose-sign1.js'
import { encodeCwtClaims } from '../cwt/cwt-claims.js'
import { signHc1 } from '../hc1/hc1.js'
import { TrustStore } from '../trust/trust-store.js'
import type { VerificationReport } from './report.js'
import { verify } from './verify.js'

const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')
const now = new Date('2022-06-01T00:00:00Z')

const failed = (r: VerificationReport) =>
  Object.fromEntries(r.checks.filter((c) => !c.ok && c.skipped !== true).map((c) => [c.id, c.code]))
const hc1Of = (cose: Uint8Array) => `HC1:${encodeBase45(deflateSync(cose))}`

describe('verify (EU DCC)', () => {
  let es: TestDsc
  it('accepts a valid pass and fills the report', async () => {
    es = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
    const r = await verify(signHc1(sampleDcc(), { signer: es.signer, issuer: 'VN', iat, exp }), {
      trust: new TrustStore([es.dsc]),
      now,
    })
    expect(r.valid).toBe(true)
    expect(r.format).toBe('EU_DCC')
    expect(r.checks.map((c) => c.id)).toEqual([
      'prefix', 'base45', 'zlib', 'cose', 'cwt', 'schema', 'kid', 'signature', 'keyUsage', 'validity',
    ])
    expect(r.holder?.familyName).toBe('Nguyễn')
    expect(r.events?.[0]?.doseNumber).toBe(2)
    expect(r.issuer?.country).toBe('VN')
    expect(r.validity).toEqual({ issuedAt: iat.toISOString(), expiresAt: exp.toISOString() })
    expect(r.headers?.['alg']).toBe('ES256')
    expect(r.headers?.['kid']).toBe(es.dsc.kidBase64)
  })

  it('applies the validity window: before iat, after exp, outside the DSC', async () => {
    const trust = new TrustStore([es.dsc])
    const hc1 = signHc1(sampleDcc(), { signer: es.signer, issuer: 'VN', iat, exp })
    expect(failed(await verify(hc1, { trust, now: new Date('2021-12-31T00:00:00Z') }))).toEqual({
      validity: 'ERR_CWT_NOT_YET_VALID',
    })
    expect(failed(await verify(hc1, { trust, now: new Date('2023-01-02T00:00:00Z') }))).toEqual({
      validity: 'ERR_CERT_EXPIRED',
    })
    const late = signHc1(sampleDcc(), { signer: es.signer, issuer: 'VN', iat, exp: new Date('2032-01-01T00:00:00Z') })
    expect(failed(await verify(late, { trust, now }))).toEqual({ validity: 'ERR_DSC_VALIDITY' })
  })

  it('tries every DSC sharing a kid, and fails unknown kids and wrong keys', async () => {
    const impostor = await makeTestDsc({ alg: 'ES256' })
    const hc1 = signHc1(sampleDcc(), { signer: es.signer, issuer: 'VN', iat, exp })
    const shared = new TrustStore()
    shared.add(impostor.dsc, es.dsc.kidBase64)
    shared.add(es.dsc)
    expect((await verify(hc1, { trust: shared, now })).valid).toBe(true)
    const wrong = new TrustStore()
    wrong.add(impostor.dsc, es.dsc.kidBase64)
    expect(failed(await verify(hc1, { trust: wrong, now }))).toEqual({ signature: 'ERR_COSE_SIGNATURE' })
    expect(failed(await verify(hc1, { trust: new TrustStore(), now }))).toEqual({ kid: 'ERR_DSC_UNKNOWN_KID' })
  })

  it('gives each report the passing texts of its own pass; shared check objects are frozen', async () => {
    const other = await makeTestDsc({ alg: 'ES256' })
    const v10 = { ...sampleDcc(), ver: '1.0.0' }
    const mine = signHc1(sampleDcc(), { signer: es.signer, issuer: 'VN', iat, exp })
    const old = signHc1(v10, { signer: es.signer, issuer: 'VN', iat, exp })
    const theirs = signHc1(sampleDcc(), { signer: other.signer, issuer: 'VN', iat, exp })
    const shared = new TrustStore([es.dsc, other.dsc])
    shared.add(other.dsc, es.dsc.kidBase64)
    const one = new TrustStore([es.dsc, other.dsc])
    const text = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id)?.message
    // Alternating passes, versions, kids and DSC counts: each text is that of its own pass.
    for (let round = 0; round < 2; round++) {
      const a = await verify(mine, { trust: one, now })
      const b = await verify(old, { trust: shared, now })
      const c = await verify(theirs, { trust: one, now })
      expect(text(a, 'schema')).toBe('DCC 1.3.0 valid')
      expect(text(b, 'schema')).toBe('DCC 1.0.0 valid')
      expect(text(a, 'kid')).toBe(`1 trusted DSC(s) for kid ${es.dsc.kidBase64}`)
      expect(text(b, 'kid')).toBe(`2 trusted DSC(s) for kid ${es.dsc.kidBase64}`)
      expect(text(c, 'kid')).toBe(`1 trusted DSC(s) for kid ${other.dsc.kidBase64}`)
      expect(text(a, 'signature')).toBe('ES256 signature verified')
      expect(text(a, 'keyUsage')).toBe('DSC may sign type v')
      expect(text(c, 'keyUsage')).toBe('DSC may sign type v')
      for (const r of [a, b, c]) {
        expect(r.valid).toBe(true)
        // One report cannot change another's checks.
        for (const check of r.checks) expect(Object.isFrozen(check) || check.id === 'validity').toBe(true)
      }
    }
  })

  it('checks key usage against the certificate type', async () => {
    const rec = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.0.1847.2021.1.3'] })
    const hc1 = signHc1(sampleDcc(), { signer: rec.signer, issuer: 'VN', iat, exp })
    expect(failed(await verify(hc1, { trust: new TrustStore([rec.dsc]), now }))).toEqual({
      keyUsage: 'ERR_DSC_KEY_USAGE',
    })
  })

  it('reports a schema failure but still checks the signature', async () => {
    const bad = { ...sampleDcc(), v: undefined, r: undefined }
    const r = await verify(signHc1(bad, { signer: es.signer, issuer: 'VN', iat, exp }), {
      trust: new TrustStore([es.dsc]),
      now,
    })
    expect(r.valid).toBe(false)
    expect(r.checks.find((c) => c.id === 'schema')?.ok).toBe(false)
    expect(r.checks.find((c) => c.id === 'signature')?.ok).toBe(true)
  })

  describe('bad input gets a report with a stable code, never an exception', () => {
    const trust = new TrustStore()
    const cases: Array<[string, () => string | Uint8Array, string]> = [
      ['empty string', () => '', 'ERR_INPUT_EMPTY'],
      ['empty bytes', () => new Uint8Array(), 'ERR_INPUT_EMPTY'],
      ['2 MB input', () => `HC1:${'A'.repeat(2 * 1024 * 1024)}`, 'ERR_INPUT_TOO_LARGE'],
      ['2 MB bytes', () => new Uint8Array(2 * 1024 * 1024).fill(0x41), 'ERR_INPUT_TOO_LARGE'],
      ['not a pass', () => 'hello world', 'ERR_INPUT_FORMAT'],
      ['wrong context', () => 'HC2:NCF', 'ERR_HC1_PREFIX'],
      ['bad base45', () => 'HC1:NCF%%a', 'ERR_BASE45'],
      ['not compressed', () => `HC1:${encodeBase45(new Uint8Array([0xd2, 0x84]))}`, 'ERR_ZLIB'],
      ['zip bomb', () => `HC1:${encodeBase45(deflateSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 }))}`, 'ERR_ZLIB_TOO_LARGE'],
      ['CBOR nested 10,000 deep', () => hc1Of(new Uint8Array(10_001).fill(0x81)), 'ERR_CBOR_TOO_DEEP'],
      [
        'COSE header claiming 1 GB',
        () => hc1Of(new Uint8Array([0xd2, 0x84, 0x5a, 0x40, 0x00, 0x00, 0x00, 0xa0, 0x40, 0x40])),
        'ERR_CBOR',
      ],
      ['COSE not an array', () => hc1Of(encodeCbor({ a: 1 })), 'ERR_COSE_STRUCTURE'],
      ['CWT not a map', () => hc1Of(signCoseSign1(encodeCbor([1]), es.signer)), 'ERR_CWT_CLAIMS'],
      [
        'CWT without a DCC',
        () => hc1Of(signCoseSign1(encodeCbor(new Map([[1, 'VN']])), es.signer)),
        'ERR_DCC_MISSING',
      ],
    ]
    it.each(cases)('%s', async (_name, make, code) => {
      const r = await verify(make(), { trust, now })
      expect(r.valid).toBe(false)
      expect(r.checks.some((c) => c.code === code)).toBe(true)
    })

    it('a PNG with no code', async () => {
      const png = new PNG({ width: 64, height: 64 })
      png.data.fill(255)
      const r = await verify(new Uint8Array(PNG.sync.write(png)), { trust, now })
      expect(r.valid).toBe(false)
      expect(r.checks[0]?.code).toBe('ERR_QR_NOT_FOUND')
    })

    it('an expired pass names the expiry', async () => {
      const cwt = encodeCwtClaims({ iss: 'VN', iat: 1, exp: 2, dcc: sampleDcc() })
      const r = await verify(hc1Of(signCoseSign1(cwt, es.signer)), { trust: new TrustStore([es.dsc]), now })
      expect(failed(r)).toEqual({ validity: 'ERR_CERT_EXPIRED' })
    })
  })
})
