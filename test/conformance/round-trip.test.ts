import { deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeBase45 } from '../../src/core/base45/base45.js'
import { decodeCoseSign1 } from '../../src/core/cose/cose-sign1.js'
import { encodeCwtClaims } from '../../src/core/cwt/cwt-claims.js'
import { decodeHc1, signHc1 } from '../../src/core/hc1/hc1.js'
import { TrustStore } from '../../src/core/trust/trust-store.js'
import { verify } from '../../src/core/verify/verify.js'
import { makeTestDsc, sampleDcc, type TestDsc } from './support/make-test-dsc.js'

const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')
const now = new Date('2022-06-01T00:00:00Z')
const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'

describe('round trips of our own signed certificates', () => {
  it.each(['ES256', 'PS256'] as const)('%s: sign, then decode and verify', async (alg) => {
    const t = await makeTestDsc({ alg, extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
    const hc1 = signHc1(sampleDcc(), { signer: t.signer, issuer: 'VN', iat, exp })
    const r = await verify(hc1, { trust: new TrustStore([t.dsc]), now })
    expect(r.checks.filter((c) => !c.ok)).toEqual([])
    expect(r.valid).toBe(true)
    expect(r.payload).toEqual(sampleDcc())
    expect(r.headers?.['alg']).toBe(alg)
  })
})

describe('mutated certificates: verify never throws and never accepts a change', () => {
  let t: TestDsc
  let trust: TrustStore
  let hc1: string
  let coseBytes: Uint8Array
  beforeAll(async () => {
    t = await makeTestDsc({ alg: 'ES256' })
    trust = new TrustStore([t.dsc])
    hc1 = signHc1(sampleDcc(), { signer: t.signer, issuer: 'VN', iat, exp })
    coseBytes = (await decodeHc1(hc1)).coseBytes
  })
  // A mutation may leave the signed content intact (e.g. another valid zlib header); then
  // acceptance is right. What must never happen is accepting changed signed content.
  const signedContentUnchanged = async (text: string): Promise<boolean> => {
    try {
      const d = await decodeHc1(text)
      const o = decodeCoseSign1(coseBytes)
      return (
        Buffer.from(d.cose.payload).equals(o.payload) &&
        Buffer.from(d.cose.protectedBytes).equals(o.protectedBytes) &&
        Buffer.from(d.cose.signature).equals(o.signature)
      )
    } catch {
      return false
    }
  }

  it('bytes of the HC1 string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(...BASE45.split(''), 'a', 'é', ''),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (pos, ch, op) => {
          const i = pos % hc1.length
          const mutated =
            op === 'replace'
              ? hc1.slice(0, i) + ch + hc1.slice(i + 1)
              : op === 'insert'
                ? hc1.slice(0, i) + ch + hc1.slice(i)
                : hc1.slice(0, i) + hc1.slice(i + 1)
          const r = await verify(mutated, { trust, now })
          if (mutated === hc1) return
          if (r.valid) expect(await signedContentUnchanged(mutated)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('bytes of the COSE', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (pos, xor) => {
        const m = new Uint8Array(coseBytes)
        const i = pos % m.length
        m[i] = m[i]! ^ xor
        const text = `HC1:${encodeBase45(deflateSync(m))}`
        const r = await verify(text, { trust, now })
        if (r.valid) expect(await signedContentUnchanged(text)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('the payload under the original signature', async () => {
    const original = decodeCoseSign1(coseBytes)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('fn', 'dob', 'dn', 'ci', 'iss', 'exp'),
        fc.string({ maxLength: 12 }),
        async (field, value) => {
          const dcc = sampleDcc() as { nam: Record<string, unknown>; v: Array<Record<string, unknown>> } & Record<string, unknown>
          let iss = 'VN'
          let e = exp.getTime() / 1000
          if (field === 'fn') dcc.nam['fn'] = `${value}x`
          else if (field === 'dob') dcc['dob'] = value === '1990-04-12' ? '1990-04-13' : value
          else if (field === 'dn') dcc.v[0]!['dn'] = 3
          else if (field === 'ci') dcc.v[0]!['ci'] = `URN:UVCI:01:VN:${value}Z`
          else if (field === 'iss') iss = value === 'VN' ? 'VX' : value
          else e += 86_400 * 365
          const payload = encodeCwtClaims({ iss, iat: iat.getTime() / 1000, exp: e, dcc })
          const cose = concatCose(original.protectedBytes, payload, original.signature)
          const r = await verify(`HC1:${encodeBase45(deflateSync(cose))}`, { trust, now })
          expect(r.valid).toBe(false)
          expect(r.checks.find((c) => c.id === 'signature')?.code).toBe('ERR_COSE_SIGNATURE')
        },
      ),
      { numRuns: 100 },
    )
  })
})

function bstr(b: Uint8Array): Uint8Array {
  const n = b.length
  const head = n < 24 ? [0x40 | n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff]
  return new Uint8Array([...head, ...b])
}

function concatCose(p: Uint8Array, payload: Uint8Array, sig: Uint8Array): Uint8Array {
  return new Uint8Array([0xd2, 0x84, ...bstr(p), 0xa0, ...bstr(payload), ...bstr(sig)])
}
