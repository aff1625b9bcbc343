/*
 * A CBOR writer for JSON-like data (a DCC payload, CWT claim values) that writes straight into
 * a caller's buffer, with exactly the bytes cbor-x writes for the same value with the encoder of
 * cbor.ts: definite lengths, minimal headers, plain objects as maps with text keys in
 * Object.keys order, integers in the smallest form, other numbers as float64. It answers only
 * for what it knows to be identical (plain objects and arrays, strings of well-formed UTF-16,
 * numbers, booleans, null, undefined, at most MAX_DEPTH deep) and returns NOT_WRITTEN for
 * anything else or when the buffer is too small, so that the caller uses cbor-x for the whole
 * value. The point is speed: no Map to build, no intermediate buffer, no copy of the result.
 */

/** What {@link writeCborFast} returns when it did not write the value. */
export const NOT_WRITTEN = -1

const MAX_DEPTH = 64

const EMPTY = /* @__PURE__ */ new Uint8Array(0)
let out: Uint8Array = EMPTY
let pos = 0
const F64 = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(8))

/**
 * Writes `value` as CBOR into `target` from `offset` and returns the offset after it, or
 * {@link NOT_WRITTEN} (-1) when the value holds something outside the plain JSON-like subset or
 * does not fit; bytes past `offset` may then have been overwritten.
 *
 * @example
 * const end = writeCborFast({ ver: '1.3.0' }, buf, 0) // a1 63 76 65 72 65 31 2e 33 2e 30
 * const bytes = end === NOT_WRITTEN ? encodeCbor(value) : buf.subarray(0, end)
 */
export function writeCborFast(value: unknown, target: Uint8Array, offset: number): number {
  out = target
  pos = offset
  const ok = writeValue(value, 0)
  out = EMPTY // the caller's buffer is not kept

  return ok ? pos : NOT_WRITTEN
}

function writeValue(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return writeText(v)
  if (typeof v === 'number') return writeNumber(v)
  if (pos + 9 > out.length) return false
  if (typeof v === 'boolean') {
    out[pos++] = v ? 0xf5 : 0xf4
    return true
  }
  if (v === null) {
    out[pos++] = 0xf6
    return true
  }
  if (v === undefined) {
    out[pos++] = 0xf7
    return true
  }
  if (typeof v !== 'object' || depth >= MAX_DEPTH) return false
  // The same test as cbor-x: anything else (Map, Date, typed arrays, class instances, objects
  // without prototype) has its own encoding there.
  const ctor = (v as { constructor?: unknown }).constructor
  if (ctor === Array) {
    const a = v as unknown[]
    const n = a.length
    writeHead(0x80, n)
    for (let i = 0; i < n; i++) if (!writeValue(a[i], depth + 1)) return false
    return true
  }
  if (ctor === Object) {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    const n = keys.length
    writeHead(0xa0, n)
    for (let i = 0; i < n; i++) {
      const k = keys[i]!
      if (!writeText(k) || !writeValue(o[k], depth + 1)) return false
    }
    return true
  }
  return false
}

/** A major type with its argument, smallest form; `pos + 5 <= out.length` is the caller's. */
function writeHead(major: number, n: number): void {
  if (n < 24) {
    out[pos++] = major | n
  } else if (n < 0x100) {
    out[pos++] = major | 24
    out[pos++] = n
  } else if (n < 0x10000) {
    out[pos++] = major | 25
    out[pos++] = n >> 8
    out[pos++] = n
  } else {
    out[pos++] = major | 26
    out[pos++] = n >>> 24
    out[pos++] = n >> 16
    out[pos++] = n >> 8
    out[pos++] = n
  }
}

function writeNumber(v: number): boolean {
  if (pos + 9 > out.length) return false
  // cbor-x's order: uint32, then negative int32, then negative integers down to -2^32, then
  // float64 for everything else (larger integers too, NaN and infinities).
  if (v >>> 0 === v) {
    writeHead(0x00, v)
  } else if (v >> 0 === v) {
    writeHead(0x20, -1 - v)
  } else if (v < 0 && v >= -0x100000000 && Math.floor(v) === v) {
    const u = -1 - v
    out[pos++] = 0x3a
    out[pos++] = u / 0x1000000
    out[pos++] = u >>> 16
    out[pos++] = u >>> 8
    out[pos++] = u
  } else {
    F64.setFloat64(0, v)
    out[pos++] = 0xfb
    for (let k = 0; k < 8; k++) out[pos++] = F64.getUint8(k)
  }
  return true
}

/** A text string in UTF-8; false for a lone surrogate (cbor-x writes those two ways). */
function writeText(s: string): boolean {
  const n = s.length
  const o = out
  if (pos + 5 + n * 3 > o.length) return false
  // Header first for the length in UTF-16 units; moved below if the UTF-8 length needs more.
  const hs = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5
  const start = pos + hs
  let p = start
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      o[p++] = c
    } else if (c < 0x800) {
      o[p++] = 0xc0 | (c >> 6)
      o[p++] = 0x80 | (c & 0x3f)
    } else if (c < 0xd800 || c > 0xdfff) {
      o[p++] = 0xe0 | (c >> 12)
      o[p++] = 0x80 | ((c >> 6) & 0x3f)
      o[p++] = 0x80 | (c & 0x3f)
    } else {
      const c2 = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (c > 0xdbff || c2 < 0xdc00 || c2 > 0xdfff) return false
      c = 0x10000 + ((c & 0x3ff) << 10) + (c2 & 0x3ff)
      i++
      o[p++] = 0xf0 | (c >> 18)
      o[p++] = 0x80 | ((c >> 12) & 0x3f)
      o[p++] = 0x80 | ((c >> 6) & 0x3f)
      o[p++] = 0x80 | (c & 0x3f)
    }
  }
  const len = p - start
  const need = len < 24 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5
  if (need !== hs) {
    if (p + need - hs > o.length) return false
    o.copyWithin(pos + need, start, p)
  }
  writeHead(0x60, len)
  pos += len
  return true
}
