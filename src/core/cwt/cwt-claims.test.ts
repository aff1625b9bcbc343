import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainObject as plain } from '../../../test/support/plain-object.js'
import { sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import { NOT_WRITTEN } from '../cbor/encode-cbor-fast.js'
import {
  encodeCwtClaims,
  encodeCwtClaimsCborX,
  parseCwtClaims,
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
