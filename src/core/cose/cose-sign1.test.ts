import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeTestDsc } from '../../../test/conformance/support/make-test-dsc.js'
import { encodeCbor } from '../cbor/cbor.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import { buildSigStructure, decodeCoseSign1, signCoseSign1, verifyCoseSign1 } from './cose-sign1.js'

const payload = encodeCbor(new Map([[1, 'VN']]))

describe('COSE_Sign1', () => {
  it.each(['ES256', 'PS256'] as const)('signs and verifies %s with alg and kid protected', async (alg) => {
    const t = await makeTestDsc({ alg })
    const bytes = signCoseSign1(payload, t.signer)
    expect(bytes[0]).toBe(0xd2) // tag 18
    const cose = decodeCoseSign1(bytes)
    expect(cose.alg).toBe(alg === 'ES256' ? -7 : -37)
    expect(Array.from(cose.kid ?? [])).toEqual(Array.from(t.dsc.kid))
    expect(cose.kidLocation).toBe('protected')
    expect(cose.signature.length).toBe(alg === 'ES256' ? 64 : 256)
    expect(await verifyCoseSign1(cose, t.dsc.publicKey)).toBe(true)
    const other = await makeTestDsc({ alg })
    expect(await verifyCoseSign1(cose, other.dsc.publicKey)).toBe(false)
  })

  it('reads untagged messages, CWT tag 61 around 18, and kid in the unprotected header', async () => {
    const t = await makeTestDsc({ alg: 'ES256' })
    const untagged = decodeCoseSign1(signCoseSign1(payload, t.signer, { tagged: false }))
    expect(untagged.tags).toEqual([])
    expect(await verifyCoseSign1(untagged, t.dsc.publicKey)).toBe(true)
    const inner = signCoseSign1(payload, t.signer)
    const cwt = new Uint8Array([0xd8, 0x3d, ...inner])
    expect(decodeCoseSign1(cwt).tags).toEqual([61, 18])
    const u = decodeCoseSign1(signCoseSign1(payload, t.signer, { kidInUnprotected: true }))
    expect(u.kidLocation).toBe('unprotected')
    expect(await verifyCoseSign1(u, t.dsc.publicKey)).toBe(true)
  })

  it('rejects wrong structures with stable codes', () => {
    expect(() => decodeCoseSign1(encodeCbor([1, 2, 3]))).toThrowError(
      expect.objectContaining({ code: 'ERR_COSE_STRUCTURE' }),
    )
    expect(() => decodeCoseSign1(new Uint8Array([0xd8, 0x20, 0x80]))).toThrowError(
      expect.objectContaining({ code: 'ERR_COSE_STRUCTURE' }),
    )
    expect(() => decodeCoseSign1(new Uint8Array([0x84, 0x40, 0xa0, 0x40]))).toThrowError(
      expect.objectContaining({ code: 'ERR_CBOR' }),
    )
  })

  it('refuses an unsupported algorithm', async () => {
    const t = await makeTestDsc({ alg: 'ES256' })
    const cose = { ...decodeCoseSign1(signCoseSign1(payload, t.signer)), alg: -8 }
    await expect(verifyCoseSign1(cose, t.dsc.publicKey, getDefaultPlatform())).rejects.toMatchObject({
      code: 'ERR_COSE_ALG',
    })
  })

  it('writes the Sig_structure into a scratch buffer exactly as into a fresh one', () => {
    const scratch = new Uint8Array(600)
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        (protectedBytes, body) => {
          scratch.fill(0xee)
          const fresh = buildSigStructure(protectedBytes, body)
          const view = buildSigStructure(protectedBytes, body, scratch)
          expect(Array.from(view)).toEqual(Array.from(fresh))
          expect(view.buffer === scratch.buffer).toBe(fresh.length <= scratch.length)
          expect(Array.from(fresh.subarray(0, 12))).toEqual([
            0x84, 0x6a, 0x53, 0x69, 0x67, 0x6e, 0x61, 0x74, 0x75, 0x72, 0x65, 0x31,
          ])
        },
      ),
    )
  })
})
