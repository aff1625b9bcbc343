import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toJsonValue } from '../cbor/cbor.js'
import { bytesToBase64 } from '../platform/bytes.js'
import { headerJson, kidBase64 } from './header-json.js'

// The reference: the Map to JSON, the kid (by identity) as its base64.
function reference(
  header: ReadonlyMap<unknown, unknown>,
  kid: Uint8Array | undefined,
): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of header)
    o[String(k)] = v === kid && kid !== undefined ? bytesToBase64(kid) : toJsonValue(v)
  return o
}

const key = fc.oneof(
  fc.constantFrom(1, 4, '1', '4', -1, 0, 33),
  fc.integer({ min: -300, max: 300 }),
)
const value = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.double(),
  fc.string(),
  fc.uint8Array({ maxLength: 12 }),
  fc.constant(undefined),
  fc.constant(null),
)

describe('headerJson', () => {
  it('matches toJsonValue of the header, the kid as base64 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, value), { maxLength: 4 }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (entries, kid, kidAt, kidKnown) => {
          const m = new Map<unknown, unknown>(entries)
          // Often the usual shape: the kid under label 4, beside (or after) an alg.
          if (kidAt === 1) m.set(4, kid)
          if (kidAt === 2) {
            m.clear()
            m.set(4, kid)
            m.set(1, entries[0]?.[1] ?? -7)
          }
          const k = kidKnown ? kid : undefined
          const got = headerJson(m, k, k === undefined ? null : bytesToBase64(k))
          const want = reference(m, k)
          expect(got).toEqual(want)
          expect(Object.keys(got)).toEqual(Object.keys(want))
          expect(JSON.stringify(got)).toBe(JSON.stringify(want))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('writes the usual HCERT headers as literals', () => {
    const kid = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7])
    const b64 = bytesToBase64(kid)
    expect(headerJson(new Map(), kid, b64)).toEqual({})
    expect(
      JSON.stringify(
        headerJson(
          new Map<number, unknown>([
            [4, kid],
            [1, -7],
          ]),
          kid,
          b64,
        ),
      ),
    ).toBe(`{"1":-7,"4":"${b64}"}`)
    // A kid that is not the message's (another array with the same bytes) is converted.
    expect(
      headerJson(
        new Map<number, unknown>([
          [1, -7],
          [4, kid.slice()],
        ]),
        kid,
        b64,
      ),
    ).toEqual({
      1: -7,
      4: b64,
    })
  })

  it('gives the base64 of every kid, also one rewritten in place after a call (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        (kids) => {
          const scratch = new Uint8Array(20)
          for (const k of kids) {
            // The same bytes twice, then the scratch reused for the next kid.
            expect(kidBase64(k)).toBe(bytesToBase64(k))
            expect(kidBase64(k.slice())).toBe(bytesToBase64(k))
            scratch.set(k)
            const view = scratch.subarray(0, k.length)
            expect(kidBase64(view)).toBe(bytesToBase64(k))
            scratch.fill(7)
            expect(kidBase64(view)).toBe(bytesToBase64(view))
          }
        },
      ),
      { numRuns: 1000 },
    )
  })
})
