import { DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from './deflate-tables.js'

/*
 * zlib compression of QR-sized inputs (a COSE_Sign1 of a few hundred bytes) in one pass: greedy
 * LZ77 matching (against the last earlier occurrence of the next three bytes) writes its
 * fixed-Huffman codes straight into a reused output buffer, with no token array, no frequency
 * pass and no Huffman tree. On such inputs a dynamic block's header never pays for itself, so
 * deflate-js.ts used fixed codes there already; this file only does the same work with fewer
 * steps: every symbol is one table load (code and bit count packed), the bit buffer lives in
 * locals and is flushed 16 bits at a time, the hash is a multiply of a rolled 3-byte window.
 */

/** Largest input this encoder takes (larger inputs go to deflate-js.ts's dynamic blocks). */
export const FIXED_MAX_INPUT = 1024

const HASH_BITS = 11
const HASH_SIZE = 2048 // 1 << HASH_BITS
const HASH_SHIFT = 32 - HASH_BITS
const MIN_MATCH = 3
const MAX_MATCH = 258

// One candidate per hash: the last position whose three bytes hashed there (base + position,
// so entries left by earlier calls are below `base` and never match: the table is never
// cleared), beside those three bytes, so that a collision is rejected without reading the
// input. Older candidates (a chain) found almost nothing more on CBOR of this size.
// (Pure annotations: a bundle that never compresses, like the browser verifier's, drops them.)
const head = /* @__PURE__ */ new Int32Array(HASH_SIZE)
const headKey = /* @__PURE__ */ new Int32Array(HASH_SIZE)
let base = 1

/** Bit-reversed `code` of `len` bits, as the LSB-first bit stream wants it. */
function reverse(code: number, len: number): number {
  let r = 0
  for (let k = 0; k < len; k++) {
    r = (r << 1) | ((code >> k) & 1)
  }
  return r
}

// Each table entry is (bits to write) << 5 | (how many bits), extra bits included.
const LIT = /* @__PURE__ */ literalTable()
const LEN = /* @__PURE__ */ lengthTable()
const DIST = /* @__PURE__ */ distanceTable()

/** Literals: 0-143 are 8-bit codes from 0x30, 144-255 9-bit codes from 0x190 (RFC 1951 3.2.6). */
function literalTable(): Int32Array {
  const t = new Int32Array(256)
  for (let c = 0; c < 256; c++) {
    t[c] = c < 144 ? (reverse(0x30 + c, 8) << 5) | 8 : (reverse(0x190 + c - 144, 9) << 5) | 9
  }
  return t
}

/** Lengths 3..258: symbols 257-279 are 7-bit codes from 0, 280-287 8-bit codes from 0xc0. */
function lengthTable(): Int32Array {
  const t = new Int32Array(MAX_MATCH + 1)
  for (let s = 0; s < 29; s++) {
    const sym = 257 + s
    const code = sym < 280 ? reverse(sym - 256, 7) : reverse(0xc0 + sym - 280, 8)
    const codeBits = sym < 280 ? 7 : 8
    const hi = s === 28 ? 258 : Math.min(257, LEN_BASE[s]! + (1 << LEN_EXTRA[s]!) - 1)
    for (let l = LEN_BASE[s]!; l <= hi; l++) {
      const extra = l - LEN_BASE[s]!
      t[l] = ((code | (extra << codeBits)) << 5) | (codeBits + LEN_EXTRA[s]!)
    }
  }
  return t
}

/** Distances 1..FIXED_MAX_INPUT: 5-bit codes, then the extra bits. */
function distanceTable(): Int32Array {
  const t = new Int32Array(FIXED_MAX_INPUT + 1)
  for (let s = 0; s < 30 && DIST_BASE[s]! <= FIXED_MAX_INPUT; s++) {
    const hi = Math.min(FIXED_MAX_INPUT, DIST_BASE[s]! + (1 << DIST_EXTRA[s]!) - 1)
    for (let d = DIST_BASE[s]!; d <= hi; d++) {
      t[d] = ((reverse(s, 5) | ((d - DIST_BASE[s]!) << 5)) << 5) | (5 + DIST_EXTRA[s]!)
    }
  }
  return t
}

/**
 * Bytes {@link deflateFixedInto} may write for `n` input bytes: 9 bits per byte at worst, the
 * zlib header and trailer, the block header and end code.
 *
 * @example
 * const zbuf = new Uint8Array(deflateFixedBound(FIXED_MAX_INPUT))
 */
export function deflateFixedBound(n: number): number {
  return ((n * 9) >> 3) + 16
}

const out = /* @__PURE__ */ new Uint8Array(/* @__PURE__ */ deflateFixedBound(FIXED_MAX_INPUT))

/**
 * zlib (RFC 1950) compression of up to {@link FIXED_MAX_INPUT} bytes as one fixed-Huffman
 * block, or one stored block when that is smaller. Returns a new array.
 *
 * @example
 * deflateFixed(coseBytes) // 78 da ..., what node's inflateSync reads back
 */
export function deflateFixed(data: Uint8Array): Uint8Array {
  return out.slice(0, deflateFixedInto(data, out, 0))
}

/**
 * {@link deflateFixed} into `target` from `offset` (which needs {@link deflateFixedBound} bytes
 * of room), without allocating; returns the offset after the zlib stream.
 *
 * @example
 * const end = deflateFixedInto(cose, zbuf, 0) // zbuf[0..end) is the zlib stream
 */
export function deflateFixedInto(data: Uint8Array, target: Uint8Array, offset: number): number {
  const n = data.length
  if (n > FIXED_MAX_INPUT) {
    throw new RangeError(`deflateFixed takes at most ${FIXED_MAX_INPUT} bytes`)
  }
  if (target.length < offset + deflateFixedBound(n)) {
    throw new RangeError('deflateFixedInto: the target is too small')
  }
  if (base + n + 1 > 0x3fffffff) {
    head.fill(0)
    base = 1
  }
  const g = base
  base += n + 1
  const o = target
  // zlib header: deflate, 32 KiB window, "maximum compression" level flag, checksum bits.
  o[offset] = 0x78
  o[offset + 1] = 0xda
  let pos = offset + 2
  // BFINAL = 1, BTYPE = 01 (fixed Huffman).
  let bitBuf = 3
  let bitCnt = 3
  const lastHashed = n - MIN_MATCH
  let i = 0
  // The three bytes at i, rolled along: hashed, and kept beside each head to reject collisions.
  let w = n > 1 ? (data[0]! << 8) | data[1]! : 0
  while (i < n) {
    if (i <= lastHashed) {
      w = ((w << 8) | data[i + 2]!) & 0xffffff
      const h = Math.imul(w, 0x9e3779b1) >>> HASH_SHIFT
      const cand = head[h]! - g
      const same = headKey[h] === w
      head[h] = g + i
      headKey[h] = w
      if (cand >= 0 && same) {
        const j = cand
        const limit = n - i < MAX_MATCH ? n - i : MAX_MATCH
        let l = MIN_MATCH
        while (l < limit && data[j + l] === data[i + l]) l++
        const lc = LEN[l]!
        bitBuf |= (lc >>> 5) << bitCnt
        bitCnt += lc & 31
        if (bitCnt >= 16) {
          o[pos] = bitBuf
          o[pos + 1] = bitBuf >>> 8
          pos += 2
          bitBuf >>>= 16
          bitCnt -= 16
        }
        const dc = DIST[i - j]!
        bitBuf |= (dc >>> 5) << bitCnt
        bitCnt += dc & 31
        if (bitCnt >= 16) {
          o[pos] = bitBuf
          o[pos + 1] = bitBuf >>> 8
          pos += 2
          bitBuf >>>= 16
          bitCnt -= 16
        }
        // Every position inside the match is hashed too, so later matches can start there.
        const stop = i + l
        for (let p = i + 1; p < stop && p <= lastHashed; p++) {
          w = ((w << 8) | data[p + 2]!) & 0xffffff
          const hp = Math.imul(w, 0x9e3779b1) >>> HASH_SHIFT
          head[hp] = g + p
          headKey[hp] = w
        }
        i = stop
        if (i <= lastHashed) w = (data[i]! << 8) | data[i + 1]!
        continue
      }
    }
    const lc = LIT[data[i]!]!
    bitBuf |= (lc >>> 5) << bitCnt
    bitCnt += lc & 31
    i++
    if (bitCnt >= 16) {
      o[pos] = bitBuf
      o[pos + 1] = bitBuf >>> 8
      pos += 2
      bitBuf >>>= 16
      bitCnt -= 16
    }
  }
  // End of block: symbol 256, seven zero bits.
  bitCnt += 7
  // The same choice as deflate-js.ts: a stored block when it is strictly smaller.
  const fixedBits = (pos - offset - 2) * 8 + bitCnt
  const storedBits = (n + 5) * 8 + 3
  if (storedBits < fixedBits) {
    pos = offset + 2
    o[pos++] = 0x01
    o[pos++] = n & 0xff
    o[pos++] = n >>> 8
    o[pos++] = ~n & 0xff
    o[pos++] = (~n >>> 8) & 0xff
    o.set(data, pos)
    pos += n
  } else {
    while (bitCnt > 0) {
      o[pos++] = bitBuf
      bitBuf >>>= 8
      bitCnt -= 8
    }
  }
  // Adler-32: no modulo needed inside the loop below 5552 bytes (zlib's NMAX).
  let a = 1
  let b = 0
  for (let k = 0; k < n; k++) {
    a += data[k]!
    b += a
  }
  a %= 65521
  b %= 65521
  o[pos++] = b >>> 8
  o[pos++] = b
  o[pos++] = a >>> 8
  o[pos++] = a
  return pos
}
