import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeCbor, encodeCbor, toJsonValue } from './cbor.js'
import {
  NOT_FAST,
  decodeCborFast,
  decodeHcertClaimsFast,
  readCoseEnvelopeFast,
} from './decode-cbor-fast.js'

const general = (bytes: Uint8Array): { value?: unknown; error?: unknown } => {
  try {
    return { value: decodeCbor(bytes) }
  } catch (error) {
    return { error }
  }
}

// JSON-like values, Maps with integer keys, byte strings, floats: what DCCs and COSE hold.
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -(2 ** 32), max: 2 ** 32 }),
    fc.double(),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    fc
      .array(fc.tuple(fc.integer({ min: -300, max: 300 }), tie('value')), { maxLength: 4 })
      .map((e) => new Map(e)),
  ),
}))

// A CBOR text string item holding exactly these bytes (valid UTF-8 or not).
const textItem = (bytes: Uint8Array): Uint8Array =>
  new Uint8Array([...(bytes.length < 24 ? [0x60 | bytes.length] : [0x78, bytes.length]), ...bytes])

// Byte soup biased towards UTF-8 edges: multi-byte leads, continuation bytes, BOM, surrogates.
const utf8ish = fc
  .array(
    fc.oneof(
      fc.nat({ max: 255 }).map((b) => [b]),
      fc.string({ unit: 'grapheme', maxLength: 3 }).map((t) => [...new TextEncoder().encode(t)]),
      fc.constantFrom([0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xe0, 0x80, 0xaf], [0xc0, 0xaf]),
      fc.constantFrom([0xc3], [0xe1, 0xbb], [0xf0, 0x9f, 0x98, 0x80], [0xf4, 0x90, 0x80, 0x80]),
    ),
    { maxLength: 30 },
  )
  .map((parts) => new Uint8Array(parts.flat().slice(0, 80)))

describe('decodeCborFast', () => {
  it('decodes text exactly as the general decoder, declining what it refuses', () => {
    let answered = 0
    fc.assert(
      fc.property(utf8ish, (bytes) => {
        const item = textItem(bytes)
        const fast = decodeCborFast(item)
        const ref = general(item)
        if (fast === NOT_FAST) return
        answered++
        expect(ref.error).toBeUndefined()
        expect(fast).toBe(ref.value)
      }),
      { numRuns: 3000 },
    )
    expect(answered).toBeGreaterThan(300)
    // Every well-formed string without a byte order mark is answered, up to 80 bytes.
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (t) => {
        const bytes = new TextEncoder().encode(t)
        fc.pre(bytes.length <= 80 && !t.includes('\uFEFF'))
        expect(decodeCborFast(textItem(bytes))).toBe(t)
      }),
      { numRuns: 2000 },
    )
  })

  it('gives what the general decoder gives whenever it answers', () => {
    let answered = 0
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCbor(v)
        const fast = decodeCborFast(bytes)
        if (fast === NOT_FAST) return
        answered++
        expect(fast).toEqual(general(bytes).value)
      }),
      { numRuns: 300 },
    )
    expect(answered).toBeGreaterThan(100)
  })

  it('never accepts a damaged item the general decoder refuses, and agrees when both accept', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.nat({ max: 255 }), fc.nat(), (v, at, byte, cut) => {
        const bytes = encodeCbor(v)
        const damaged = new Uint8Array(bytes)
        damaged[at % bytes.length] = byte
        for (const b of [
          damaged,
          bytes.subarray(0, cut % bytes.length),
          new Uint8Array([...bytes, byte]),
        ]) {
          const fast = decodeCborFast(b)
          if (fast === NOT_FAST) continue
          const g = general(b)
          expect(g.error).toBeUndefined()
          expect(fast).toEqual(g.value)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('reads the DCC of HCERT claims as the JSON that toJsonValue makes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 6 }), (dcc) => {
        const bytes = encodeCbor(
          new Map<number, unknown>([
            [1, 'VN'],
            [4, 1700000000],
            [6, 1600000000],
            [-260, new Map([[1, dcc]])],
          ]),
        )
        const fast = decodeHcertClaimsFast(bytes)
        if (fast === NOT_FAST) return
        const slow = decodeCbor(bytes) as Map<number, Map<number, unknown>>
        const f = fast as Map<number, Map<number, unknown>>
        expect(f.get(1)).toBe('VN')
        expect(f.get(-260)!.get(1)).toEqual(toJsonValue(slow.get(-260)!.get(1)))
      }),
      { numRuns: 200 },
    )
  })

  it('builds the usual DCC objects as literals with the same JSON, in any key order or set', () => {
    // A map whose keys are one of the literal shapes, or near it: reordered, missing, extra,
    // renamed or numeric keys; values anything, or the nested shapes.
    const near = (keys: string[], val: fc.Arbitrary<unknown>) =>
      fc
        .tuple(
          fc.oneof(
            fc.constant(keys),
            fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
            fc.shuffledSubarray(keys),
            fc.subarray(keys),
            fc
              .tuple(fc.nat({ max: keys.length }), fc.constantFrom('x', 'TG', 'f', 'fn ', 'gnt2'))
              .map(([i, k]) => [...keys.slice(0, i), k, ...keys.slice(i)]),
            fc
              .tuple(
                fc.nat({ max: keys.length - 1 }),
                fc.constantFrom<string | number>('t', 1, 've'),
              )
              .map(([i, k]) => keys.map((x, j) => (j === i ? k : x))),
          ),
          fc.array(val, { minLength: 11, maxLength: 11 }),
        )
        .map(([ks, vs]) => new Map<unknown, unknown>(ks.map((k, i) => [k, vs[i]])))
    const ventry = near(['tg', 'vp', 'mp', 'ma', 'dn', 'sd', 'dt', 'co', 'is', 'ci'], value)
    const nam = fc.oneof(
      near(['fn', 'gn', 'fnt', 'gnt'], value),
      near(['fn', 'fnt', 'gn', 'gnt'], value),
    )
    const dcc = near(
      ['ver', 'nam', 'dob', 'v'],
      fc.oneof(nam, fc.array(ventry, { maxLength: 3 }), value),
    )
    let exact = 0
    fc.assert(
      fc.property(dcc, (d) => {
        const bytes = encodeCbor(new Map<number, unknown>([[-260, new Map([[1, d]])]]))
        const fast = decodeHcertClaimsFast(bytes)
        if (fast === NOT_FAST) return
        const ref = toJsonValue(
          (decodeCbor(bytes) as Map<number, Map<number, unknown>>).get(-260)!.get(1),
        )
        const got = (fast as Map<number, Map<number, unknown>>).get(-260)!.get(1)
        // Same keys in the same order, same values, same prototypes.
        expect(got).toStrictEqual(ref)
        expect(JSON.stringify(got)).toBe(JSON.stringify(ref))
        if (JSON.stringify(Object.keys(got as object)) === '["ver","nam","dob","v"]') exact++
      }),
      { numRuns: 1500 },
    )
    expect(exact).toBeGreaterThan(50)
  })

  it('leaves tags, indefinite lengths, 64-bit integers, short floats, bad UTF-8 and deep nesting to the general path', () => {
    const cases = [
      [0xc1, 0x1a, 0, 0, 0, 1], // tag 1
      [0x9f, 0x01, 0xff], // indefinite array
      [0x1b, 0, 0, 0, 1, 0, 0, 0, 0], // 8-byte integer
      [0xf9, 0x3c, 0x00], // half float
      [0xfa, 0x3f, 0x80, 0, 0], // single float
      [0x62, 0xc3, 0x28], // invalid UTF-8
      [0x63, 0xef, 0xbb, 0xbf], // BOM
      [0x01, 0x02], // trailing byte
      [0x82, 0x01], // truncated
      [...Array(60).fill(0x81), 0x01], // deep
    ]
    for (const c of cases) expect(decodeCborFast(new Uint8Array(c))).toBe(NOT_FAST)
    // A repeated key: a Map keeps the last value as the general decoder does; in the DCC (JSON)
    // the order of keys could differ, so that goes to the general path.
    const dup = [0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02]
    expect(decodeCborFast(new Uint8Array(dup))).toEqual(decodeCbor(new Uint8Array(dup)))
    expect(
      decodeHcertClaimsFast(new Uint8Array([0xa1, 0x39, 0x01, 0x03, 0xa1, 0x01, ...dup])),
    ).toBe(NOT_FAST)
  })

  it('reads a tagged COSE_Sign1 envelope and refuses other tags', () => {
    const cose = encodeCbor([
      new Uint8Array([0xa1, 0x01, 0x26]),
      new Map(),
      new Uint8Array([1, 2]),
      new Uint8Array(64),
    ])
    const env = readCoseEnvelopeFast(new Uint8Array([0xd2, ...cose]))
    expect(env).not.toBe(NOT_FAST)
    if (env === NOT_FAST) return
    expect(env.tags).toEqual([18])
    expect(Array.from(env.items[2])).toEqual([1, 2])
    expect(readCoseEnvelopeFast(new Uint8Array([0xd8, 0x62, ...cose]))).toBe(NOT_FAST)
  })
})
