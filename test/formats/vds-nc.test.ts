import { beforeAll, describe, expect, it } from 'vitest'
import { canonicalizeJson } from '../../src/core/jcs/canonicalize-json.js'
import { encodeBase64url } from '../../src/core/jws/base64url.js'
import type { PartnerTrustStore } from '../../src/core/partner-trust/partner-trust-store.js'
import { verifyVdsNc, type VerifyVdsNcOptions } from '../../src/core/vds-nc/verify-vds-nc.js'
import { createTestPki, sampleVdsData, signVdsNc, type TestPki } from './support/test-pki.js'

const now = new Date('2022-01-15T00:00:00Z')

function failed(report: {
  checks: readonly { ok: boolean; code: string | null; skipped?: boolean; id: string }[]
}) {
  return report.checks.filter((c) => !c.ok && !c.skipped).map((c) => `${c.id}:${c.code}`)
}

describe.each(['node', 'web'] as const)('ICAO VDS-NC with %s X.509', (engine) => {
  const v = (input: string, opts: Omit<VerifyVdsNcOptions, 'x509'>) =>
    verifyVdsNc(input, { ...opts, x509: engine })
  let au: TestPki
  let other: TestPki
  let trust: PartnerTrustStore
  beforeAll(async () => {
    au = await createTestPki('AU')
    other = await createTestPki('AU')
    trust = {
      countries: [
        {
          country: 'AU',
          formats: ['VDS_NC'],
          cscas: [{ certificate: Buffer.from(au.cscaDer).toString('base64') }],
        },
      ],
    }
  })

  it('a pass signed by a trusted chain is valid and normalised', async () => {
    const report = await v(await signVdsNc(sampleVdsData(), au), { trust, now })
    expect(failed(report)).toEqual([])
    expect(report.valid).toBe(true)
    expect(report.format).toBe('VDS_NC')
    expect(report.holder).toEqual({ name: 'CITIZEN  JANE SUE', dateOfBirth: '1990-01-02' })
    expect(report.events?.map((e) => [e.product, e.date, e.doseNumber, e.country])).toEqual([
      ['Comirnaty', '2021-09-15', 1, 'AU'],
      ['Comirnaty', '2021-10-06', 2, 'AU'],
    ])
    expect(report.issuer).toMatchObject({ id: 'AUS', country: 'AU' })
    expect(report.issuer?.trustAnchor).toContain('CN=Test CSCA AU')
    expect(report.warnings).toEqual([])
  })

  it('missing required message fields are warnings on a signed pass', async () => {
    const data = sampleVdsData() as { msg: Record<string, unknown> }
    delete data.msg['uvci']
    const ve = (data.msg['ve'] as Array<{ vd: Array<Record<string, unknown>> }>)[0]!
    delete ve.vd[0]!['lot']
    const report = await v(await signVdsNc(data, au), { trust, now })
    expect(report.valid).toBe(true)
    expect(report.warnings.map((w) => w.path)).toEqual(['msg.uvci', 'msg.ve[0].vd[0].lot'])
  })

  it('the signature covers the canonical form: member order and spacing do not matter', async () => {
    const signed = JSON.parse(await signVdsNc(sampleVdsData(), au))
    const reordered = { sig: signed.sig, data: { hdr: signed.data.hdr, msg: signed.data.msg } }
    const report = await v(JSON.stringify(reordered, null, 2), { trust, now })
    expect(report.valid).toBe(true)
  })

  it('a DER-encoded ECDSA signature is accepted as well as raw r||s', async () => {
    const signed = JSON.parse(await signVdsNc(sampleVdsData(), au))
    const raw = Buffer.from(signed.sig.sigvl, 'base64url')
    const int = (b: Buffer) => {
      let v = b
      while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1)
      if (v[0]! >= 0x80) v = Buffer.concat([Buffer.from([0]), v])
      return Buffer.concat([Buffer.from([0x02, v.length]), v])
    }
    const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))])
    signed.sig.sigvl = Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url')
    const report = await v(JSON.stringify(signed), { trust, now })
    expect(report.valid).toBe(true)
  })

  it('accepts signers issued by P-384, RSA PKCS#1 and RSA-PSS CSCAs', async () => {
    for (const kind of ['ec-p384', 'rsa', 'rsa-pss'] as const) {
      const pki = await createTestPki('NZ', undefined, undefined, kind)
      const store: PartnerTrustStore = {
        countries: [
          {
            country: 'NZ',
            formats: ['VDS_NC'],
            cscas: [{ certificate: Buffer.from(pki.cscaDer).toString('base64') }],
          },
        ],
      }
      const report = await v(await signVdsNc(sampleVdsData('NZL'), pki), { trust: store, now })
      expect(failed(report), kind).toEqual([])
      const foreign = await v(await signVdsNc(sampleVdsData('NZL'), au), { trust: store, now })
      expect(failed(foreign), kind).toEqual(['chain:ERR_UNTRUSTED'])
    }
  })

  it('a tampered message fails the signature check', async () => {
    const signed = JSON.parse(await signVdsNc(sampleVdsData(), au))
    signed.data.msg.ve[0].vd[1].seq = 3
    const report = await v(JSON.stringify(signed), { trust, now })
    expect(report.valid).toBe(false)
    expect(failed(report)).toEqual(['signature:ERR_VDS_SIGNATURE'])
  })

  it('a valid signature from an untrusted chain is reported as exactly that', async () => {
    const report = await v(await signVdsNc(sampleVdsData(), other), { trust, now })
    expect(report.valid).toBe(false)
    expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({ ok: true })
    expect(failed(report)).toEqual(['chain:ERR_UNTRUSTED'])
    expect(report.issuer?.trustAnchor).toBeUndefined()
  })

  it('an expired signer certificate fails the validity check', async () => {
    const report = await v(await signVdsNc(sampleVdsData(), au), {
      trust,
      now: new Date('2024-01-01T00:00:00Z'),
    })
    expect(failed(report)).toEqual(['validity:ERR_CERT_EXPIRED'])
  })

  it('a certificate that does not parse gets ERR_VDS_CERT', async () => {
    const signed = JSON.parse(await signVdsNc(sampleVdsData(), au))
    signed.sig.cer = encodeBase64url(new TextEncoder().encode('not a certificate at all'))
    const report = await v(JSON.stringify(signed), { trust, now })
    expect(failed(report)).toEqual(['certificate:ERR_VDS_CERT'])
    expect(report.checks.filter((c) => c.skipped).map((c) => c.id)).toEqual([
      'signature',
      'chain',
      'validity',
    ])
  })

  it('bad input gets a report, never a throw', async () => {
    const deep = '{"data":' + '['.repeat(10_000) + ']'.repeat(10_000) + ',"sig":{}}'
    const cases: Array<[string, string]> = [
      [deep, 'input:ERR_INPUT_FORMAT'],
      ['{"data":{}', 'input:ERR_INPUT_FORMAT'],
      ['x'.repeat(70_000), 'input:ERR_INPUT_TOO_LARGE'],
      [
        '{"data":{"hdr":{"t":"icao.vacc","v":1,"is":"AUS"},"msg":{}},"sig":{"alg":"none","cer":"","sigvl":""}}',
        'structure:ERR_VDS',
      ],
    ]
    for (const [input, code] of cases) {
      const report = await v(input, { trust, now })
      expect(report.valid).toBe(false)
      expect(failed(report)).toEqual([code])
    }
  })
})

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units and writes numbers in the ECMAScript form', () => {
    // Examples from RFC 8785 section 3.2.2 / 3.2.3.
    expect(
      canonicalizeJson({
        numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      }),
    ).toBe('{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}')
    expect(
      canonicalizeJson({
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ud83d\ude00': 'Emoji',
        '1': 'One',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      }),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
    expect(canonicalizeJson({ b: [1, { d: null, c: false }], a: 'x\u000f' })).toBe(
      '{"a":"x\\u000f","b":[1,{"c":false,"d":null}]}',
    )
    expect(canonicalizeJson(-0)).toBe('0')
  })

  it('canonicalises 10,000 levels of nesting without overflowing the stack', () => {
    let v: unknown = 1
    for (let i = 0; i < 10_000; i++) v = [v]
    expect(canonicalizeJson(v)).toBe('['.repeat(10_000) + '1' + ']'.repeat(10_000))
  })

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalizeJson({ a: NaN })).toThrowError(
      expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }),
    )
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    expect(() => canonicalizeJson(cyclic)).toThrowError(
      expect.objectContaining({ code: 'ERR_INPUT_FORMAT' }),
    )
  })
})
