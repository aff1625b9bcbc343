import { constants, deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deflateJs } from './deflate-js.js'
import { adler32, inflateJs } from './inflate-js.js'

const inflate = (z: Uint8Array, max = 10_000_000) => inflateJs(z, { maxOutputLength: max, zlib: true })
// byte strings with repetitions, like CBOR payloads
const texty = fc
  .array(fc.constantFrom('VN', 'URN:UVCI:01:VN:', '840539006', 'EU/1/20/1528', 'a', '\u0000', 'Nguyễn'), { maxLength: 120 })
  .map((parts) => new TextEncoder().encode(parts.join('')))

describe('own DEFLATE codec', () => {
  it('computes Adler-32', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398)
    expect(adler32(new Uint8Array())).toBe(1)
  })

  it('computes Adler-32 eight bytes a step exactly as byte by byte, long runs of 0xff included', () => {
    const reference = (data: Uint8Array): number => {
      let a = 1
      let b = 0
      for (const x of data) {
        a = (a + x) % 65521
        b = (b + a) % 65521
      }
      return ((b << 16) | a) >>> 0
    }
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 12000 }),
      fc.integer({ min: 0, max: 12000 }).map((n) => new Uint8Array(n).fill(255)),
    )
    fc.assert(
      fc.property(bytes, (data) => {
        expect(adler32(data)).toBe(reference(data))
      }),
    )
  })

  it('writes zlib that node:zlib inflates, never larger than zlib level 9 plus a little', () => {
    fc.assert(
      fc.property(fc.oneof(texty, fc.uint8Array({ maxLength: 3000 })), (bytes) => {
        const z = deflateJs(bytes)
        expect(Buffer.from(inflateSync(z)).equals(Buffer.from(bytes))).toBe(true)
        expect(z.length).toBeLessThanOrEqual(deflateSync(bytes, { level: 9 }).length + 8)
      }),
      { numRuns: 300 },
    )
    const big = new Uint8Array(200_000).map((_, i) => (i * 7) % 13)
    expect(Buffer.from(inflateSync(deflateJs(big))).equals(Buffer.from(big))).toBe(true)
  })

  it('reads what node:zlib writes with every strategy and level, raw and zlib', () => {
    const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]
    fc.assert(
      fc.property(
        fc.oneof(texty, fc.uint8Array({ maxLength: 2000 })),
        fc.constantFrom(...strategies),
        fc.integer({ min: 0, max: 9 }),
        (bytes, strategy, level) => {
          const z = deflateSync(bytes, { strategy, level })
          expect(Buffer.from(inflate(z)).equals(Buffer.from(bytes))).toBe(true)
          const raw = deflateRawSync(bytes, { strategy, level })
          expect(Buffer.from(inflateJs(raw, { maxOutputLength: 1e7, zlib: false })).equals(Buffer.from(bytes))).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
    expect(Array.from(inflateRawSync(deflateRawSync(Buffer.from('x'))))).toEqual([0x78])
  })

  it('stops at the output limit and rejects corruption with stable codes', () => {
    const bomb = deflateSync(Buffer.alloc(10_000_000))
    expect(() => inflate(bomb, 1_000_000)).toThrowError(expect.objectContaining({ code: 'ERR_ZLIB_TOO_LARGE' }))
    const z = deflateJs(new TextEncoder().encode('hello hello hello hello'))
    const badSum = new Uint8Array(z)
    badSum[badSum.length - 1]! ^= 1
    expect(() => inflate(badSum)).toThrowError(expect.objectContaining({ code: 'ERR_ZLIB' }))
    expect(() => inflate(z.subarray(0, z.length - 6))).toThrowError(expect.objectContaining({ code: 'ERR_ZLIB' }))
    expect(() => inflate(new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0, 0]))).toThrowError(
      expect.objectContaining({ code: 'ERR_ZLIB' }),
    )
    expect(() => inflate(new Uint8Array([0x79, 0x9c, 1, 2, 3, 4]))).toThrowError(expect.objectContaining({ code: 'ERR_ZLIB' }))
  })

  it('never throws anything but a coded error on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, zlib) => {
        try {
          inflateJs(bytes, { maxOutputLength: 100_000, zlib })
        } catch (err) {
          expect(['ERR_ZLIB', 'ERR_ZLIB_TOO_LARGE']).toContain((err as { code?: string }).code)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
