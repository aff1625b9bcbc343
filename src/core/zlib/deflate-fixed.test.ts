import { inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  FIXED_MAX_INPUT,
  deflateFixed,
  deflateFixedBound,
  deflateFixedInto,
} from './deflate-fixed.js'
import { deflateJs, deflateJsGeneral } from './deflate-js.js'

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))
const utf8 = new TextEncoder()
// CBOR-like inputs: repeated keys and codes, some non-ASCII, some random bytes (a signature).
const texty = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        'ver',
        '1.3.0',
        'nam',
        'fnt',
        'NGUYEN',
        'Nguyễn',
        'URN:UVCI:01:VN:',
        '840539006',
        'EU/1/20/1528',
        'dt',
        '\u0000',
        'a',
      ),
      { maxLength: 60 },
    ),
    fc.uint8Array({ maxLength: 80 }),
  )
  .map(([parts, tail]) => {
    const text = utf8.encode(parts.join(''))
    const out = new Uint8Array(Math.min(FIXED_MAX_INPUT, text.length + tail.length))
    out.set(text.subarray(0, out.length))
    out.set(
      tail.subarray(0, out.length - Math.min(out.length, text.length)),
      Math.min(out.length, text.length),
    )
    return out
  })
const anyInput = fc.oneof(texty, fc.uint8Array({ maxLength: FIXED_MAX_INPUT }))

describe('one-pass fixed-Huffman deflate', () => {
  it('writes zlib that node:zlib inflates to the same bytes', () => {
    fc.assert(
      fc.property(anyInput, (bytes) => {
        expect(same(inflateSync(deflateFixed(bytes)), bytes)).toBe(true)
      }),
      { numRuns: 1000 },
    )
    for (const n of [0, 1, 2, 3, 4, 257, 258, 259, FIXED_MAX_INPUT]) {
      for (const fill of [0, 0x41, -1]) {
        const bytes = new Uint8Array(n).map((_, i) => (fill < 0 ? (i * 131 + 7) & 0xff : fill))
        expect(same(inflateSync(deflateFixed(bytes)), bytes)).toBe(true)
      }
    }
  })

  it('compresses as well as the token-based encoder, within 2 bytes', () => {
    fc.assert(
      fc.property(anyInput, (bytes) => {
        expect(deflateFixed(bytes).length).toBeLessThanOrEqual(deflateJsGeneral(bytes).length + 2)
      }),
      { numRuns: 1000 },
    )
  })

  it('falls back to a stored block for incompressible input, like the general encoder', () => {
    // xorshift32 bytes, all >= 128 (9-bit literals): nothing to gain from a fixed block.
    let x = 2463534242
    const random = new Uint8Array(500).map(() => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 24) | 0x80
    })
    const z = deflateFixed(random)
    expect(z[2]).toBe(0x01) // BFINAL, stored
    expect(z.length).toBe(deflateJsGeneral(random).length)
    expect(same(inflateSync(z), random)).toBe(true)
  })

  it('writes the same stream into a caller buffer at an offset, or refuses a short one', () => {
    const target = new Uint8Array(deflateFixedBound(FIXED_MAX_INPUT) + 10)
    fc.assert(
      fc.property(anyInput, fc.nat(10), (bytes, offset) => {
        target.fill(0xee)
        const end = deflateFixedInto(bytes, target, offset)
        expect(same(target.subarray(offset, end), deflateFixed(bytes))).toBe(true)
        if (offset > 0) expect(target[offset - 1]).toBe(0xee)
      }),
      { numRuns: 300 },
    )
    const short = new Uint8Array(deflateFixedBound(100) - 1)
    expect(() => deflateFixedInto(new Uint8Array(100), short, 0)).toThrow(RangeError)
  })

  it('is what deflateJs uses below its dynamic-block threshold, and returns fresh arrays', () => {
    const a = utf8.encode('HC1 HC1 HC1 payload payload')
    const za = deflateJs(a)
    const zb = deflateJs(utf8.encode('another payload, another one'))
    expect(same(za, deflateFixed(a))).toBe(true)
    expect(same(inflateSync(za), a)).toBe(true)
    expect(za).not.toBe(zb)
    expect(() => deflateFixed(new Uint8Array(FIXED_MAX_INPUT + 1))).toThrow(RangeError)
  })
})
