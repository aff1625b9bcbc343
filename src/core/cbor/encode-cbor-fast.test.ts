import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainObject as plain } from '../../../test/support/plain-object.js'
import { encodeCbor } from './cbor.js'
import { NOT_WRITTEN, writeCborFast } from './encode-cbor-fast.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const buf = new Uint8Array(65536)
const fast = (v: unknown, target = buf, offset = 0): string | undefined => {
  const end = writeCborFast(v, target, offset)
  return end === NOT_WRITTEN ? undefined : hex(target.subarray(offset, end))
}

// Numbers at every boundary of cbor-x's integer forms, and floats.
const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    23,
    24,
    255,
    256,
    65535,
    65536,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 53,
    -1,
    -24,
    -25,
    -256,
    -257,
    -65536,
    -65537,
    -(2 ** 31),
    -(2 ** 31) - 1,
    -(2 ** 32),
    -(2 ** 32) - 1,
    0.5,
    -1.5,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.double(),
)
// Strings of every UTF-8 length class, lengths around the header boundaries, lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ minLength: 20, maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('a', 'ễ', 'Đ', '😀', '\ud800', '\udc00'), maxLength: 90 }),
)
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    number,
    text,
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.array(tie('value'), { maxLength: 30 }),
    fc.dictionary(text, tie('value'), { maxKeys: 30 }).map(plain),
  ),
}))
// DCC-shaped payloads, as bulk issuance signs them (well-formed text: no lone surrogates).
const name = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('Nguyễn', 'Thị Hồng Đào', 'NGUYEN', 'THI<HONG<DAO'),
)
const dcc = fc
  .record({
    ver: fc.constantFrom('1.3.0', '1.0.0'),
    nam: fc.record({ fn: name, gn: name, fnt: name, gnt: name }, { requiredKeys: ['fnt'] }),
    dob: fc.oneof(fc.constant('1990-04-12'), fc.string({ maxLength: 10 })),
    v: fc.array(
      fc.record({
        tg: fc.constant('840539006'),
        vp: fc.constantFrom('1119349007', 'J07BX03'),
        mp: fc.constantFrom('EU/1/20/1528', 'Sputnik-V'),
        ma: fc.constant('ORG-100030215'),
        dn: fc.integer({ min: 1, max: 9 }),
        sd: fc.integer({ min: 1, max: 9 }),
        dt: fc.constant('2021-09-01'),
        co: fc.constant('VN'),
        is: fc.constant('Ministry of Health of Viet Nam'),
        ci: fc.string({ maxLength: 60 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(plain)

describe('writeCborFast', () => {
  it('writes the very bytes of cbor-x for JSON-like values, whenever it answers', () => {
    let answered = 0
    fc.assert(
      fc.property(value, (v) => {
        const f = fast(v)
        if (f === undefined) return
        answered++
        expect(f).toBe(hex(encodeCbor(v)))
      }),
      { numRuns: 2000 },
    )
    expect(answered).toBeGreaterThan(1000)
  })

  it('answers for every DCC payload and numbers, with the bytes of cbor-x', () => {
    fc.assert(
      fc.property(dcc, (d) => {
        expect(fast(d)).toBe(hex(encodeCbor(d)))
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(number, (n) => {
        expect(fast(n)).toBe(hex(encodeCbor(n)))
      }),
      { numRuns: 2000 },
    )
  })

  it('leaves lone surrogates, non-plain objects and deep nesting to cbor-x', () => {
    for (const v of [
      'a\ud800',
      '\udc00b',
      { a: ['\ud83d'] },
      new Map([[1, 2]]),
      new Uint8Array([1]),
      new Date(0),
      Object.create(null) as unknown,
      { constructor: 'x' },
      [1n],
      [() => 1],
      JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown,
    ]) {
      expect(fast(v)).toBeUndefined()
    }
    expect(fast('\ud83d\ude00')).toBe(hex(encodeCbor('\ud83d\ude00')))
  })

  it('writes from an offset and refuses a buffer that is too small', () => {
    const small = new Uint8Array(16).fill(0xee)
    expect(fast('VN', small, 3)).toBe('62564e')
    expect(small[2]).toBe(0xee)
    expect(writeCborFast('x'.repeat(20), small, 0)).toBe(NOT_WRITTEN)
    expect(writeCborFast([1, 2, 3, 4, 5, 6, 7, 8], small, 10)).toBe(NOT_WRITTEN)
    // A string whose UTF-8 needs a longer header than its UTF-16 length: moved in place.
    const s = 'ễ'.repeat(20)
    expect(fast(s)).toBe(hex(encodeCbor(s)))
  })
})
