import { adler32 } from './inflate-js.js'
import {
  CL_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  FIXED_LIT_LENGTHS,
  LEN_BASE,
  LEN_EXTRA,
} from './deflate-tables.js'

/*
 * A table-driven zlib inflater for QR-sized inputs (a COSE of a few hundred bytes), where
 * node:zlib's per-call stream setup costs more than the decoding (~8 us vs ~2 us here).
 *
 * It only ever answers for well-formed, complete streams whose output fits in FAST_MAX_OUTPUT:
 * on anything else (corrupt, truncated, trailing bytes, a Huffman code zlib would refuse, output
 * past the limit) it returns undefined and the caller runs the platform's inflate, which gives
 * the exact error. A correct stream has one decoding, so when it answers it agrees with zlib.
 * Work is bounded by the input length plus FAST_MAX_OUTPUT (zip bombs stop there). The output
 * limit is node's inflate chunk (16 KiB): within one chunk zlib's only distance rule is
 * "not before the start of the output", which is the rule applied here.
 */

/** Largest output this decoder produces; larger streams go to the platform inflater. */
export const FAST_MAX_OUTPUT = 16 * 1024

/*
 * Scratch and tables, reused across calls (the function is synchronous, so no call sees another's
 * state). ~340 KiB in all, so they are made on the first inflate rather than when the module
 * loads: a browser bundle that imports the verifier pays for them only once it verifies.
 */
interface Scratch {
  readonly out: Uint8Array
  readonly litTable: Int32Array
  readonly distTable: Int32Array
  readonly clTable: Int32Array
  readonly lengths: Uint8Array
  readonly clLengths: Uint8Array
  readonly count: Uint16Array
  readonly next: Uint16Array
  // rev15[c] is c's 15 low bits reversed: DEFLATE sends Huffman codes most significant bit first.
  readonly rev15: Uint16Array
  readonly fixedLit: Int32Array
  readonly fixedDist: Int32Array
}

let scratch: Scratch | undefined

function makeScratch(): Scratch {
  const rev15 = new Uint16Array(1 << 15)
  for (let i = 0; i < 1 << 15; i++) {
    let r = 0
    for (let b = 0; b < 15; b++) r |= ((i >> b) & 1) << (14 - b)
    rev15[i] = r
  }
  const s: Scratch = {
    out: new Uint8Array(FAST_MAX_OUTPUT),
    litTable: new Int32Array(1 << 15),
    distTable: new Int32Array(1 << 15),
    clTable: new Int32Array(1 << 7),
    lengths: new Uint8Array(286 + 30),
    clLengths: new Uint8Array(19),
    count: new Uint16Array(16),
    next: new Uint16Array(16),
    rev15,
    fixedLit: new Int32Array(1 << 9),
    fixedDist: new Int32Array(1 << 5),
  }
  buildTable(s, FIXED_LIT_LENGTHS, 0, 288, s.fixedLit)
  // 32 five-bit codes (30 and 31 are decoded, then refused as distances), as zlib builds them.
  buildTable(s, new Uint8Array(32).fill(5), 0, 32, s.fixedDist)
  return s
}

/*
 * Fills `table` (indexed by the next `max` input bits) with (symbol << 4) | length; 0 marks a
 * bit pattern that is no code. Returns max (the longest code length), 0 when no symbol has a
 * code, or -1 for a code set zlib refuses (over-subscribed, or incomplete other than a single
 * one-bit code).
 */
function buildTable(
  s: Scratch,
  lengths: Uint8Array,
  start: number,
  n: number,
  table: Int32Array,
  singleOneBitCodeAllowed = true,
): number {
  const count = s.count
  const next = s.next
  const rev15 = s.rev15
  count.fill(0)
  for (let i = 0; i < n; i++) count[lengths[start + i]!]!++
  count[0] = 0
  let max = 15
  while (max > 0 && count[max] === 0) max--
  if (max === 0) return 0
  let left = 1
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len]!
    if (left < 0) return -1
  }
  if (left > 0) {
    if (max !== 1 || !singleOneBitCodeAllowed) return -1
    table.fill(0, 0, 1 << max)
  }
  let code = 0
  for (let len = 1; len <= 15; len++) {
    code = (code + count[len - 1]!) << 1
    next[len] = code
  }
  // count[0] is 0, so next[1] = 0: the first code of each length follows the previous length's.
  const size = 1 << max
  for (let sym = 0; sym < n; sym++) {
    const len = lengths[start + sym]!
    if (len === 0) continue
    const c = next[len]!++
    const entry = (sym << 4) | len
    for (let j = rev15[c]! >>> (15 - len); j < size; j += 1 << len) table[j] = entry
  }
  return max
}

/**
 * Inflates a complete zlib (RFC 1950) stream of up to `min(maxOutputLength, FAST_MAX_OUTPUT)`
 * bytes, or returns undefined when the stream is not one this decoder accepts (then ask the
 * platform's inflate, which reports the precise error). Never throws.
 *
 * @example
 * const cose = inflateZlibFast(compressed, 1 << 20) ?? (await platform.inflate(compressed, opts))
 */
export function inflateZlibFast(data: Uint8Array, maxOutputLength: number): Uint8Array | undefined {
  const n = inflateIntoOut(data, maxOutputLength)
  return n < 0 ? undefined : scratch!.out.slice(0, n)
}

/**
 * {@link inflateZlibFast} without the copy: a view on this module's output buffer, valid only
 * until the next call. For a caller that reads it synchronously (the HC1 verifier's sync path).
 * `length` inflates only `data`'s first bytes (a stream at the start of a reused buffer).
 *
 * @example
 * const cose = inflateZlibFastView(compressed, 1 << 20) // read before any await
 */
export function inflateZlibFastView(
  data: Uint8Array,
  maxOutputLength: number,
  length = data.length,
): Uint8Array | undefined {
  const n = inflateIntoOut(data, maxOutputLength, Math.min(length, data.length))
  return n < 0 ? undefined : scratch!.out.subarray(0, n)
}

// Inflates data[0, n) into the scratch output; the output length, or -1 when the stream is not
// one this decoder accepts.
function inflateIntoOut(data: Uint8Array, maxOutputLength: number, n = data.length): number {
  if (n < 6) return -1
  const cmf = data[0]!
  const flg = data[1]!
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 0x20) !== 0) {
    return -1
  }
  // An int32 (| 0): Math.min's result is a double to V8, and every `o >= cap` then converted
  // it (three float instructions and a check per literal). NaN gives 0: the platform decides.
  const cap = Math.min(maxOutputLength, FAST_MAX_OUTPUT) | 0
  const s = (scratch ??= makeScratch())
  const out = s.out
  const codeLengths = s.lengths
  const clLengths = s.clLengths
  const clTable = s.clTable
  let o = 0
  let pos = 2
  // Shifted as (x >>> n) | 0, never >>>=: a uint32 above 2^31 would make V8 keep bitBuf as a
  // double (conversions on every symbol, ~40% of the time). Only its bits are ever read.
  let bitBuf = 0
  let bitCnt = 0
  // Zero bytes fed past the end of the input; a stream that consumes them is truncated.
  let pad = 0
  let last = 0
  do {
    if (bitCnt < 3) {
      if (pos < n) bitBuf |= data[pos++]! << bitCnt
      else pad++
      bitCnt += 8
    }
    last = bitBuf & 1
    const type = (bitBuf >>> 1) & 3
    bitBuf = (bitBuf >>> 3) | 0
    bitCnt -= 3
    let lit: Int32Array
    let dist: Int32Array
    let litBits: number
    let distBits: number
    if (type === 0) {
      // Stored: drop to a byte boundary; whole bytes still in the bit buffer are input.
      bitBuf = (bitBuf >>> (bitCnt & 7)) | 0
      bitCnt -= bitCnt & 7
      pos -= bitCnt >> 3
      bitBuf = 0
      bitCnt = 0
      if (pad > 0 || pos + 4 > n) return -1
      const len = data[pos]! | (data[pos + 1]! << 8)
      const nlen = data[pos + 2]! | (data[pos + 3]! << 8)
      pos += 4
      if (len !== (~nlen & 0xffff) || pos + len > n || o + len > cap) return -1
      out.set(data.subarray(pos, pos + len), o)
      o += len
      pos += len
      continue
    } else if (type === 1) {
      lit = s.fixedLit
      dist = s.fixedDist
      litBits = 9
      distBits = 5
    } else if (type === 2) {
      while (bitCnt <= 24) {
        if (pos < n) bitBuf |= data[pos++]! << bitCnt
        else pad++
        bitCnt += 8
      }
      const nlen = (bitBuf & 31) + 257
      const ndist = ((bitBuf >>> 5) & 31) + 1
      const ncode = ((bitBuf >>> 10) & 15) + 4
      bitBuf = (bitBuf >>> 14) | 0
      bitCnt -= 14
      if (nlen > 286 || ndist > 30) return -1
      clLengths.fill(0)
      for (let i = 0; i < ncode; i++) {
        if (bitCnt < 3) {
          if (pos < n) bitBuf |= data[pos++]! << bitCnt
          else pad++
          bitCnt += 8
        }
        clLengths[CL_ORDER[i]!] = bitBuf & 7
        bitBuf = (bitBuf >>> 3) | 0
        bitCnt -= 3
      }
      if (pad > 1) return -1
      const clBits = buildTable(s, clLengths, 0, 19, clTable, false)
      if (clBits <= 0) return -1
      const total = nlen + ndist
      let i = 0
      while (i < total) {
        while (bitCnt <= 24) {
          if (pos < n) bitBuf |= data[pos++]! << bitCnt
          else pad++
          bitCnt += 8
        }
        if (pad > 4) return -1
        const e = clTable[bitBuf & ((1 << clBits) - 1)]!
        if (e === 0) return -1
        const l = e & 15
        bitBuf = (bitBuf >>> l) | 0
        bitCnt -= l
        const sym = e >>> 4
        if (sym < 16) {
          codeLengths[i++] = sym
          continue
        }
        let rep: number
        let value = 0
        if (sym === 16) {
          if (i === 0) return -1
          value = codeLengths[i - 1]!
          rep = 3 + (bitBuf & 3)
          bitBuf = (bitBuf >>> 2) | 0
          bitCnt -= 2
        } else if (sym === 17) {
          rep = 3 + (bitBuf & 7)
          bitBuf = (bitBuf >>> 3) | 0
          bitCnt -= 3
        } else {
          rep = 11 + (bitBuf & 127)
          bitBuf = (bitBuf >>> 7) | 0
          bitCnt -= 7
        }
        if (i + rep > total) return -1
        while (rep-- > 0) codeLengths[i++] = value
      }
      if (codeLengths[256] === 0) return -1
      lit = s.litTable
      dist = s.distTable
      litBits = buildTable(s, codeLengths, 0, nlen, lit)
      distBits = buildTable(s, codeLengths, nlen, ndist, dist)
      if (litBits <= 0 || distBits < 0) return -1
    } else {
      return -1
    }
    const litMask = (1 << litBits) - 1
    const distMask = (1 << distBits) - 1
    // Bits a literal/length code and a length's extra bits can take: with that many in the
    // buffer no refill is needed, so after one refill (25+ bits) a short literal is followed by
    // the next symbol without another (about one refill per two symbols instead of one each).
    const symbolBits = litBits + 5
    for (;;) {
      if (bitCnt < symbolBits) {
        if (pos + 3 <= n) {
          // Whole bytes up to 25-32 bits in the buffer, read in one step.
          if (bitCnt <= 8) {
            bitBuf |= (data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) << bitCnt
            pos += 3
            bitCnt += 24
          } else if (bitCnt <= 16) {
            bitBuf |= (data[pos]! | (data[pos + 1]! << 8)) << bitCnt
            pos += 2
            bitCnt += 16
          } else {
            bitBuf |= data[pos++]! << bitCnt
            bitCnt += 8
          }
        } else {
          while (bitCnt <= 24) {
            if (pos < n) bitBuf |= data[pos++]! << bitCnt
            else pad++
            bitCnt += 8
          }
          // Padding beyond what a final code could need: the stream is truncated.
          if (pad > 4) return -1
        }
      }
      let e = lit[bitBuf & litMask]!
      if (e === 0) return -1
      let l = e & 15
      bitBuf = (bitBuf >>> l) | 0
      bitCnt -= l
      let sym = e >>> 4
      if (sym < 256) {
        if (o >= cap) return -1
        out[o++] = sym
        // Further literals while a whole code's bits are in the buffer, with no refill test
        // between them (QR payloads are mostly literals; ~15% of the time). Anything else is
        // left unread for the loop above, which decodes it again.
        while (bitCnt >= litBits) {
          e = lit[bitBuf & litMask]!
          sym = e >>> 4
          if (sym >= 256 || e === 0) break
          l = e & 15
          bitBuf = (bitBuf >>> l) | 0
          bitCnt -= l
          if (o >= cap) return -1
          out[o++] = sym
        }
        continue
      }
      if (sym === 256) break
      sym -= 257
      if (sym >= 29) return -1
      const lx = LEN_EXTRA[sym]!
      const len = LEN_BASE[sym]! + (bitBuf & ((1 << lx) - 1))
      bitBuf = (bitBuf >>> lx) | 0
      bitCnt -= lx
      if (distBits === 0) return -1
      while (bitCnt <= 24) {
        if (pos < n) bitBuf |= data[pos++]! << bitCnt
        else pad++
        bitCnt += 8
      }
      const de = dist[bitBuf & distMask]!
      if (de === 0) return -1
      const dl = de & 15
      bitBuf = (bitBuf >>> dl) | 0
      bitCnt -= dl
      const ds = de >>> 4
      if (ds >= 30) return -1
      if (bitCnt < 13) {
        while (bitCnt <= 24) {
          if (pos < n) bitBuf |= data[pos++]! << bitCnt
          else pad++
          bitCnt += 8
        }
      }
      const dx = DIST_EXTRA[ds]!
      const d = DIST_BASE[ds]! + (bitBuf & ((1 << dx) - 1))
      bitBuf = (bitBuf >>> dx) | 0
      bitCnt -= dx
      if (d > o || o + len > cap) return -1
      for (let k = 0; k < len; k++, o++) out[o] = out[o - d]!
    }
  } while (last === 0)
  // Bits consumed past the real input: truncated.
  if (pad * 8 > bitCnt) return -1
  // Back to the byte after the final block: unread whole bytes in the buffer are input.
  const unreadBytes = (bitCnt >> 3) - pad
  pos -= unreadBytes
  // Exactly the Adler-32 must follow (anything else: let zlib decide).
  if (pos + 4 !== n) return -1
  const expected =
    ((data[pos]! << 24) | (data[pos + 1]! << 16) | (data[pos + 2]! << 8) | data[pos + 3]!) >>> 0
  // Summed in place (no view on the output).
  return adler32(out, o) === expected ? o : -1
}
