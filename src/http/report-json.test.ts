import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { withHead, writeReportJson } from './report-json.js'

// Any UTF-16 unit: quotes, backslashes, control characters, lone surrogates, non-ASCII.
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
const text = fc.oneof(
  fc.string({ unit }),
  fc.string({
    unit: fc.constantFrom('a', 'ễ', 'ỳ', '"', '\\', '\n', '\u0000', '\ud83d', '\ude42', '🙂'),
  }),
  fc.string(),
)
// Plain objects, as the verifier makes them (a null prototype is declined, tested below).
function rec<T extends Record<string, fc.Arbitrary<unknown>>>(model: T) {
  return fc.record(model, { noNullPrototype: true })
}
const num = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 3, 9, 10, -7, 1e21, NaN, Infinity),
)
const check = rec({
  id: fc.constantFrom('prefix', 'kid', 'signature'),
  ok: fc.boolean(),
  code: fc.option(text),
  message: text,
})
const usual = rec({
  valid: fc.boolean(),
  format: fc.constantFrom('EU_DCC', null),
  checks: fc.array(check, { maxLength: 10 }),
  warnings: fc.constant([]),
  headers: rec({
    alg: text,
    algId: num,
    kid: text,
    kidLocation: text,
    protected: rec({ 1: num, 4: text }),
    unprotected: fc.constant({}),
    tags: fc.array(num),
  }),
  payload: rec({
    ver: text,
    nam: fc.record(
      { fn: text, fnt: text, gn: text, gnt: text },
      { noNullPrototype: true, requiredKeys: [] },
    ),
    dob: text,
    v: fc.array(
      rec({
        tg: text,
        vp: text,
        mp: text,
        dn: num,
        sd: num,
        dt: text,
        co: text,
        is: text,
        ci: text,
      }),
    ),
  }),
  holder: fc.record(
    { name: text, familyName: text, givenName: text, dateOfBirth: text },
    { noNullPrototype: true, requiredKeys: ['name'] },
  ),
  issuer: rec({ id: text, country: text, trustAnchor: text }),
  validity: rec({ issuedAt: text, expiresAt: text }),
})
// Reports off the usual shape: other keys, values, prototypes, nesting.
const odd = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    withNullPrototype: true,
    withMap: true,
    withDate: true,
    withBoxedValues: true,
    withSparseArray: true,
  }),
  usual.map((r) => ({ ...r, extra: 1 })),
  usual.map((r) => ({ ...r, payload: { ...(r.payload as object), dob: undefined } })),
  usual.map((r) => ({ ...r, headers: { ...(r.headers as object), protected: { 1: 1n } } })),
  usual.map((r) => ({ ...r, payload: { a: { b: { c: { d: { e: { f: [1] } } } } } } })),
  usual.map((r) => ({ ...r, holder: Object.assign(Object.create({ givenName: 'x' }), r.holder) })),
  usual.map((r) => ({ ...r, holder: { ...(r.holder as object), name: 'x'.repeat(20_000) } })),
)

// What the fast path sends: the bytes of JSON.stringify, or a decline when JSON.stringify is used.
const bytesOf = (report: unknown): Buffer | undefined => {
  const n = writeReportJson(report)
  return n < 0 ? undefined : withHead('HTTP/1.1 200 OK\r\n\r\n', n)
}

describe('writeReportJson', () => {
  it('writes exactly the UTF-8 of JSON.stringify for every usual report', () => {
    fc.assert(
      fc.property(usual, (report) => {
        const bytes = bytesOf(report)
        // Only NaN or Infinity (null in JSON) make it decline a usual report.
        if (bytes === undefined) expect(JSON.stringify(report)).toMatch(/null/)
        else
          expect(
            bytes.equals(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${JSON.stringify(report)}`)),
          ).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('declines or writes the same bytes for reports off the usual shape', () => {
    fc.assert(
      fc.property(odd, (report) => {
        const bytes = bytesOf(report)
        if (bytes !== undefined) {
          expect(
            bytes.equals(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${JSON.stringify(report)}`)),
          ).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('declines inherited keys, undefined values, other prototypes and a report too long', () => {
    const report = { valid: true, format: 'EU_DCC', checks: [], warnings: [] }
    expect(bytesOf(report)?.toString()).toBe(`HTTP/1.1 200 OK\r\n\r\n${JSON.stringify(report)}`)
    expect(writeReportJson({ ...report, holder: Object.create({ name: 'x' }) })).toBe(-1)
    expect(writeReportJson({ ...report, valid: undefined })).toBe(-1)
    expect(writeReportJson({ ...report, checks: new Map() })).toBe(-1)
    expect(writeReportJson({ ...report, unknown: 1 })).toBe(-1)
    expect(writeReportJson(Object.assign(Object.create(null), report))).toBe(-1)
    const proto = Object.prototype as { polluted?: number }
    Object.defineProperty(proto, 'polluted', {
      value: 1,
      enumerable: true,
      configurable: true,
      writable: true,
    })
    try {
      expect(writeReportJson(report)).toBe(-1)
    } finally {
      delete proto.polluted
    }
    expect(writeReportJson(report)).toBeGreaterThan(0)
    expect(writeReportJson({ ...report, format: 'é'.repeat(30_000) })).toBe(-1)
    expect(writeReportJson({ ...report, format: 'ễ"'.repeat(20_000) })).toBe(-1)
  })
})
