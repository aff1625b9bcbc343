import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainObject as plain } from '../../../test/support/plain-object.js'
import { sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import { encodeCbor } from '../cbor/cbor.js'
import { NOT_FAST, readHcertClaimsFast } from '../cbor/decode-cbor-fast.js'
import { NOT_WRITTEN } from '../cbor/encode-cbor-fast.js'
import {
  encodeCwtClaims,
  encodeCwtClaimsCborX,
  parseCwtClaims,
  parseCwtClaimsFromMap,
  writeCwtClaims,
  type CwtClaims,
} from './cwt-claims.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const claims = fc.record(
  {
    iss: fc.oneof(fc.constantFrom('VN', 'DE'), fc.string({ unit: 'grapheme', maxLength: 30 })),
    iat: fc.oneof(
      fc.integer({ min: 0, max: 2 ** 32 + 5 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ),
    exp: fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    dcc: fc.oneof(fc.constant(sampleDcc()), fc.jsonValue().map(plain)),
  },
  { requiredKeys: ['dcc'] },
) as fc.Arbitrary<CwtClaims>

describe('CWT claims', () => {
  it('writes the bytes of the cbor-x Map encoding, and reads them back', () => {
    fc.assert(
      fc.property(claims, (c) => {
        const bytes = encodeCwtClaims(c)
        expect(hex(bytes)).toBe(hex(encodeCwtClaimsCborX(c)))
        // (Decoders drop a "__proto__" key by design: no prototype from the wire.)
        const json = JSON.stringify(c.dcc)
        if (!json.includes('"__proto__"')) {
          expect(parseCwtClaims(bytes).dcc).toEqual(JSON.parse(json))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('writes in place after an offset, and leaves what it cannot write to cbor-x', () => {
    const c = { iss: 'VN', iat: 1646092800, exp: 1677628800, dcc: sampleDcc() }
    const buf = new Uint8Array(1000).fill(0xee)
    const end = writeCwtClaims(c, buf, 40)
    expect(buf[39]).toBe(0xee)
    expect(hex(buf.subarray(40, end))).toBe(hex(encodeCwtClaimsCborX(c)))
    expect(writeCwtClaims(c, new Uint8Array(100), 0)).toBe(NOT_WRITTEN)
    const odd = { iss: 'VN', dcc: { v: [new Date(0)], n: 'a\ud800' } }
    expect(writeCwtClaims(odd, buf, 0)).toBe(NOT_WRITTEN)
    expect(hex(encodeCwtClaims(odd))).toBe(hex(encodeCwtClaimsCborX(odd)))
    const big = { dcc: { x: 'y'.repeat(40_000) } }
    expect(hex(encodeCwtClaims(big))).toBe(hex(encodeCwtClaimsCborX(big)))
    // Fresh arrays: a later call does not change an earlier result.
    const first = encodeCwtClaims(c)
    const copy = hex(first)
    encodeCwtClaims({ dcc: 1 })
    expect(hex(first)).toBe(copy)
  })
})

describe('CWT claims read field by field', () => {
  // Raw claims maps: keys in any order, repeated or unknown, values of any type.
  const key = fc.constantFrom(1, 4, 6, -260, 2, '1', -259)
  const value = fc.oneof(
    fc.constantFrom('VN', '', 'Nguyễn'),
    fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
    fc.double(),
    fc.constant(new Map([[1, sampleDcc()]])),
    fc.jsonValue().map((dcc) => new Map([[1, plain(dcc)]])),
    fc.constant(
      new Map<unknown, unknown>([
        [1, { a: 1 }],
        [2, 'x'],
      ]),
    ),
    fc.constant(new Map()),
    fc.constant(null),
  )
  const rawClaims = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((entries) => {
    const parts = entries.flatMap(([k, v]) => [encodeCbor(k), encodeCbor(v)])
    const head = new Uint8Array([0xa0 + Math.min(entries.length, 23)])
    return Uint8Array.from(Buffer.concat([head, ...parts]))
  })
  const outcome = (f: () => CwtClaims) => {
    try {
      const c = f()
      return { keys: Object.keys(c), value: c }
    } catch (err) {
      return { error: (err as { code?: string }).code }
    }
  }

  it('gives what the Map-based path gives, key order and errors included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          rawClaims,
          claims.map((c) => encodeCwtClaims(c)),
        ),
        (bytes) => {
          expect(outcome(() => parseCwtClaims(bytes))).toEqual(
            outcome(() => parseCwtClaimsFromMap(bytes)),
          )
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('reads the usual claims without the Map path', () => {
    const bytes = encodeCwtClaims({ iss: 'VN', iat: 1646092800, exp: 1677628800, dcc: sampleDcc() })
    const c = readHcertClaimsFast(bytes)
    expect(c).not.toBe(NOT_FAST)
    expect(c).toEqual({ iss: 'VN', iat: 1646092800, exp: 1677628800, dcc: sampleDcc() })
  })
})
