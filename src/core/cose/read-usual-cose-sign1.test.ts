import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeTestDsc } from '../../../test/conformance/support/make-test-dsc.js'
import { encodeCbor } from '../cbor/cbor.js'
import { coseHeaders, usualCoseHeaders } from '../verify/header-json.js'
import { decodeCoseSign1, signCoseSign1 } from './cose-sign1.js'
import { readUsualCoseSign1 } from './read-usual-cose-sign1.js'

// A CBOR byte string head for `n` bytes: the shortest, or a longer one (decoders take both).
function bstrHead(n: number, long: number): number[] {
  if (n < 24 && long === 0) return [0x40 | n]
  if (n < 0x100 && long <= 1) return [0x58, n]
  if (long <= 2) return [0x59, n >> 8, n & 0xff]
  return [0x5a, 0, 0, n >> 8, n & 0xff]
}

const bytesOf = (max: number) => fc.uint8Array({ maxLength: max })

// COSE_Sign1-like messages around the usual shape: other tags, header orders, alg encodings,
// kid lengths and places, byte string heads; then, for some, a byte changed, cut or added.
const message = fc
  .record({
    tags: fc.constantFrom([], [0xd2], [0xd2], [0xd2], [0xd8, 0x3d, 0xd2], [0xd8, 0x3d], [0xc1]),
    array: fc.constantFrom(0x84, 0x84, 0x84, 0x84, 0x83, 0x85),
    protectedForm: fc.constantFrom(
      'alg-kid',
      'alg-kid',
      'alg-kid',
      'alg-kid',
      'kid-alg',
      'alg',
      'empty',
      'extra',
    ),
    alg: fc.constantFrom(
      [0x26],
      [0x38, 0x24],
      [0x38, 0x06],
      [0x27],
      [0x21],
      [0x64, 0x61, 0x62, 0x63, 0x64],
    ),
    kid: bytesOf(30),
    kidLong: fc.constantFrom(0, 0, 0, 1, 2, 3),
    unprotected: fc.constantFrom('empty', 'empty', 'empty', 'empty', 'kid', 'alg'),
    payload: bytesOf(300),
    payloadLong: fc.nat(3),
    signature: bytesOf(70),
    signatureLong: fc.nat(3),
    protectedLong: fc.constantFrom(0, 0, 0, 1, 2, 3),
    damage: fc.option(fc.tuple(fc.nat(), fc.constantFrom('set', 'cut', 'add'), fc.nat(255)), {
      freq: 2,
    }),
  })
  .chain((m) =>
    // Half the time every choice the usual shape allows (damage still may follow).
    fc.boolean().map((usual) =>
      usual
        ? {
            ...m,
            tags: m.tags.length === 0 ? [] : [0xd2],
            array: 0x84,
            protectedForm: 'alg-kid',
            alg: m.alg[0] === 0x26 ? [0x26] : [0x38, 0x24],
            kid: m.kid.subarray(0, 23),
            kidLong: 0,
            unprotected: 'empty',
            protectedLong: 0,
          }
        : m,
    ),
  )
  .map((m) => {
    const kid = [...bstrHead(m.kid.length, m.kidLong), ...m.kid]
    const protectedMap =
      m.protectedForm === 'alg-kid'
        ? [0xa2, 0x01, ...m.alg, 0x04, ...kid]
        : m.protectedForm === 'kid-alg'
          ? [0xa2, 0x04, ...kid, 0x01, ...m.alg]
          : m.protectedForm === 'alg'
            ? [0xa1, 0x01, ...m.alg]
            : m.protectedForm === 'extra'
              ? [0xa3, 0x01, ...m.alg, 0x04, ...kid, 0x05, 0x40]
              : []
    const unprotected =
      m.unprotected === 'kid'
        ? [0xa1, 0x04, ...kid]
        : m.unprotected === 'alg'
          ? [0xa1, 0x01, 0x26]
          : [0xa0]
    const bytes = [
      ...m.tags,
      m.array,
      ...bstrHead(protectedMap.length, m.protectedLong),
      ...protectedMap,
      ...unprotected,
      ...bstrHead(m.payload.length, m.payloadLong),
      ...m.payload,
      ...bstrHead(m.signature.length, m.signatureLong),
      ...m.signature,
    ]
    if (m.damage !== null) {
      const [at, how, value] = m.damage
      const i = at % (bytes.length + 1)
      if (how === 'set') bytes[i % bytes.length] = value
      else if (how === 'cut') bytes.length = i
      else bytes.splice(i, 0, value)
    }
    return new Uint8Array(bytes)
  })

function general(bytes: Uint8Array) {
  try {
    return decodeCoseSign1(bytes)
  } catch {
    return undefined
  }
}

describe('readUsualCoseSign1', () => {
  it('gives decodeCoseSign1 fields and report headers, or declines (property)', () => {
    let answered = 0
    fc.assert(
      fc.property(message, (bytes) => {
        const usual = readUsualCoseSign1(bytes)
        if (usual === undefined) return
        answered++
        const ref = general(bytes)
        expect(ref).toBeDefined()
        expect(usual.protectedBytes).toEqual(ref!.protectedBytes)
        expect(usual.payload).toEqual(ref!.payload)
        expect(usual.signature).toEqual(ref!.signature)
        expect(usual.kid).toEqual(ref!.kid)
        expect(usual.alg).toBe(ref!.alg)
        expect(usual.kidLocation).toBe(ref!.kidLocation)
        expect(usual.tags).toEqual(ref!.tags)
        expect(ref!.protectedHeader.size).toBe(2)
        expect(ref!.unprotectedHeader.size).toBe(0)
        // Same JSON, key order included, and the same own keys.
        expect(JSON.stringify(usualCoseHeaders(usual))).toBe(JSON.stringify(coseHeaders(ref!)))
        expect(usualCoseHeaders(usual)).toStrictEqual(coseHeaders(ref!))
      }),
      { numRuns: 3000 },
    )
    // The generator makes the usual shape often enough for the comparison to mean something.
    expect(answered).toBeGreaterThan(100)
  })

  it('reads what our signer writes, tagged or not, ES256 and PS256', async () => {
    const payload = encodeCbor(new Map([[1, 'VN']]))
    for (const alg of ['ES256', 'PS256'] as const) {
      const t = await makeTestDsc({ alg })
      for (const tagged of [true, false]) {
        const bytes = signCoseSign1(payload, t.signer, { tagged })
        const usual = readUsualCoseSign1(bytes)
        expect(usual).toBeDefined()
        expect(usual!.alg).toBe(alg === 'ES256' ? -7 : -37)
        expect(usual!.tags).toEqual(tagged ? [18] : [])
        expect(usual!.payload).toEqual(payload)
        expect(usualCoseHeaders(usual!)).toStrictEqual(coseHeaders(decodeCoseSign1(bytes)))
      }
      // kid in the unprotected header: not the usual shape.
      expect(readUsualCoseSign1(signCoseSign1(payload, t.signer, { kidInUnprotected: true }))).toBe(
        undefined,
      )
    }
  })

  it('gives a fresh tags array to each report', () => {
    const bytes = new Uint8Array([
      0xd2, 0x84, 0x46, 0xa2, 0x01, 0x26, 0x04, 0x41, 0x07, 0xa0, 0x40, 0x40,
    ])
    const a = readUsualCoseSign1(bytes)!
    const b = readUsualCoseSign1(bytes)!
    expect(a.tags).toEqual([18])
    expect(a.tags).not.toBe(b.tags)
  })
})
