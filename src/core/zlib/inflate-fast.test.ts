import { describe, expect, it } from 'vitest'
import { constants, deflateSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { deflateJs } from './deflate-js.js'
import { FAST_MAX_OUTPUT, inflateZlibFast, inflateZlibFastView } from './inflate-fast.js'
import { adler32 } from './inflate-js.js'

const nodeInflate = (z: Uint8Array): Uint8Array | undefined => {
  try {
    return new Uint8Array(inflateSync(z, { maxOutputLength: 1 << 20 }))
  } catch {
    return undefined
  }
}

// Bytes from a small alphabet compress into matches and dynamic Huffman blocks.
const payload = fc
  .tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 3000 }), fc.integer())
  .map(([alphabet, length, seed]) => {
    let s = seed >>> 0
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      out[i] = (s >>> 16) % alphabet
    }
    return out
  })

const encoders: ReadonlyArray<(b: Uint8Array) => Uint8Array> = [
  (b) => deflateSync(b),
  (b) => deflateSync(b, { level: 1 }),
  (b) => deflateSync(b, { level: 0 }),
  (b) => deflateSync(b, { strategy: constants.Z_FIXED }),
  (b) => deflateSync(b, { strategy: constants.Z_HUFFMAN_ONLY }),
  (b) => deflateJs(b),
]

describe('inflateZlibFast', () => {
  it('answers through a view exactly as with a copy, on good and damaged streams', () => {
    fc.assert(
      fc.property(payload, fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
        for (const encode of encoders) {
          const z = encode(bytes)
          const flipped = new Uint8Array(z)
          flipped[at % z.length]! ^= 1 << bit
          for (const input of [z, flipped]) {
            const copy = inflateZlibFast(input, 1 << 20)
            const view = inflateZlibFastView(input, 1 << 20)
            expect(view === undefined).toBe(copy === undefined)
            if (copy !== undefined) expect(Buffer.from(view!).equals(Buffer.from(copy))).toBe(true)
            // The stream at the start of a larger buffer, its length given: the same answer.
            const padded = new Uint8Array(input.length + 1 + (at % 9))
            padded.set(input)
            padded.fill(at & 0xff, input.length)
            const prefix = inflateZlibFastView(padded, 1 << 20, input.length)
            expect(prefix === undefined).toBe(copy === undefined)
            if (copy !== undefined)
              expect(Buffer.from(prefix!).equals(Buffer.from(copy))).toBe(true)
          }
        }
      }),
      { numRuns: 40 },
    )
  })

  it('inflates every block type zlib and our deflate write, exactly as zlib does', () => {
    fc.assert(
      fc.property(payload, (bytes) => {
        for (const encode of encoders) {
          const got = inflateZlibFast(encode(bytes), 1 << 20)
          expect(got).toBeDefined()
          expect(Buffer.from(got!).equals(Buffer.from(bytes))).toBe(true)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('never answers differently from zlib on damaged or truncated streams', () => {
    fc.assert(
      fc.property(
        payload,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.nat(),
        (bytes, at, bit, cut) => {
          for (const encode of encoders) {
            const z = encode(bytes)
            const flipped = new Uint8Array(z)
            flipped[at % z.length]! ^= 1 << bit
            for (const bad of [flipped, z.subarray(0, cut % z.length)]) {
              const got = inflateZlibFast(bad, 1 << 20)
              // When it answers, zlib accepts the stream and produces the same bytes.
              if (got !== undefined)
                expect(Buffer.from(got).equals(Buffer.from(nodeInflate(bad)!))).toBe(true)
            }
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('leaves output past the limit, or past its own bound, to the platform (zip bombs)', () => {
    const z = deflateSync(Buffer.alloc(FAST_MAX_OUTPUT + 1))
    expect(inflateZlibFast(z, 1 << 20)).toBeUndefined()
    expect(inflateZlibFast(deflateSync(Buffer.alloc(2000)), 1000)).toBeUndefined()
    expect(inflateZlibFast(deflateSync(Buffer.alloc(1000)), 1000)?.length).toBe(1000)
  })

  it('leaves trailing bytes, preset dictionaries and bad headers to the platform', () => {
    const z = deflateSync(Buffer.from('hello hello hello'))
    expect(inflateZlibFast(new Uint8Array([...z, 0]), 1000)).toBeUndefined()
    expect(inflateZlibFast(new Uint8Array([0x78, 0xbb, ...z.subarray(2)]), 1000)).toBeUndefined()
    expect(inflateZlibFast(new Uint8Array([0x79, 0x9c, ...z.subarray(2)]), 1000)).toBeUndefined()
  })
})

describe('adler32', () => {
  it('sums the first `length` bytes as it sums a copy of them (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), fc.nat(), (data, at) => {
        const length = at % (data.length + 1)
        expect(adler32(data, length)).toBe(adler32(data.slice(0, length)))
      }),
      { numRuns: 300 },
    )
    // A length past the end sums the whole array.
    const data = new Uint8Array([1, 2, 3])
    expect(adler32(data, 10)).toBe(adler32(data))
  })
})
