import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeBase45 } from './base45.js'
import { allocTextBuffer, asciiText, base45Length, encodeBase45Into } from './encode-base45-into.js'

describe('encodeBase45Into', () => {
  it('writes the characters of encodeBase45, from any offset, for any byte range', () => {
    const targets = [allocTextBuffer(700), new Uint8Array(700)]
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.nat(20),
        fc.nat(20),
        fc.constantFrom(0, 1),
        (bytes, cut, offset, t) => {
          const start = Math.min(cut, bytes.length)
          const chars = targets[t]!
          const stop = encodeBase45Into(bytes, start, bytes.length, chars, offset)
          expect(stop - offset).toBe(base45Length(bytes.length - start))
          expect(asciiText(chars, offset, stop)).toBe(encodeBase45(bytes.subarray(start)))
        },
      ),
      { numRuns: 1000 },
    )
    // Every pair value, the largest triplets included.
    const all = new Uint8Array(131072 + 1).map((_, i) => (i >> 1) >> ((i & 1) === 0 ? 8 : 0))
    const chars = allocTextBuffer(base45Length(all.length))
    expect(asciiText(chars, 0, encodeBase45Into(all, 0, all.length, chars, 0))).toBe(
      encodeBase45(all),
    )
  })

  it('refuses a target that is too small', () => {
    expect(() => encodeBase45Into(new Uint8Array(4), 0, 4, new Uint8Array(5), 0)).toThrow(
      RangeError,
    )
    expect(encodeBase45Into(new Uint8Array(4), 0, 4, new Uint8Array(6), 0)).toBe(6)
  })
})
