import { describe, expect, it } from 'vitest'
import { makeTestDsc, sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import {
  buildRevocationList,
  computeRevocationHash,
} from '../../domain/trust/build-revocation-list.js'
import { decodeHc1, signHc1 } from '../hc1/hc1.js'
import { TrustStore } from '../trust/trust-store.js'
import { verify } from '../verify/verify.js'
import { computeRevocationHashes } from './revocation-hashes.js'
import { readRevocationList } from './revocation-index.js'

const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')
const now = new Date('2022-06-01T00:00:00Z')

function dccWithCi(ci: string): Record<string, unknown> {
  const dcc = sampleDcc()
  const v = (dcc.v as Array<Record<string, unknown>>)[0]!
  return { ...dcc, v: [{ ...v, ci }] }
}

describe('revocation', () => {
  it('computes the same three hashes as the published list (UCI, COUNTRYCODEUCI, SIGNATURE)', async () => {
    const es = await makeTestDsc({ alg: 'ES256' })
    const uci = 'URN:UVCI:01:VN:ABC123#Q'
    const hc1 = signHc1(dccWithCi(uci), { signer: es.signer, issuer: 'VN', iat, exp })
    const signature = (await decodeHc1(hc1)).cose.signature
    const ours = await computeRevocationHashes({ uci, country: 'VN', signature, alg: 'ES256' })
    for (const type of ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'] as const) {
      expect(ours[type]).toBe(
        computeRevocationHash(type, { uci, country: 'VN', signature, alg: 'ES256' }),
      )
    }
    // ECDSA: only r is hashed, so a different s leaves the SIGNATURE hash unchanged.
    const otherS = new Uint8Array(signature)
    otherS[signature.length - 1] = (otherS[signature.length - 1] ?? 0) ^ 1
    expect(
      (await computeRevocationHashes({ uci, country: 'VN', signature: otherS, alg: 'ES256' }))
        .SIGNATURE,
    ).toBe(ours.SIGNATURE)
  })

  it('verify() fails a listed certificate with ERR_REVOKED and passes the others', async () => {
    const es = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
    const trust = new TrustStore([es.dsc])
    const revokedHc1 = signHc1(dccWithCi('URN:UVCI:01:VN:REVOKED1#A'), {
      signer: es.signer,
      issuer: 'VN',
      iat,
      exp,
    })
    const goodHc1 = signHc1(dccWithCi('URN:UVCI:01:VN:GOOD0001#B'), {
      signer: es.signer,
      issuer: 'VN',
      iat,
      exp,
    })
    const decoded = await decodeHc1(revokedHc1)
    for (const hashType of ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'] as const) {
      const list = buildRevocationList(
        [
          {
            uci: 'URN:UVCI:01:VN:REVOKED1#A',
            country: 'VN',
            kid: es.dsc.kidBase64,
            signature: decoded.cose.signature,
            alg: 'ES256',
            exp: exp.toISOString(),
          },
        ],
        { country: 'VN', now, hashTypes: [hashType] },
      )
      const revocation = readRevocationList(JSON.parse(JSON.stringify(list)))
      const bad = await verify(revokedHc1, { trust, now, revocation })
      expect(bad.valid).toBe(false)
      expect(bad.checks.filter((c) => !c.ok).map((c) => [c.id, c.code])).toEqual([
        ['revocation', 'ERR_REVOKED'],
      ])
      const good = await verify(goodHc1, { trust, now, revocation })
      expect(good.valid).toBe(true)
      expect(good.checks.at(-1)).toMatchObject({ id: 'revocation', ok: true })
    }
    // Without a list the check is not part of the report.
    expect((await verify(revokedHc1, { trust, now })).checks.map((c) => c.id)).not.toContain(
      'revocation',
    )
  })

  it('reads batch arrays, flat entries and refuses unknown hash types', () => {
    expect(
      readRevocationList([{ hashType: 'UCI', entries: [{ hash: 'a' }, { hash: 'b' }] }]).size,
    ).toBe(2)
    expect(
      readRevocationList({ entries: [{ hashType: 'SIGNATURE', hash: 'c' }] }).isRevoked({
        SIGNATURE: 'c',
      }),
    ).toBe(true)
    expect(readRevocationList({ batches: [] }).size).toBe(0)
    expect(() =>
      readRevocationList({ batches: [{ hashType: 'MD5', entries: [{ hash: 'x' }] }] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_REVOCATION_LIST' }))
    expect(() => readRevocationList('nope')).toThrow(
      expect.objectContaining({ code: 'ERR_REVOCATION_LIST' }),
    )
  })
})
