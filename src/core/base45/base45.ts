import { VaxpassError } from '../errors.js'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
const ASCII = new TextDecoder('latin1')
const ALPHABET_CODES = new Uint8Array(45)
for (let i = 0; i < 45; i++) ALPHABET_CODES[i] = ALPHABET.charCodeAt(i)
// char code -> value, 255 for characters outside the alphabet; one entry per UTF-16 code unit,
// so that the hot loop never reads past the table (which would make V8 leave its fast path).
// Built on the first decode, so that a bundle that only encodes (or loads without decoding)
// does not hold 64 KiB for it.
let valueTable: Uint8Array | undefined

function decodeTable(): Uint8Array {
  if (valueTable === undefined) {
    valueTable = new Uint8Array(65536).fill(255)
    for (let i = 0; i < 45; i++) valueTable[ALPHABET.charCodeAt(i)] = i
  }
  return valueTable
}

/**
 * Encodes bytes as Base45 (RFC 9285).
 *
 * @example
 * encodeBase45(new TextEncoder().encode('AB')) // 'BB8'
 */
export function encodeBase45(data: Uint8Array): string {
  const out = new Uint8Array(Math.floor(data.length / 2) * 3 + (data.length % 2) * 2)
  let o = 0
  let i = 0
  for (; i + 1 < data.length; i += 2) {
    // Integer division only (| 0): a float quotient would make every table index a double.
    const n = (data[i]! << 8) | data[i + 1]!
    const q = (n / 45) | 0
    const e = (q / 45) | 0
    out[o++] = ALPHABET_CODES[n - q * 45]!
    out[o++] = ALPHABET_CODES[q - e * 45]!
    out[o++] = ALPHABET_CODES[e]!
  }
  if (i < data.length) {
    const n = data[i]!
    out[o++] = ALPHABET_CODES[n % 45]!
    out[o++] = ALPHABET_CODES[Math.floor(n / 45)]!
  }
  // The output is ASCII: one native decode is far cheaper than building the string per char.
  return ASCII.decode(out)
}

/**
 * Decodes Base45 (RFC 9285) strictly: characters outside the alphabet, a length of 3n+1 and
 * triplets above 65535 (or pairs above 255) are errors with code `ERR_BASE45`.
 * `start` skips a prefix without copying the string (offsets in errors count from it).
 * `into`, when large enough, receives the bytes and the result is a view on it (a verifier's
 * reused scratch buffer: no allocation outside V8's heap per pass).
 *
 * @example
 * decodeBase45('BB8') // Uint8Array [0x41, 0x42]
 * decodeBase45('HC1:BB8', 4) // the same
 */
export function decodeBase45(text: string, start = 0, into?: Uint8Array): Uint8Array {
  const len = text.length - start
  if (len % 3 === 1) {
    throw new VaxpassError('ERR_BASE45', 'Base45 length leaves a single trailing character', {
      details: { length: len },
    })
  }
  const size = Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0)
  const out =
    into !== undefined && into.length >= size ? into.subarray(0, size) : new Uint8Array(size)
  const values = decodeTable()
  if (decodeAsciiFast(text, start, out, values)) return out
  let o = 0
  let i = start
  const stop = text.length
  // Hot path for verification: table lookups inline; 255 marks a character outside the alphabet.
  for (; i + 2 < stop; i += 3) {
    const a = values[text.charCodeAt(i)]!
    const b = values[text.charCodeAt(i + 1)]!
    const c = values[text.charCodeAt(i + 2)]!
    if (a > 44 || b > 44 || c > 44) {
      value(values, text, i, start)
      value(values, text, i + 1, start)
      value(values, text, i + 2, start)
    }
    const n = a + b * 45 + c * 2025
    if (n > 0xffff) {
      throw new VaxpassError('ERR_BASE45', 'Base45 triplet exceeds 65535', {
        details: { offset: i - start },
      })
    }
    out[o++] = n >> 8
    out[o++] = n & 0xff
  }
  if (i < stop) {
    const n = value(values, text, i, start) + value(values, text, i + 1, start) * 45
    if (n > 0xff) {
      throw new VaxpassError('ERR_BASE45', 'Base45 final pair exceeds 255', {
        details: { offset: i - start },
      })
    }
    out[o++] = n
  }
  return out
}

/**
 * {@link decodeBase45} of valid ASCII Base45 written at the start of `into`, without a view:
 * returns how many bytes were written, or -1 when the text is not valid ASCII Base45 or does not
 * fit (then decodeBase45 gives the bytes or the precise `ERR_BASE45`). For a verifier that keeps
 * the bytes in a reused buffer.
 *
 * @example
 * const n = decodeBase45Into('HC1:BB8', 4, scratch) // 2: scratch[0..2) = 0x41, 0x42
 */
export function decodeBase45Into(text: string, start: number, into: Uint8Array): number {
  const len = text.length - start
  if (len < 0 || len % 3 === 1) return -1
  const size = Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0)
  if (size > into.length) return -1
  return decodeAsciiFast(text, start, into, decodeTable()) ? size : -1
}

// ASCII text copied to bytes by one native call: reading bytes is cheaper than charCodeAt.
// The scratch (and its view as 32-bit words) is allocated on the first decode (like the table
// above).
const ENCODER = new TextEncoder()
const MAX_FAST_TEXT = 32 * 1024
let textBytes: Uint8Array | undefined
let textWords: Uint32Array | undefined
// Words are read little-endian (byte k of a word is bits 8k..8k+7); elsewhere bytes only.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/*
 * Decodes valid ASCII Base45 into `out` (already sized) and returns true; false, with `out` to
 * be overwritten, for anything else (non-ASCII text, a character outside the alphabet, a group
 * out of range, text longer than the scratch), which the checking loop then reports.
 */
function decodeAsciiFast(
  text: string,
  start: number,
  out: Uint8Array,
  values: Uint8Array,
): boolean {
  const stop = text.length
  if (stop > MAX_FAST_TEXT) return false
  const t = (textBytes ??= new Uint8Array(MAX_FAST_TEXT))
  const r = ENCODER.encodeInto(text, t)
  if (r.read !== stop || r.written !== stop) return false
  let o = 0
  let i = start
  // Any value with bit 7 (255: outside the alphabet), and any group above 0xffff, seen so far.
  let bad = 0
  let big = 0
  if (LITTLE_ENDIAN && (start & 3) === 0) {
    // Twelve characters (four groups) from three aligned 32-bit reads: a third of the loads.
    const w = (textWords ??= new Uint32Array(t.buffer, t.byteOffset, MAX_FAST_TEXT >> 2))
    for (; i + 11 < stop; i += 12) {
      const k = i >> 2
      const w0 = w[k]!
      const w1 = w[k + 1]!
      const w2 = w[k + 2]!
      const a0 = values[w0 & 255]!
      const a1 = values[(w0 >>> 8) & 255]!
      const a2 = values[(w0 >>> 16) & 255]!
      const b0 = values[w0 >>> 24]!
      const b1 = values[w1 & 255]!
      const b2 = values[(w1 >>> 8) & 255]!
      const c0 = values[(w1 >>> 16) & 255]!
      const c1 = values[w1 >>> 24]!
      const c2 = values[w2 & 255]!
      const d0 = values[(w2 >>> 8) & 255]!
      const d1 = values[(w2 >>> 16) & 255]!
      const d2 = values[w2 >>> 24]!
      const a = a0 + a1 * 45 + a2 * 2025
      const b = b0 + b1 * 45 + b2 * 2025
      const c = c0 + c1 * 45 + c2 * 2025
      const d = d0 + d1 * 45 + d2 * 2025
      bad |= a0 | a1 | a2 | b0 | b1 | b2 | c0 | c1 | c2 | d0 | d1 | d2
      big |= a | b | c | d
      out[o] = a >> 8
      out[o + 1] = a & 0xff
      out[o + 2] = b >> 8
      out[o + 3] = b & 0xff
      out[o + 4] = c >> 8
      out[o + 5] = c & 0xff
      out[o + 6] = d >> 8
      out[o + 7] = d & 0xff
      o += 8
    }
  }
  for (; i + 2 < stop; i += 3) {
    const a = values[t[i]!]!
    const b = values[t[i + 1]!]!
    const c = values[t[i + 2]!]!
    const n = a + b * 45 + c * 2025
    bad |= a | b | c
    big |= n
    out[o++] = n >> 8
    out[o++] = n & 0xff
  }
  if (i < stop) {
    const a = values[t[i]!]!
    const b = values[t[i + 1]!]!
    const n = a + b * 45
    bad |= a | b
    // A final pair above 255 is out of range as a group above 0xffff is.
    if (n > 0xff) big |= 0x10000
    out[o] = n
  }
  // Values are 0-44, 255 outside the alphabet; groups are below 2^17.
  return (bad & 0x80) === 0 && big <= 0xffff
}

function value(values: Uint8Array, text: string, index: number, start: number): number {
  const v = values[text.charCodeAt(index)]!
  if (v === 255) {
    throw new VaxpassError('ERR_BASE45', 'invalid Base45 character', {
      details: { offset: index - start },
    })
  }
  return v
}
