import { createHmac } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64url } from '../../src/core/jws/base64url.js'
import type { PartnerTrustStore } from '../../src/core/partner-trust/partner-trust-store.js'
import { encodeShcNumeric } from '../../src/core/shc/decode-shc-numeric.js'
import { verifyShc } from '../../src/core/shc/verify-shc.js'
import {
  createTestShcIssuer,
  samplePayload,
  signShc,
  type TestShcIssuer,
} from './support/test-shc.js'

const nbf = Date.parse('2021-08-01T00:00:00Z') / 1000
const now = new Date('2021-09-01T00:00:00Z')

function failed(report: {
  checks: readonly { ok: boolean; code: string | null; skipped?: boolean; id: string }[]
}) {
  return report.checks.filter((c) => !c.ok && !c.skipped).map((c) => `${c.id}:${c.code}`)
}

describe('SMART Health Cards signed with our test keys', () => {
  let issuer: TestShcIssuer
  let stranger: TestShcIssuer
  let trust: PartnerTrustStore
  beforeAll(async () => {
    issuer = await createTestShcIssuer()
    stranger = await createTestShcIssuer('https://stranger.test.example')
    trust = {
      countries: [
        {
          country: 'JP',
          formats: ['SHC', 'VDS_NC'],
          shcIssuers: [
            {
              iss: issuer.iss,
              keys: [issuer.jwk],
              crls: [
                {
                  kid: issuer.jwk.kid!,
                  method: 'rid',
                  ctr: 2,
                  rids: ['AAAAAAAAAAA', 'BBBBBBBBBBB.1627776000'],
                },
              ],
            },
          ],
        },
      ],
    }
  })

  it('a card we sign verifies, in JWS and numeric QR form, with the CVX product normalised', async () => {
    const jws = await signShc(issuer, samplePayload(issuer.iss, nbf))
    for (const input of [jws, `shc:/${encodeShcNumeric(jws)}`]) {
      const report = await verifyShc(input, { trust, now })
      expect(failed(report)).toEqual([])
      expect(report.issuer).toEqual({
        id: issuer.iss,
        country: 'JP',
        trustAnchor: `${issuer.iss}#${issuer.jwk.kid}`,
      })
      expect(report.holder?.name).toBe('Van A Nguyen')
      expect(report.events?.map((e) => [e.product, e.doseNumber])).toEqual([
        ['208', 1],
        ['208', 2],
      ])
    }
  })

  it('a tampered payload fails the signature', async () => {
    const jws = await signShc(issuer, samplePayload(issuer.iss, nbf))
    const [h, , s] = jws.split('.')
    const forged = samplePayload(issuer.iss, nbf)
    ;(
      forged['vc'] as {
        credentialSubject: { fhirBundle: { entry: Array<{ resource: { birthDate?: string } }> } }
      }
    ).credentialSubject.fhirBundle.entry[0]!.resource.birthDate = '1999-01-01'
    const p = encodeBase64url(new Uint8Array(deflateRawSync(Buffer.from(JSON.stringify(forged)))))
    const report = await verifyShc(`${h}.${p}.${s}`, { trust, now })
    expect(failed(report)).toEqual(['signature:ERR_JWS_SIGNATURE'])
  })

  it('an expired card fails expiry; a card signed by an unknown issuer is ERR_UNTRUSTED', async () => {
    const expired = await signShc(issuer, samplePayload(issuer.iss, nbf, { exp: nbf + 86_400 }))
    expect(failed(await verifyShc(expired, { trust, now }))).toEqual(['expiry:ERR_CERT_EXPIRED'])
    const foreign = await signShc(stranger, samplePayload(stranger.iss, nbf))
    expect(failed(await verifyShc(foreign, { trust, now }))).toEqual(['issuer:ERR_UNTRUSTED'])
    // A stranger's key under the trusted issuer's name: no key with that kid.
    const impostor = await signShc(stranger, samplePayload(issuer.iss, nbf))
    expect(failed(await verifyShc(impostor, { trust, now }))).toEqual(['key:ERR_KEY_NOT_FOUND'])
    // A stranger's signature claiming the issuer's kid.
    const wrongKey = await signShc(stranger, samplePayload(issuer.iss, nbf), {
      kid: issuer.jwk.kid,
    })
    expect(failed(await verifyShc(wrongKey, { trust, now }))).toEqual([
      'signature:ERR_JWS_SIGNATURE',
    ])
  })

  it('revocation by rid: plain rid, and rid.timestamp only for cards issued before it', async () => {
    const plain = await signShc(
      issuer,
      samplePayload(issuer.iss, nbf, {
        vc: { ...(samplePayload(issuer.iss, nbf)['vc'] as object), rid: 'AAAAAAAAAAA' },
      }),
    )
    expect(failed(await verifyShc(plain, { trust, now }))).toEqual(['revocation:ERR_SHC_REVOKED'])
    const vc = samplePayload(issuer.iss, nbf)['vc'] as object
    // The CRL revokes rid BBBBBBBBBBB for cards issued before 1627776000 (2021-08-01T00:00:00Z).
    const before = await signShc(issuer, {
      ...samplePayload(issuer.iss, nbf - 10),
      vc: { ...vc, rid: 'BBBBBBBBBBB' },
    })
    expect(failed(await verifyShc(before, { trust, now }))).toEqual(['revocation:ERR_SHC_REVOKED'])
    const after = await signShc(issuer, {
      ...samplePayload(issuer.iss, nbf + 10),
      vc: { ...vc, rid: 'BBBBBBBBBBB' },
    })
    expect(failed(await verifyShc(after, { trust, now }))).toEqual([])
  })

  it('an issuer key published for encryption or another algorithm is refused', async () => {
    const jws = await signShc(issuer, samplePayload(issuer.iss, nbf))
    for (const change of [{ use: 'enc' }, { alg: 'ES384' }]) {
      const store: PartnerTrustStore = {
        countries: [
          {
            ...trust.countries[0]!,
            shcIssuers: [
              { ...trust.countries[0]!.shcIssuers![0]!, keys: [{ ...issuer.jwk, ...change }] },
            ],
          },
        ],
      }
      expect(failed(await verifyShc(jws, { trust: store, now }))).toEqual(['key:ERR_KEY_PARSE'])
    }
  })

  it('a revocation list older than the key says is a warning', async () => {
    const stale: PartnerTrustStore = {
      countries: [
        {
          ...trust.countries[0]!,
          shcIssuers: [
            { ...trust.countries[0]!.shcIssuers![0]!, keys: [{ ...issuer.jwk, crlVersion: 3 }] },
          ],
        },
      ],
    }
    const vc = samplePayload(issuer.iss, nbf)['vc'] as object
    const jws = await signShc(issuer, {
      ...samplePayload(issuer.iss, nbf),
      vc: { ...vc, rid: 'CCCCCCCCCCC' },
    })
    const report = await verifyShc(jws, { trust: stale, now })
    expect(report.valid).toBe(true)
    expect(report.warnings.map((w) => w.code)).toEqual(['SHC_CRL_STALE'])
  })

  it('alg none, HS256 and ES384 are refused with ERR_JWS_ALG, whatever the signature', async () => {
    const payload = samplePayload(issuer.iss, nbf)
    const p = encodeBase64url(new Uint8Array(deflateRawSync(Buffer.from(JSON.stringify(payload)))))
    const none = `${encodeBase64url(new TextEncoder().encode(JSON.stringify({ alg: 'none', zip: 'DEF', kid: issuer.jwk.kid })))}.${p}.`
    const hsHeader = encodeBase64url(
      new TextEncoder().encode(JSON.stringify({ alg: 'HS256', zip: 'DEF', kid: issuer.jwk.kid })),
    )
    // HMAC keyed with the public key: the classic algorithm-confusion forgery.
    const mac = createHmac('sha256', JSON.stringify(issuer.jwk)).update(`${hsHeader}.${p}`).digest()
    const hs = `${hsHeader}.${p}.${encodeBase64url(new Uint8Array(mac))}`
    const es384 = await signShc(issuer, payload, { alg: 'ES384' })
    for (const jws of [none, hs, es384]) {
      const report = await verifyShc(jws, { trust, now })
      expect(report.valid).toBe(false)
      expect(report.checks.find((c) => c.id === 'header')).toMatchObject({
        ok: false,
        code: 'ERR_JWS_ALG',
      })
      expect(report.checks.find((c) => c.id === 'signature')).toMatchObject({
        ok: false,
        skipped: true,
      })
    }
  })

  it('bad input gets a report, never a throw', async () => {
    const deep = encodeBase64url(
      new Uint8Array(deflateRawSync(Buffer.from('['.repeat(10_000) + ']'.repeat(10_000)))),
    )
    const header = encodeBase64url(
      new TextEncoder().encode(JSON.stringify({ alg: 'ES256', zip: 'DEF', kid: issuer.jwk.kid })),
    )
    const bomb = encodeBase64url(new Uint8Array(deflateRawSync(Buffer.alloc(10_000_000, 0x20))))
    const cases: Array<[string | string[], string]> = [
      [`${header}.${deep}.AAAA`, 'payload:ERR_INPUT_FORMAT'],
      [`${header}.${bomb}.AAAA`, 'payload:ERR_ZLIB'],
      ['a.b', 'jws:ERR_JWS'],
      ['a.b!.c', 'jws:ERR_JWS'],
      [
        'shc:/56762909524320603460292437404460312229595326546034602925407728043360287028647167452228092861333145643765',
        'jws:ERR_JWS',
      ],
      ['shc:/99', 'input:ERR_SHC'],
      ['shc:/1/2/5676', 'input:ERR_SHC_CHUNKS'],
      ['{"verifiableCredential": []}', 'input:ERR_SHC'],
      [
        '{"verifiableCredential":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}',
        'input:ERR_INPUT_FORMAT',
      ],
      [[], 'input:ERR_INPUT_EMPTY'],
    ]
    for (const [input, code] of cases) {
      const report = await verifyShc(input, { trust, now })
      expect(report.valid).toBe(false)
      expect(failed(report), String(input).slice(0, 40)).toEqual([code])
    }
  })
})
