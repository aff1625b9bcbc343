import { webcrypto } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeCbor } from '../../src/core/cbor/cbor.js'
import { buildSigStructure } from '../../src/core/cose/cose-sign1.js'
import { encodeBase32 } from '../../src/core/nzcp/decode-base32.js'
import { verifyNzcp } from '../../src/core/nzcp/verify-nzcp.js'
import type { PartnerTrustStore } from '../../src/core/partner-trust/partner-trust-store.js'

const ISS = 'did:web:nzcp.test.example'
const nbf = Date.parse('2022-01-01T00:00:00Z') / 1000
const now = new Date('2022-02-01T00:00:00Z')

type Claims = Map<unknown, unknown>

function claims(
  overrides: Array<[unknown, unknown]> = [],
  vcOverrides: Record<string, unknown> = {},
): Claims {
  const vc = new Map<string, unknown>(
    Object.entries({
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        'https://nzcp.covid19.health.nz/contexts/v1',
      ],
      version: '1.0.0',
      type: ['VerifiableCredential', 'PublicCovidPass'],
      credentialSubject: new Map(
        Object.entries({ givenName: 'Aroha', familyName: 'Ngata', dob: '1990-12-31' }),
      ),
      ...vcOverrides,
    }),
  )
  const m: Claims = new Map<unknown, unknown>([
    [1, ISS],
    [5, nbf],
    [4, nbf + 365 * 86_400],
    [7, new Uint8Array(16).fill(7)],
    ['vc', vc],
  ])
  for (const [k, v] of overrides) {
    if (v === undefined) m.delete(k)
    else m.set(k, v)
  }
  return m
}

describe('NZ COVID Pass rules on passes signed with our test key', () => {
  let key: CryptoKeyPair
  let trust: PartnerTrustStore

  async function pass(
    c: Claims,
    protectedHeader: Map<number, unknown> = new Map<number, unknown>([
      [1, -7],
      [4, 'key-1'],
    ]),
    unprotectedHeader: Map<number, unknown> = new Map(),
  ): Promise<string> {
    const p = encodeCbor(protectedHeader)
    const payload = encodeCbor(c)
    const sig = new Uint8Array(
      await webcrypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        key.privateKey,
        buildSigStructure(p, payload),
      ),
    )
    const body = encodeCbor([p, unprotectedHeader, payload, sig])
    return `NZCP:/1/${encodeBase32(new Uint8Array([0xd2, ...body]))}`
  }

  beforeAll(async () => {
    key = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const jwk = await webcrypto.subtle.exportKey('jwk', key.publicKey)
    trust = {
      countries: [
        {
          country: 'NZ',
          formats: ['NZCP'],
          didDocuments: [
            {
              id: ISS,
              verificationMethod: [
                {
                  id: `${ISS}#key-1`,
                  type: 'JsonWebKey2020',
                  controller: ISS,
                  publicKeyJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! },
                },
              ],
              assertionMethod: [`${ISS}#key-1`],
            },
          ],
        },
      ],
    }
  })

  function failed(report: {
    checks: readonly { ok: boolean; code: string | null; skipped?: boolean; id: string }[]
  }) {
    return report.checks.filter((c) => !c.ok && !c.skipped).map((c) => `${c.id}:${c.code}`)
  }

  it('a well-formed pass with a text kid is valid without warnings; jti is mapped from cti', async () => {
    const report = await verifyNzcp(await pass(claims()), { trust, now })
    expect(failed(report)).toEqual([])
    expect(report.warnings).toEqual([])
    expect((report.payload as { jti: string }).jti).toBe(
      'urn:uuid:07070707-0707-0707-0707-070707070707',
    )
    expect(report.holder?.name).toBe('Aroha Ngata')
  })

  const claimCases: Array<[string, Array<[unknown, unknown]>, Record<string, unknown>]> = [
    ['no cti', [[7, undefined]], {}],
    ['cti of 8 bytes', [[7, new Uint8Array(8)]], {}],
    ['iss not did:web', [[1, 'https://nzcp.test.example']], {}],
    ['nbf missing', [[5, undefined]], {}],
    ['exp as text', [[4, '1951416330']], {}],
    // Integers beyond the range of dates (a one-character change can make one) are refused.
    ['exp past the range of dates', [[4, 8.64e12 + 1]], {}],
    ['nbf before the range of dates', [[5, -(2 ** 53 - 1)]], {}],
    [
      'vc under an integer key',
      [
        ['vc', undefined],
        [-1, new Map()],
      ],
      {},
    ],
    ['wrong first context', [], { '@context': ['https://nzcp.covid19.health.nz/contexts/v1'] }],
    ['wrong type', [], { type: ['VerifiableCredential', 'PrivateCovidPass'] }],
    ['wrong version', [], { version: '2.0.0' }],
    [
      'no givenName',
      [],
      { credentialSubject: new Map(Object.entries({ familyName: 'Ngata', dob: '1990-12-31' })) },
    ],
    [
      'givenName over 100',
      [],
      {
        credentialSubject: new Map(
          Object.entries({ givenName: 'A'.repeat(101), dob: '1990-12-31' }),
        ),
      },
    ],
    [
      'impossible dob',
      [],
      { credentialSubject: new Map(Object.entries({ givenName: 'Aroha', dob: '1990-02-30' })) },
    ],
  ]
  for (const [name, overrides, vc] of claimCases) {
    it(`claims rule: ${name} -> ERR_CWT_CLAIMS`, async () => {
      const report = await verifyNzcp(await pass(claims(overrides, vc)), { trust, now })
      expect(failed(report)).toEqual(['claims:ERR_CWT_CLAIMS'])
    })
  }

  it('header rules: alg other than ES256, kid only in the unprotected header', async () => {
    const es384 = await pass(
      claims(),
      new Map<number, unknown>([
        [1, -35],
        [4, 'key-1'],
      ]),
    )
    expect(failed(await verifyNzcp(es384, { trust, now }))).toEqual(['headers:ERR_COSE_ALG'])
    const unprotectedKid = await pass(
      claims(),
      new Map<number, unknown>([[1, -7]]),
      new Map<number, unknown>([[4, 'key-1']]),
    )
    expect(failed(await verifyNzcp(unprotectedKid, { trust, now }))).toEqual([
      'headers:ERR_COSE_KID',
    ])
  })

  it('a DID document whose key is not EC P-256 JsonWebKey2020 is refused', async () => {
    const doc = trust.countries[0]!.didDocuments![0]!
    const bad: PartnerTrustStore = {
      countries: [
        {
          ...trust.countries[0]!,
          didDocuments: [
            {
              ...doc,
              verificationMethod: [
                { ...doc.verificationMethod![0]!, type: 'Ed25519VerificationKey2018' },
              ],
            },
          ],
        },
      ],
    }
    expect(failed(await verifyNzcp(await pass(claims()), { trust: bad, now }))).toEqual([
      'key:ERR_KEY_PARSE',
    ])
  })
})
