import { createHash } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainObject as plain } from '../../../test/support/plain-object.js'
import { makeTestDsc, sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import { decodeBase45 } from '../base45/base45.js'
import { buildSigStructure, markSignerViewSafe, verifyCoseSign1 } from '../cose/cose-sign1.js'
import type { Signer } from '../cose/signer.js'
import { encodeCwtClaimsCborX } from '../cwt/cwt-claims.js'
import { nodePlatform } from '../platform/node.js'
import { decodeHc1, signHc1, signHc1Ascii } from './hc1.js'

const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')

describe('HC1', () => {
  it('signs a payload into a standard HC1 string and decodes it back', async () => {
    const t = await makeTestDsc({ alg: 'ES256' })
    const hc1 = signHc1(sampleDcc(), { signer: t.signer, issuer: 'VN', iat, exp })
    expect(hc1).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/)
    // any zlib inflates it
    const cose = inflateSync(decodeBase45(hc1.slice(4)))
    expect(cose[0]).toBe(0xd2)
    const d = await decodeHc1(hc1)
    expect(d.claims).toEqual({ iss: 'VN', iat: iat.getTime() / 1000, exp: exp.getTime() / 1000, dcc: sampleDcc() })
    expect(Buffer.from(d.coseBytes).equals(cose)).toBe(true)
  })

  it('fails each layer with its code', async () => {
    await expect(decodeHc1('HC2:NCF')).rejects.toMatchObject({ code: 'ERR_HC1_PREFIX' })
    await expect(decodeHc1('HC1:A')).rejects.toMatchObject({ code: 'ERR_BASE45' })
    await expect(decodeHc1('HC1:BB8')).rejects.toMatchObject({ code: 'ERR_ZLIB' })
  })

  it('writes, on Node, the very string of the plain path (stage by stage, fresh arrays)', () => {
    // Deterministic signers (a digest as the "signature"), so that both paths can be compared:
    // 64 bytes like ES256 and 256 like PS256, view-safe or not, and a kid too long for the room
    // kept in front of the claims.
    const signed: Uint8Array[] = []
    const digestSigner = (size: number, kidLength: number, viewSafe: boolean): Signer => {
      const signer: Signer = {
        alg: size === 64 ? 'ES256' : 'PS256',
        kid: new Uint8Array(kidLength).fill(7),
        sign: (data) => {
          if (!viewSafe) signed.push(data)
          const out = new Uint8Array(size)
          for (let k = 0; k < size; k += 32) {
            const digest = createHash('sha256').update(data).update(String(k)).digest()
            out.set(digest.subarray(0, size - k), k)
          }
          return out
        },
      }
      if (viewSafe) markSignerViewSafe(signer)
      return signer
    }
    const signers = [
      digestSigner(64, 8, true),
      digestSigner(64, 8, false),
      digestSigner(256, 8, true),
      digestSigner(64, 100, true),
    ]
    // Plain JSON payloads (fast-check's records have no prototype), some large enough for a
    // dynamic deflate block or a larger work buffer, and a few the direct CBOR writer leaves
    // to cbor-x.
    const payload = fc.oneof(
      fc.constant(sampleDcc()),
      fc.jsonValue().map(plain),
      fc.string({ minLength: 900, maxLength: 1200 }).map((s) => ({ ...sampleDcc(), big: s })),
      fc.constantFrom(
        { ...sampleDcc(), big: 'x'.repeat(9000) },
        { ...sampleDcc(), when: new Date(0) },
        { ...sampleDcc(), odd: 'a\ud800' },
      ),
    )
    const other = { ...nodePlatform } // not nodePlatform itself: the plain path
    fc.assert(
      fc.property(payload, fc.constantFrom(...signers), (dcc, signer) => {
        signed.length = 0
        const fast = signHc1(dcc, { signer, issuer: 'VN', iat, exp })
        const reference = signHc1(dcc, { signer, issuer: 'VN', iat, exp, platform: other })
        expect(fast).toBe(reference)
        // A signer not marked view-safe got a fresh copy of the right Sig_structure.
        if (signed.length === 2) {
          expect(signed[0]).not.toBe(signed[1])
          expect(Buffer.from(signed[0]!).equals(Buffer.from(signed[1]!))).toBe(true)
          const times = { iat: iat.getTime() / 1000, exp: exp.getTime() / 1000 }
          const cwt = encodeCwtClaimsCborX({ iss: 'VN', ...times, dcc })
          const p = new Uint8Array([0xa2, 0x01, 0x26, 0x04, 0x48, ...signer.kid])
          expect(Buffer.from(signed[0]!).equals(Buffer.from(buildSigStructure(p, cwt)))).toBe(true)
        }
        // The bytes variant is the same text, byte for byte, on both paths.
        const ascii = signHc1Ascii(dcc, { signer, issuer: 'VN', iat, exp })
        expect(Buffer.from(ascii).toString('latin1')).toBe(reference)
        expect(ascii.length).toBe(reference.length)
        const plainAscii = signHc1Ascii(dcc, { signer, issuer: 'VN', iat, exp, platform: other })
        expect(Buffer.from(plainAscii).toString('latin1')).toBe(reference)
      }),
      { numRuns: 300 },
    )
  })

  it('signs verifiable passes with node:crypto keys, also when sign issues a pass', async () => {
    for (const alg of ['ES256', 'PS256'] as const) {
      const t = await makeTestDsc({ alg })
      const hc1 = signHc1(sampleDcc(), { signer: t.signer, issuer: 'VN', iat, exp })
      const d = await decodeHc1(hc1)
      expect(d.claims.dcc).toEqual(sampleDcc())
      expect(await verifyCoseSign1(d.cose, t.dsc.publicKey)).toBe(true)
      // A signer that issues another pass while signing: both come out whole.
      let inner = ''
      const nesting: Signer = {
        alg,
        kid: t.signer.kid,
        sign: (data) => {
          inner = signHc1({ n: 1 }, { signer: t.signer, issuer: 'VN', iat, exp })
          return t.signer.sign(data)
        },
      }
      const outer = signHc1(sampleDcc(), { signer: nesting, issuer: 'VN', iat, exp })
      for (const [text, dcc] of [[outer, sampleDcc()], [inner, { n: 1 }]] as const) {
        const decoded = await decodeHc1(text)
        expect(decoded.claims.dcc).toEqual(dcc)
        expect(await verifyCoseSign1(decoded.cose, t.dsc.publicKey)).toBe(true)
      }
    }
  })
})
