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

// Keys up to 23 bytes (one-byte CBOR head) go through a small cache of recent keys.
const MAX_CACHED_KEY = 23
const KEY_CACHE_SIZE = 256
const KEY_CACHE_BYTES: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(
  KEY_CACHE_SIZE,
).fill(undefined)
const KEY_CACHE_STRINGS: (string | undefined)[] = new Array<string | undefined>(
  KEY_CACHE_SIZE,
).fill(undefined)

/*
 * Short text (every DCC field) is decoded here rather than by TextDecoder (a native call, and a
 * concatenation per character for ASCII): UTF-16 code units go into a reused array of exactly
 * the string's length, then one String.fromCharCode.apply makes a flat string. Only valid
 * UTF-8 without a byte order mark is decoded; anything else returns undefined and the caller
 * asks TextDecoder, whose verdict stands.
 */
const MAX_SHORT_TEXT = 64
// Made on the first decode rather than when the module loads (browser bundles import it).
let unitsByLength: number[][] | undefined

function makeUnitsByLength(): number[][] {
  const units: number[][] = []
  for (let n = 0; n <= MAX_SHORT_TEXT; n++) units.push(new Array<number>(n).fill(0))
  return units
}

function shortText(buf: Uint8Array, start: number, n: number): string | undefined {
  const stop = start + n
  const unitArrays = (unitsByLength ??= makeUnitsByLength())
  // ASCII (most DCC fields): one pass, each byte is its code unit.
  const ascii = unitArrays[n]!
  let k = 0
  while (k < n) {
    const b = buf[start + k]!
    if (b >= 0x80) break
    ascii[k++] = b
  }
  if (k === n) return String.fromCharCode.apply(null, ascii)
  // Otherwise a first pass validates and counts UTF-16 code units.
  let units = 0
  let i = start
  while (i < stop) {
    const b = buf[i]!
    if (b < 0x80) {
      i++
      units++
    } else if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= stop || (buf[i + 1]! & 0xc0) !== 0x80) return undefined
      i += 2
      units++
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= stop) return undefined
      const b1 = buf[i + 1]!
      if ((b1 & 0xc0) !== 0x80 || (buf[i + 2]! & 0xc0) !== 0x80) return undefined
      // Overlong (E0 80-9F) and surrogates (ED A0-BF) are invalid.
      if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0)) return undefined
      const cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (buf[i + 2]! & 0x3f)
      if (cp === 0xfeff) return undefined
      i += 3
      units++
    } else {
      // Four-byte sequences (outside the BMP) and invalid bytes: TextDecoder.
      return undefined
    }
  }
  const out = unitArrays[units]!
  let u = 0
  for (i = start; i < stop;) {
    const b = buf[i]!
    if (b < 0x80) {
      out[u++] = b
      i++
    } else if (b < 0xe0) {
      out[u++] = ((b & 0x1f) << 6) | (buf[i + 1]! & 0x3f)
      i += 2
    } else {
      out[u++] = ((b & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f)
      i += 3
    }
  }
  return String.fromCharCode.apply(null, out)
}

/*
 * DCC objects as our issuer (and the schema's examples) write them: building each as one object
 * literal spares a keyed store and an own-key check per field (most of the CBOR→JSON cost). Each
 * shape reads its values into locals (field gives MISS where the next key is not the expected
 * one), so no value of one pass is stored into an array kept from pass to pass (a write
 * barrier and an early promotion each, measured at ~4 µs per verify).
 */
type ShapeReader = (r: Reader, depth: number) => Record<string, unknown> | undefined

// Returned by Reader.field when the next key is not the one expected.
const MISS: unique symbol = Symbol('MISS')

// A key as its CBOR text item (one-byte head: keys are short).
function keyItem(name: string): Uint8Array {
  const b = new TextEncoder().encode(name)
  return new Uint8Array([0x60 | b.length, ...b])
}

const K_VER = keyItem('ver')
const K_NAM = keyItem('nam')
const K_DOB = keyItem('dob')
const K_V = keyItem('v')
const K_FN = keyItem('fn')
const K_GN = keyItem('gn')
const K_FNT = keyItem('fnt')
const K_GNT = keyItem('gnt')
const K_TG = keyItem('tg')
const K_VP = keyItem('vp')
const K_MP = keyItem('mp')
const K_MA = keyItem('ma')
const K_DN = keyItem('dn')
const K_SD = keyItem('sd')
const K_DT = keyItem('dt')
const K_CO = keyItem('co')
const K_IS = keyItem('is')
const K_CI = keyItem('ci')

// Values whose key is passed with code = true come from value sets or name the issuer: the same
// few strings every pass (readCodeValue).
function readDcc(r: Reader, d: number): Record<string, unknown> | undefined {
  const ver = r.field(K_VER, true, d)
  if (ver === MISS) return undefined
  const nam = r.field(K_NAM, false, d)
  if (nam === MISS) return undefined
  const dob = r.field(K_DOB, false, d)
  if (dob === MISS) return undefined
  const v = r.field(K_V, false, d)
  if (v === MISS) return undefined
  return { ver, nam, dob, v }
}

function readNameFnGn(r: Reader, d: number): Record<string, unknown> | undefined {
  const fn = r.field(K_FN, false, d)
  if (fn === MISS) return undefined
  const gn = r.field(K_GN, false, d)
  if (gn === MISS) return undefined
  const fnt = r.field(K_FNT, false, d)
  if (fnt === MISS) return undefined
  const gnt = r.field(K_GNT, false, d)
  if (gnt === MISS) return undefined
  return { fn, gn, fnt, gnt }
}

function readNameFnFnt(r: Reader, d: number): Record<string, unknown> | undefined {
  const fn = r.field(K_FN, false, d)
  if (fn === MISS) return undefined
  const fnt = r.field(K_FNT, false, d)
  if (fnt === MISS) return undefined
  const gn = r.field(K_GN, false, d)
  if (gn === MISS) return undefined
  const gnt = r.field(K_GNT, false, d)
  if (gnt === MISS) return undefined
  return { fn, fnt, gn, gnt }
}

function readVaccination(r: Reader, d: number): Record<string, unknown> | undefined {
  const tg = r.field(K_TG, true, d)
  if (tg === MISS) return undefined
  const vp = r.field(K_VP, true, d)
  if (vp === MISS) return undefined
  const mp = r.field(K_MP, true, d)
  if (mp === MISS) return undefined
  const ma = r.field(K_MA, true, d)
  if (ma === MISS) return undefined
  const dn = r.field(K_DN, false, d)
  if (dn === MISS) return undefined
  const sd = r.field(K_SD, false, d)
  if (sd === MISS) return undefined
  const dt = r.field(K_DT, false, d)
  if (dt === MISS) return undefined
  const co = r.field(K_CO, true, d)
  if (co === MISS) return undefined
  const is = r.field(K_IS, true, d)
  if (is === MISS) return undefined
  const ci = r.field(K_CI, false, d)
  if (ci === MISS) return undefined
  return { tg, vp, mp, ma, dn, sd, dt, co, is, ci }
}

// The shapes by their number of keys, each tried in turn.
const SHAPES_BY_SIZE: readonly (readonly ShapeReader[] | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  [readDcc, readNameFnGn, readNameFnFnt],
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  [readVaccination],
]
const MAX_SHAPE_SIZE = SHAPES_BY_SIZE.length - 1

// Recent code values (value-set codes, versions, issuers), as KEY_CACHE_* holds keys.
const CODE_CACHE_SIZE = 256
const CODE_CACHE_BYTES: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(
  CODE_CACHE_SIZE,
).fill(undefined)
const CODE_CACHE_STRINGS: (string | undefined)[] = new Array<string | undefined>(
  CODE_CACHE_SIZE,
).fill(undefined)

/* One pass over one buffer; a fresh reader per call keeps the state in fields V8 optimises. */
class Reader {
  pos = 0
  readonly end: number
  constructor(readonly buf: Uint8Array) {
    this.end = buf.length
  }

  // Reads an argument of at most 4 bytes (8-byte arguments and indefinite lengths bail).
  readArg(info: number): number {
    if (info < 24) return info
    if (info === 24) {
      if (this.pos + 1 > this.end) throw BAIL
      return this.buf[this.pos++]!
    }
    if (info === 25) {
      if (this.pos + 2 > this.end) throw BAIL
      const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!
      this.pos += 2
      return v
    }
    if (info === 26) {
      if (this.pos + 4 > this.end) throw BAIL
      const v =
        ((this.buf[this.pos]! << 24) |
          (this.buf[this.pos + 1]! << 16) |
          (this.buf[this.pos + 2]! << 8) |
          this.buf[this.pos + 3]!) >>>
        0
      this.pos += 4
      return v
    }
    throw BAIL
  }

  readText(n: number): string {
    if (n > this.end - this.pos) throw BAIL
    const start = this.pos
    const stop = this.pos + n
    this.pos = stop
    if (n <= MAX_SHORT_TEXT) {
      const s = shortText(this.buf, start, n)
      if (s !== undefined) return s
    }
    let ascii = true
    for (let i = start; i < stop; i++) {
      if (this.buf[i]! >= 0x80) {
        ascii = false
        break
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, this.buf.subarray(start, stop) as unknown as number[])
    }
    let s: string
    try {
      s = UTF8.decode(this.buf.subarray(start, stop))
    } catch {
      throw BAIL
    }
    // Decoders differ on a byte order mark: leave it to the general path.
    if (s.includes('\uFEFF')) throw BAIL
    return s
  }

  readFloat64(): number {
    if (this.pos + 8 > this.end) throw BAIL
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0)
    this.pos += 8
    return v
  }

  /*
   * One item. json: maps become plain objects (keys as strings), bytes base64, undefined null,
   * as toJsonValue makes them; otherwise maps are Maps and bytes are Uint8Array views.
   * hcert: 1 = this is the CWT claims map (its -260 value holds the DCC), 2 = the -260 map (its
   * key 1 value, the DCC, is read as JSON).
   */
  readItem(json: boolean, depth: number, hcert: number): unknown {
    if (this.pos >= this.end) throw BAIL
    const initial = this.buf[this.pos++]!
    const major = initial >> 5
    const info = initial & 0x1f
    switch (major) {
      case 0:
        return this.readArg(info)
      case 1:
        return -1 - this.readArg(info)
      case 2: {
        const n = this.readArg(info)
        if (n > this.end - this.pos) throw BAIL
        const bytes = this.buf.subarray(this.pos, this.pos + n)
        this.pos += n
        return json ? bytesToBase64(bytes) : bytes
      }
      case 3:
        return this.readText(this.readArg(info))
      case 4: {
        const n = this.readArg(info)
        if (n > this.end - this.pos || depth >= MAX_FAST_DEPTH) throw BAIL
        const a: unknown[] = []
        for (let i = 0; i < n; i++) a.push(this.readItem(json, depth + 1, 0))
        return a
      }
      case 5: {
        const n = this.readArg(info)
        if (n * 2 > this.end - this.pos || depth >= MAX_FAST_DEPTH) throw BAIL
        if (json) {
          const shaped = n <= MAX_SHAPE_SIZE ? this.readShaped(n, depth) : undefined
          if (shaped !== undefined) return shaped
          const o: Record<string, unknown> = {}
          for (let i = 0; i < n; i++) {
            const k = this.readKey()
            const key = typeof k === 'string' ? k : String(k)
            // A repeated key (or "1" after 1) orders differently in a Map: general path.
            if (key === '__proto__' || hasOwn.call(o, key)) throw BAIL
            o[key] = this.readItem(true, depth + 1, 0)
          }
          return o
        }
        const m = new Map<unknown, unknown>()
        for (let i = 0; i < n; i++) {
          const k = this.readKey()
          const v =
            hcert === 1 && k === -260
              ? this.readItem(false, depth + 1, 2)
              : this.readItem(hcert === 2 && k === 1, depth + 1, 0)
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
        if (info === 27) return this.readFloat64()
        throw BAIL
    }
  }

  /*
   * A JSON map whose text keys are exactly those of one shape reader (SHAPES_BY_SIZE), in its
   * order, as one object literal; undefined (position restored) otherwise, and the caller reads it key by key. The literal
   * has the same keys in the same order and the same values, so the same JSON. Values read
   * before a key that does not match are read again from the same place: same value or bail.
   */
  readShaped(n: number, depth: number): Record<string, unknown> | undefined {
    const readers = SHAPES_BY_SIZE[n]
    if (readers === undefined) return undefined
    const start = this.pos
    for (const read of readers) {
      const o = read(this, depth + 1)
      if (o !== undefined) return o
      this.pos = start
    }
    return undefined
  }

  // The value of the next map entry when its key is exactly `key` (CBOR bytes); MISS otherwise.
  field(key: Uint8Array, code: boolean, depth: number): unknown {
    if (!this.skipKey(key)) return MISS
    return code ? this.readCodeValue(depth) : this.readItem(true, depth, 0)
  }

  /*
   * A JSON value where codes are expected: short text (up to 63 bytes) comes from a cache of
   * recent codes when its bytes are those of a cached one (a string made by readText from the
   * same bytes earlier, so the same string); anything else is readItem's.
   */
  readCodeValue(depth: number): unknown {
    const buf = this.buf
    const at = this.pos
    if (at >= this.end) throw BAIL
    const initial = buf[at]!
    let n: number
    let start: number
    if (initial >= 0x60 && initial < 0x78) {
      n = initial - 0x60
      start = at + 1
    } else if (initial === 0x78 && at + 1 < this.end && buf[at + 1]! < 64) {
      n = buf[at + 1]!
      start = at + 2
    } else return this.readItem(true, depth, 0)
    if (n > this.end - start) throw BAIL
    let h = n
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + buf[start + i]!) | 0
    const slot = (h ^ (h >>> 11)) & (CODE_CACHE_SIZE - 1)
    const cached = CODE_CACHE_BYTES[slot]
    if (cached !== undefined && cached.length === n) {
      let i = 0
      while (i < n && cached[i] === buf[start + i]) i++
      if (i === n) {
        this.pos = start + n
        return CODE_CACHE_STRINGS[slot]!
      }
    }
    this.pos = start
    const s = this.readText(n)
    CODE_CACHE_BYTES[slot] = buf.slice(start, start + n)
    CODE_CACHE_STRINGS[slot] = s
    return s
  }

  // Steps over the next map key when its CBOR bytes are exactly `key`.
  skipKey(key: Uint8Array): boolean {
    const n = key.length
    if (n > this.end - this.pos) return false
    const buf = this.buf
    const at = this.pos
    for (let i = 0; i < n; i++) if (buf[at + i] !== key[i]) return false
    this.pos = at + n
    return true
  }

  readKey(): number | string {
    if (this.pos >= this.end) throw BAIL
    const initial = this.buf[this.pos++]!
    const major = initial >> 5
    const info = initial & 0x1f
    if (major === 0) return this.readArg(info)
    if (major === 1) return -1 - this.readArg(info)
    if (major === 3)
      return info <= MAX_CACHED_KEY ? this.readShortKey(info) : this.readText(this.readArg(info))
    throw BAIL
  }

  // Map keys repeat from pass to pass ("v", "tg", "dn", ...): reuse the string made last time
  // for the same bytes, which also spares V8 looking a fresh key up in its string table.
  readShortKey(n: number): string {
    if (n > this.end - this.pos) throw BAIL
    const buf = this.buf
    const start = this.pos
    let h = n
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + buf[start + i]!) | 0
    const slot = (h ^ (h >>> 11)) & (KEY_CACHE_SIZE - 1)
    const cached = KEY_CACHE_BYTES[slot]
    if (cached !== undefined && cached.length === n) {
      let same = true
      for (let i = 0; i < n; i++) {
        if (cached[i] !== buf[start + i]) {
          same = false
          break
        }
      }
      if (same) {
        this.pos = start + n
        return KEY_CACHE_STRINGS[slot]!
      }
    }
    const s = this.readText(n)
    KEY_CACHE_BYTES[slot] = buf.slice(start, start + n)
    KEY_CACHE_STRINGS[slot] = s
    return s
  }
}

function run(bytes: Uint8Array, json: boolean, hcert: number): unknown {
  const r = new Reader(bytes)
  try {
    const v = r.readItem(json, 0, hcert)
    return r.pos === r.end ? v : NOT_FAST
  } catch (err) {
    if (err === BAIL) return NOT_FAST
    throw err
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

/** HCERT CWT claims as {@link readHcertClaimsFast} reads them (times as CBOR numbers). */
export interface HcertClaimsFast {
  readonly iss: string | undefined
  readonly iat: number | undefined
  readonly exp: number | undefined
  /** The DCC as JSON data (what toJsonValue makes of it). */
  readonly dcc: unknown
}

/**
 * The usual HCERT CWT claims read straight into fields, with no Map for the claims or for
 * -260: a map whose keys are each at most once among 1 (text), 4 and 6 (integers of at most
 * 32 bits or finite float64) and -260 (a map of exactly one key, 1, the DCC). Anything else,
 * other claims included, is {@link NOT_FAST}: then use {@link decodeHcertClaimsFast} or the
 * general decoder. Where it answers, the values are those of the Map that
 * decodeHcertClaimsFast returns.
 *
 * @example
 * const c = readHcertClaimsFast(payload) // { iss: 'VN', iat: ..., exp: ..., dcc: {...} }
 */
export function readHcertClaimsFast(bytes: Uint8Array): HcertClaimsFast | typeof NOT_FAST {
  const r = new Reader(bytes)
  try {
    if (r.end === 0) return NOT_FAST
    const initial = r.buf[r.pos++]!
    if (initial >> 5 !== 5) return NOT_FAST
    const n = r.readArg(initial & 0x1f)
    let iss: string | undefined
    let iat: number | undefined
    let exp: number | undefined
    let dcc: unknown
    let seen = 0
    for (let i = 0; i < n; i++) {
      const k = r.readKey()
      const bit = k === 1 ? 1 : k === 4 ? 2 : k === 6 ? 4 : k === -260 ? 8 : 0
      if (bit === 0 || (seen & bit) !== 0) return NOT_FAST
      seen |= bit
      if (bit === 8) {
        // {1: dcc}: a one-entry map head (0xa1) and the key 1 (0x01).
        if (r.pos + 2 > r.end || r.buf[r.pos] !== 0xa1 || r.buf[r.pos + 1] !== 0x01) {
          return NOT_FAST
        }
        r.pos += 2
        dcc = r.readItem(true, 2, 0)
        continue
      }
      const v = r.readItem(false, 1, 0)
      if (bit === 1) {
        if (typeof v !== 'string') return NOT_FAST
        iss = v
      } else {
        if (typeof v !== 'number' || !Number.isFinite(v)) return NOT_FAST
        if (bit === 2) exp = v
        else iat = v
      }
    }
    if (r.pos !== r.end || (seen & 8) === 0) return NOT_FAST
    return { iss, iat, exp, dcc }
  } catch (err) {
    if (err === BAIL) return NOT_FAST
    throw err
  }
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
  const r = new Reader(bytes)
  try {
    const tags: number[] = []
    for (;;) {
      if (r.pos >= r.end) return NOT_FAST
      const initial = r.buf[r.pos]!
      if (initial >> 5 !== 6) break
      r.pos++
      const tag = r.readArg(initial & 0x1f)
      if (tag !== 18 && tag !== 61) return NOT_FAST
      tags.push(tag)
      if (tags.length > 4) return NOT_FAST
    }
    if (r.buf[r.pos++] !== 0x84) return NOT_FAST
    const p = r.readItem(false, tags.length + 1, 0)
    const u = r.readItem(false, tags.length + 1, 0)
    const payload = r.readItem(false, tags.length + 1, 0)
    const signature = r.readItem(false, tags.length + 1, 0)
    if (r.pos !== r.end) return NOT_FAST
    if (
      !(p instanceof Uint8Array) ||
      !(payload instanceof Uint8Array) ||
      !(signature instanceof Uint8Array)
    ) {
      return NOT_FAST
    }
    return { tags, items: [p, u, payload, signature] }
  } catch (err) {
    if (err === BAIL) return NOT_FAST
    throw err
  }
}
