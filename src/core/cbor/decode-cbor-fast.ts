import { bytesToBase64 } from '../platform/bytes.js'

/*
 * A one-pass CBOR reader for the common, canonical shape of HCERT data: definite lengths,
 * integers below 2^32, float64, text, bytes, arrays, maps with integer or text keys, no tags
 * inside. The general path (scanCbor, then cbor-x, then toJsonValue) walks each item three
 * times and allocates Maps that are thrown away; on a verify that costs a fifth of a signature
 * check.
 *
 * It never decides anything on its own: on any input outside that subset (indefinite lengths,
 * 64-bit integers, half or single floats, tags, invalid or BOM-carrying UTF-8, duplicate JSON
 * keys, truncation, nesting near the limit, trailing bytes) it answers NOT_FAST and the caller
 * runs the general path, which gives the exact value or error. Within the subset the result is
 * the one the general path gives.
 */

/** Returned when the input is outside the fast subset: use the general decoder. */
export const NOT_FAST: unique symbol = Symbol('NOT_FAST')

// Thrown internally to unwind to the entry point; never escapes this module.
const BAIL = { bail: true }

// Stay clear of DEFAULT_CBOR_LIMITS.maxDepth (64): the general path judges deep input.
const MAX_FAST_DEPTH = 48

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const hasOwn = Object.prototype.hasOwnProperty

let buf: Uint8Array = new Uint8Array(0)
let pos = 0
let end = 0

// Reads an argument of at most 4 bytes (8-byte arguments and indefinite lengths bail).
function readArg(info: number): number {
  if (info < 24) return info
  if (info === 24) {
    if (pos + 1 > end) throw BAIL
    return buf[pos++]!
  }
  if (info === 25) {
    if (pos + 2 > end) throw BAIL
    const v = (buf[pos]! << 8) | buf[pos + 1]!
    pos += 2
    return v
  }
  if (info === 26) {
    if (pos + 4 > end) throw BAIL
    const v = ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0
    pos += 4
    return v
  }
  throw BAIL
}

function readText(n: number): string {
  if (n > end - pos) throw BAIL
  const start = pos
  const stop = pos + n
  let ascii = true
  for (let i = start; i < stop; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false
      break
    }
  }
  pos = stop
  if (ascii) {
    // Short ASCII strings: building them directly beats a native decoder call.
    if (n <= 64) {
      let s = ''
      for (let i = start; i < stop; i++) s += String.fromCharCode(buf[i]!)
      return s
    }
    return String.fromCharCode.apply(null, buf.subarray(start, stop) as unknown as number[])
  }
  let s: string
  try {
    s = UTF8.decode(buf.subarray(start, stop))
  } catch {
    throw BAIL
  }
  // Decoders differ on a byte order mark: leave it to the general path.
  if (s.includes('\uFEFF')) throw BAIL
  return s
}

function readFloat64(): number {
  if (pos + 8 > end) throw BAIL
  const v = new DataView(buf.buffer, buf.byteOffset + pos, 8).getFloat64(0)
  pos += 8
  return v
}

/*
 * One item. json: maps become plain objects (keys as strings), bytes base64, undefined null,
 * as toJsonValue makes them; otherwise maps are Maps and bytes are Uint8Array views.
 * hcert: 1 = this is the CWT claims map (its -260 value holds the DCC), 2 = the -260 map (its
 * key 1 value, the DCC, is read as JSON).
 */
function readItem(json: boolean, depth: number, hcert: number): unknown {
  if (pos >= end) throw BAIL
  const initial = buf[pos++]!
  const major = initial >> 5
  const info = initial & 0x1f
  switch (major) {
    case 0:
      return readArg(info)
    case 1:
      return -1 - readArg(info)
    case 2: {
      const n = readArg(info)
      if (n > end - pos) throw BAIL
      const bytes = buf.subarray(pos, pos + n)
      pos += n
      return json ? bytesToBase64(bytes) : bytes
    }
    case 3:
      return readText(readArg(info))
    case 4: {
      const n = readArg(info)
      if (n > end - pos || depth >= MAX_FAST_DEPTH) throw BAIL
      const a: unknown[] = []
      for (let i = 0; i < n; i++) a.push(readItem(json, depth + 1, 0))
      return a
    }
    case 5: {
      const n = readArg(info)
      if (n * 2 > end - pos || depth >= MAX_FAST_DEPTH) throw BAIL
      if (json) {
        const o: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) {
          const k = readKey()
          const key = typeof k === 'string' ? k : String(k)
          // A repeated key (or "1" after 1) orders differently in a Map: general path.
          if (key === '__proto__' || hasOwn.call(o, key)) throw BAIL
          o[key] = readItem(true, depth + 1, 0)
        }
        return o
      }
      const m = new Map<unknown, unknown>()
      for (let i = 0; i < n; i++) {
        const k = readKey()
        const v =
          hcert === 1 && k === -260
            ? readItem(false, depth + 1, 2)
            : readItem(hcert === 2 && k === 1, depth + 1, 0)
        m.set(k, v)
      }
      return m
    }
    case 6:
      throw BAIL
    default:
      if (info === 20) return false
      if (info === 21) return true
      if (info === 22) return null
      if (info === 23) return json ? null : undefined
      if (info === 27) return readFloat64()
      throw BAIL
  }
}

function readKey(): number | string {
  if (pos >= end) throw BAIL
  const initial = buf[pos++]!
  const major = initial >> 5
  const info = initial & 0x1f
  if (major === 0) return readArg(info)
  if (major === 1) return -1 - readArg(info)
  if (major === 3) return readText(readArg(info))
  throw BAIL
}

function run(bytes: Uint8Array, json: boolean, hcert: number): unknown {
  buf = bytes
  pos = 0
  end = bytes.length
  try {
    const v = readItem(json, 0, hcert)
    return pos === end ? v : NOT_FAST
  } catch (err) {
    if (err === BAIL) return NOT_FAST
    throw err
  } finally {
    buf = new Uint8Array(0)
  }
}

/**
 * Decodes one CBOR item as {@link decodeCbor} would (maps as Map, bytes as views on `bytes`),
 * or returns {@link NOT_FAST} when the item is outside the fast subset.
 *
 * @example
 * const v = decodeCborFast(bytes); const item = v === NOT_FAST ? decodeCbor(bytes) : v
 */
export function decodeCborFast(bytes: Uint8Array): unknown {
  return run(bytes, false, 0)
}

/**
 * Decodes HCERT CWT claims as {@link decodeCbor} would, except that the DCC (claim -260, key 1)
 * comes back already as JSON data (what toJsonValue makes of it); {@link NOT_FAST} when the
 * claims are outside the fast subset.
 *
 * @example
 * const m = decodeHcertClaimsFast(payload) // Map { 1 => 'VN', ..., -260 => Map { 1 => {...} } }
 */
export function decodeHcertClaimsFast(bytes: Uint8Array): unknown {
  return run(bytes, false, 1)
}

/**
 * Reads the COSE_Sign1 envelope: tags 18 or 61 (outermost first), then an array of four whose
 * first, third and fourth items are byte strings (views on `bytes`) and whose second is decoded
 * as {@link decodeCborFast} would. {@link NOT_FAST} for anything else.
 *
 * @example
 * const env = readCoseEnvelopeFast(bytes)
 */
export function readCoseEnvelopeFast(
  bytes: Uint8Array,
): { tags: number[]; items: [Uint8Array, unknown, Uint8Array, Uint8Array] } | typeof NOT_FAST {
  buf = bytes
  pos = 0
  end = bytes.length
  try {
    const tags: number[] = []
    for (;;) {
      if (pos >= end) return NOT_FAST
      const initial = buf[pos]!
      if (initial >> 5 !== 6) break
      pos++
      const tag = readArg(initial & 0x1f)
      if (tag !== 18 && tag !== 61) return NOT_FAST
      tags.push(tag)
      if (tags.length > 4) return NOT_FAST
    }
    if (buf[pos++] !== 0x84) return NOT_FAST
    const p = readItem(false, tags.length + 1, 0)
    const u = readItem(false, tags.length + 1, 0)
    const payload = readItem(false, tags.length + 1, 0)
    const signature = readItem(false, tags.length + 1, 0)
    if (pos !== end) return NOT_FAST
    if (!(p instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
      return NOT_FAST
    }
    return { tags, items: [p, u, payload, signature] }
  } catch (err) {
    if (err === BAIL) return NOT_FAST
    throw err
  } finally {
    buf = new Uint8Array(0)
  }
}
