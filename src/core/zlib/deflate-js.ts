import {
  CL_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  FIXED_DIST_LENGTHS,
  FIXED_LIT_LENGTHS,
  LEN_BASE,
  LEN_EXTRA,
} from './deflate-tables.js'
import { FIXED_MAX_INPUT, deflateFixed } from './deflate-fixed.js'
import { adler32 } from './inflate-js.js'

/*
 * A DEFLATE encoder in plain TypeScript, tuned for QR-sized inputs and usable in browsers.
 * Output is standard zlib (RFC 1950/1951) that any inflater reads. On Node it replaces
 * deflateSync, whose per-call stream setup costs about as much as compressing (see
 * platform/node.ts).
 *
 * The hash table is allocated once and reused across calls (a generation offset makes stale
 * entries invisible without clearing it), and one block is emitted with whichever of dynamic
 * Huffman, fixed Huffman or stored is smallest.
 */

const HASH_BITS = 13
const HASH_SIZE = 1 << HASH_BITS
const WINDOW = 32768
const MAX_CHAIN = 16
const NICE = 128
const MIN_MATCH = 3
const MAX_MATCH = 258

const head = new Int32Array(HASH_SIZE)
let prevTable = new Int32Array(4096)
// Positions are stored as base + index, so entries of earlier calls are below `base`.
let base = 1

// length (3..258) -> symbol index 0..28 ; distance code via small tables
const LEN_SYM = new Uint8Array(259)
for (let s = 0; s < 29; s++) {
  const hi = s === 28 ? 258 : LEN_BASE[s]! + (1 << LEN_EXTRA[s]!) - 1
  for (let l = LEN_BASE[s]!; l <= hi && l <= 258; l++) LEN_SYM[l] = s
}
LEN_SYM[258] = 28
const DIST_SYM_LOW = new Uint8Array(513)
for (let s = 0; s < 18; s++) {
  const hi = DIST_BASE[s]! + (1 << DIST_EXTRA[s]!) - 1
  for (let d = DIST_BASE[s]!; d <= hi && d <= 512; d++) DIST_SYM_LOW[d] = s
}
function distSym(d: number): number {
  if (d <= 512) return DIST_SYM_LOW[d]!
  let s = 18
  while (s < 29 && DIST_BASE[s + 1]! <= d) s++
  return s
}

class BitWriter {
  buf: Uint8Array
  pos = 0
  bitBuf = 0
  bitCnt = 0
  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }
  write(value: number, n: number): void {
    this.bitBuf |= value << this.bitCnt
    this.bitCnt += n
    while (this.bitCnt >= 8) {
      this.byte(this.bitBuf & 0xff)
      this.bitBuf >>>= 8
      this.bitCnt -= 8
    }
  }
  byte(b: number): void {
    if (this.pos >= this.buf.length) {
      const g = new Uint8Array(this.buf.length * 2 + 16)
      g.set(this.buf)
      this.buf = g
    }
    this.buf[this.pos++] = b
  }
  align(): void {
    if (this.bitCnt > 0) this.write(0, 8 - this.bitCnt)
  }
}

// Scratch space reused by every call (the encoder is synchronous): no garbage per call.
const S_KEY = new Int32Array(286)
const S_FREQ = new Uint32Array(286)
const S_WEIGHT = new Float64Array(2 * 286)
const S_PARENT = new Int32Array(2 * 286)
const S_DEPTH = new Uint8Array(2 * 286)
const S_COUNT = new Uint16Array(16)
const S_NEXT = new Uint16Array(16)

/** Writes into `lengths` Huffman code lengths for `freqs`, at most `maxBits` long. */
function buildLengths(freqs: Uint32Array, maxBits: number, lengths: Uint8Array): void {
  const n = freqs.length
  lengths.fill(0)
  const f = S_FREQ
  let maxF = 0
  for (let i = 0; i < n; i++) maxF = Math.max(maxF, freqs[i]!)
  // Packed sort keys hold 22 bits of frequency; scale larger counts (very large inputs only).
  const shift = maxF >= 1 << 22 ? Math.ceil(Math.log2(maxF / ((1 << 22) - 1))) : 0
  for (let i = 0; i < n; i++) f[i] = freqs[i]! === 0 ? 0 : Math.max(1, freqs[i]! >>> shift)
  for (;;) {
    let m = 0
    // sort key: frequency, then symbol, in one int (native typed-array sort)
    for (let i = 0; i < n; i++) if (f[i]! > 0) S_KEY[m++] = (f[i]! << 9) | i
    if (m === 0) return
    const keys = S_KEY.subarray(0, m).sort()
    if (m === 0) return
    if (m === 1) {
      lengths[keys[0]! & 511] = 1
      return
    }
    const weight = S_WEIGHT
    const parent = S_PARENT
    for (let i = 0; i < m; i++) weight[i] = keys[i]! >>> 9
    let li = 0
    let ii = m
    let next = m
    const last = 2 * m - 1
    while (next < last) {
      let a: number
      let b: number
      if (li < m && (ii >= next || weight[li]! <= weight[ii]!)) a = li++
      else a = ii++
      if (li < m && (ii >= next || weight[li]! <= weight[ii]!)) b = li++
      else b = ii++
      weight[next] = weight[a]! + weight[b]!
      parent[a] = next
      parent[b] = next
      next++
    }
    const depth = S_DEPTH
    depth[last - 1] = 0
    let maxDepth = 0
    for (let i = last - 2; i >= 0; i--) {
      const d = depth[parent[i]!]! + 1
      depth[i] = d
      if (i < m && d > maxDepth) maxDepth = d
    }
    if (maxDepth <= maxBits) {
      for (let i = 0; i < m; i++) lengths[keys[i]! & 511] = depth[i]!
      return
    }
    // Too deep (rare for small inputs): flatten the frequencies and rebuild.
    for (let i = 0; i < n; i++) if (f[i]! > 0) f[i] = (f[i]! >> 1) | 1
  }
}

/** Canonical codes, bit-reversed for LSB-first writing, into `codes`. */
function buildCodes(lengths: Uint8Array, codes: Uint16Array = new Uint16Array(lengths.length)): Uint16Array {
  const count = S_COUNT.fill(0)
  for (let i = 0; i < lengths.length; i++) count[lengths[i]!]!++
  count[0] = 0
  const next = S_NEXT
  let code = 0
  for (let b = 1; b < 16; b++) {
    code = (code + count[b - 1]!) << 1
    next[b] = code
  }
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i]!
    if (l === 0) continue
    let c = next[l]!++
    let r = 0
    for (let k = 0; k < l; k++) {
      r = (r << 1) | (c & 1)
      c >>= 1
    }
    codes[i] = r
  }
  return codes
}

const FIXED_LIT_CODES = buildCodes(FIXED_LIT_LENGTHS)
const FIXED_DIST_CODES = buildCodes(FIXED_DIST_LENGTHS)

function hashAt(data: Uint8Array, i: number): number {
  return (((data[i]! << 10) ^ (data[i + 1]! << 5) ^ data[i + 2]!) * 2654435761) >>> (32 - HASH_BITS)
}

/** Longest earlier match at `i` (whose hash is `h`), as len << 16 | dist, or 0. */
function longest(data: Uint8Array, i: number, b: number, h: number, prev: Int32Array): number {
  const n = data.length
  let bestLen = MIN_MATCH - 1
  let bestDist = 0
  let cand = head[h]!
  let chain = MAX_CHAIN
  const limit = Math.min(MAX_MATCH, n - i)
  while (cand >= b && chain-- > 0) {
    const j = cand - b
    const d = i - j
    if (d > WINDOW) break
    if (data[j + bestLen] === data[i + bestLen] && data[j] === data[i]) {
      let l = 1
      while (l < limit && data[j + l] === data[i + l]) l++
      if (l > bestLen) {
        bestLen = l
        bestDist = d
        if (l >= NICE || l === limit) break
      }
    }
    cand = prev[j]!
  }
  return bestLen >= MIN_MATCH ? (bestLen << 16) | bestDist : 0
}

/** LZ77 tokens: literal byte (< 256) or 0x40000000 | len << 16 | dist. */
function tokenize(data: Uint8Array, tokens: Int32Array): number {
  const n = data.length
  if (prevTable.length < n) prevTable = new Int32Array(Math.max(n, prevTable.length * 2))
  if (base + n + 1 > 0x3fffffff) {
    head.fill(0)
    base = 1
  }
  const b = base
  base += n + 1
  // Locals, not the module's `let` bindings, in the hot loop.
  const prev = prevTable
  let t = 0
  let i = 0
  while (i < n) {
    if (i + MIN_MATCH > n) {
      tokens[t++] = data[i++]!
      continue
    }
    const h = hashAt(data, i)
    const m = longest(data, i, b, h, prev)
    prev[i] = head[h]!
    head[h] = b + i
    if (m === 0) {
      tokens[t++] = data[i++]!
      continue
    }
    // One step of lazy matching on larger inputs (a longer match at i+1 wins over this one);
    // on QR-sized inputs it costs more time than the bytes it saves.
    if (n >= DYNAMIC_MIN_INPUT && i + 1 + MIN_MATCH <= n && m >>> 16 < 32) {
      const m2 = longest(data, i + 1, b, hashAt(data, i + 1), prev)
      if (m2 >>> 16 > m >>> 16) {
        tokens[t++] = data[i++]!
        continue
      }
    }
    const len = m >>> 16
    tokens[t++] = 0x40000000 | m
    for (let k = 1; k < len; k++) {
      const p = i + k
      if (p + MIN_MATCH > n) break
      const hk = hashAt(data, p)
      prev[p] = head[hk]!
      head[hk] = b + p
    }
    i += len
  }
  return t
}

let tokenBuf = new Int32Array(1024)
const LIT_FREQ = new Uint32Array(286)
const DIST_FREQ = new Uint32Array(30)
const CL_FREQ = new Uint32Array(19)
const LIT_LENS = new Uint8Array(286)
const DIST_LENS = new Uint8Array(30)
const CL_LENS = new Uint8Array(19)
const LIT_CODES = new Uint16Array(286)
const DIST_CODES = new Uint16Array(30)
const CL_CODES = new Uint16Array(19)
const ALL_LENS = new Uint8Array(316)
const RLE = new Int32Array(316)

/*
 * Below this input size only fixed Huffman and stored blocks are considered: a dynamic block's
 * header (60-90 bits) rarely pays for itself on a few hundred bytes of CBOR text and signature,
 * and building its trees costs more than the rest of the encoder. Measured on HCERT payloads:
 * fixed Huffman gives the same size as zlib level 9 (which also picks fixed codes there).
 */
export const DYNAMIC_MIN_INPUT = FIXED_MAX_INPUT

/**
 * zlib (RFC 1950) compression of `data`, one DEFLATE block of the smallest type considered.
 *
 * @example
 * deflateJs(coseBytes) // standard zlib, e.g. 78 da ...
 */
export function deflateJs(data: Uint8Array): Uint8Array {
  // QR-sized inputs only ever get a fixed or stored block: the one-pass encoder writes it.
  return data.length < DYNAMIC_MIN_INPUT ? deflateFixed(data) : deflateJsGeneral(data)
}

/**
 * The token-based encoder behind {@link deflateJs}, for any size (dynamic, fixed or stored
 * block). deflateJs sends it only inputs of {@link DYNAMIC_MIN_INPUT} bytes or more; tests
 * hold the one-pass fixed encoder to it on smaller ones.
 *
 * @example
 * deflateJsGeneral(bigInput) // standard zlib
 */
export function deflateJsGeneral(data: Uint8Array): Uint8Array {
  const n = data.length
  if (tokenBuf.length < n) tokenBuf = new Int32Array(n)
  const tokens = tokenBuf
  const nt = tokenize(data, tokens)

  const litFreq = LIT_FREQ.fill(0)
  const distFreq = DIST_FREQ.fill(0)
  let extraBits = 0
  let fixBits = 3 + 7 // header + end of block
  for (let k = 0; k < nt; k++) {
    const tk = tokens[k]!
    if (tk < 256) {
      litFreq[tk]!++
      fixBits += tk < 144 ? 8 : 9
    } else {
      const len = (tk >>> 16) & 0x1ff
      const ds = distSym(tk & 0xffff)
      const ls = LEN_SYM[len]!
      litFreq[257 + ls]!++
      distFreq[ds]!++
      const e = LEN_EXTRA[ls]! + DIST_EXTRA[ds]!
      extraBits += e
      fixBits += (ls < 23 ? 7 : 8) + 5 + e
    }
  }
  const storedBits = (n + 5 * Math.ceil(Math.max(n, 1) / 65535)) * 8 + 3
  const dyn = n >= DYNAMIC_MIN_INPUT ? planDynamic(litFreq, distFreq, extraBits) : undefined
  const dynBits = dyn?.bits ?? Infinity

  const w = new BitWriter(Math.min(n, Math.ceil(Math.min(dynBits, fixBits) / 8)) + 16)
  // zlib header: deflate, 32 KiB window, "maximum compression" level flag, checksum bits.
  w.byte(0x78)
  w.byte(0xda)
  if (storedBits < dynBits && storedBits < fixBits) {
    writeStored(w, data)
  } else if (dyn === undefined || fixBits <= dynBits) {
    w.write(1, 1)
    w.write(1, 2)
    writeFixedTokens(w, tokens, nt)
  } else {
    const { hlit, hdist, hclen, nr } = dyn
    const litLens = LIT_LENS
    const distLens = DIST_LENS
    const clLens = CL_LENS
    const rle = RLE
    w.write(1, 1)
    w.write(2, 2)
    w.write(hlit - 257, 5)
    w.write(hdist - 1, 5)
    w.write(hclen - 4, 4)
    for (let i = 0; i < hclen; i++) w.write(clLens[CL_ORDER[i]!]!, 3)
    const clCodes = buildCodes(clLens, CL_CODES)
    for (let k = 0; k < nr; k++) {
      const s = rle[k]!
      const sym = s & 0xff
      w.write(clCodes[sym]!, clLens[sym]!)
      if (sym === 16) w.write(s >>> 8, 2)
      else if (sym === 17) w.write(s >>> 8, 3)
      else if (sym === 18) w.write(s >>> 8, 7)
    }
    writeTokens(w, tokens, nt, buildCodes(litLens, LIT_CODES), litLens, buildCodes(distLens, DIST_CODES), distLens)
  }
  w.align()
  const a = adler32(data)
  w.byte(a >>> 24)
  w.byte((a >>> 16) & 0xff)
  w.byte((a >>> 8) & 0xff)
  w.byte(a & 0xff)
  return w.buf.subarray(0, w.pos)
}

/** Builds the dynamic Huffman trees (into the shared scratch arrays) and returns their size. */
function planDynamic(
  litFreq: Uint32Array,
  distFreq: Uint32Array,
  extraBits: number,
): { bits: number; hlit: number; hdist: number; hclen: number; nr: number } {
  litFreq[256] = 1
  // Keep both trees complete (at least two codes): every inflater accepts them.
  ensureTwo(litFreq)
  ensureTwo(distFreq)
  const litLens = LIT_LENS
  const distLens = DIST_LENS
  buildLengths(litFreq, 15, litLens)
  buildLengths(distFreq, 15, distLens)
  let hlit = 286
  while (hlit > 257 && litLens[hlit - 1] === 0) hlit--
  let hdist = 30
  while (hdist > 1 && distLens[hdist - 1] === 0) hdist--

  // Run-length encode the code lengths.
  const total = hlit + hdist
  const all = ALL_LENS
  all.set(litLens.subarray(0, hlit))
  all.set(distLens.subarray(0, hdist), hlit)
  const rle = RLE // symbol | extra << 8
  let nr = 0
  for (let i = 0; i < total; ) {
    const l = all[i]!
    let run = 1
    while (i + run < total && all[i + run] === l) run++
    if (l === 0 && run >= 3) {
      const r = Math.min(run, 138)
      rle[nr++] = r >= 11 ? 18 | ((r - 11) << 8) : 17 | ((r - 3) << 8)
      i += r
    } else if (l !== 0 && run >= 4) {
      rle[nr++] = l
      const r = Math.min(run - 1, 6)
      rle[nr++] = 16 | ((r - 3) << 8)
      i += r + 1
    } else {
      rle[nr++] = l
      i++
    }
  }
  const clFreq = CL_FREQ.fill(0)
  for (let k = 0; k < nr; k++) clFreq[rle[k]! & 0xff]!++
  ensureTwo(clFreq)
  const clLens = CL_LENS
  buildLengths(clFreq, 7, clLens)
  let hclen = 19
  while (hclen > 4 && clLens[CL_ORDER[hclen - 1]!] === 0) hclen--

  let bits = 3 + 5 + 5 + 4 + 3 * hclen + extraBits
  for (let k = 0; k < nr; k++) {
    const sym = rle[k]! & 0xff
    bits += clLens[sym]! + (sym === 16 ? 2 : sym === 17 ? 3 : sym === 18 ? 7 : 0)
  }
  for (let s = 0; s < 286; s++) bits += litFreq[s]! * litLens[s]!
  for (let s = 0; s < 30; s++) bits += distFreq[s]! * distLens[s]!
  return { bits, hlit, hdist, hclen, nr }
}

function ensureTwo(freqs: Uint32Array): void {
  let used = 0
  for (const f of freqs) if (f > 0) used++
  for (let i = 0; used < 2 && i < freqs.length; i++) {
    if (freqs[i] === 0) {
      freqs[i] = 1
      used++
    }
  }
}

function writeTokens(
  w: BitWriter,
  tokens: Int32Array,
  nt: number,
  litCodes: Uint16Array,
  litLens: Uint8Array,
  distCodes: Uint16Array,
  distLens: Uint8Array,
): void {
  for (let k = 0; k < nt; k++) {
    const tk = tokens[k]!
    if (tk < 256) {
      w.write(litCodes[tk]!, litLens[tk]!)
      continue
    }
    const len = (tk >>> 16) & 0x1ff
    const d = tk & 0xffff
    const ls = LEN_SYM[len]!
    w.write(litCodes[257 + ls]!, litLens[257 + ls]!)
    if (LEN_EXTRA[ls]! > 0) w.write(len - LEN_BASE[ls]!, LEN_EXTRA[ls]!)
    const ds = distSym(d)
    w.write(distCodes[ds]!, distLens[ds]!)
    if (DIST_EXTRA[ds]! > 0) w.write(d - DIST_BASE[ds]!, DIST_EXTRA[ds]!)
  }
  w.write(litCodes[256]!, litLens[256]!)
}

/*
 * The fixed-Huffman block of every QR-sized pass, with the bit buffer in locals (not BitWriter
 * fields) and the output sized from the exact bit count, so no growth checks per byte.
 */
function writeFixedTokens(w: BitWriter, tokens: Int32Array, nt: number): void {
  let out = w.buf
  // Worst case 48 bits per token, plus end of block: grow once if the estimate was short.
  const need = w.pos + 8 + nt * 6
  if (out.length < need) {
    const g = new Uint8Array(need)
    g.set(out.subarray(0, w.pos))
    out = g
    w.buf = g
  }
  let pos = w.pos
  let bitBuf = w.bitBuf
  let bitCnt = w.bitCnt
  for (let k = 0; k < nt; k++) {
    const tk = tokens[k]!
    if (tk < 256) {
      bitBuf |= FIXED_LIT_CODES[tk]! << bitCnt
      bitCnt += tk < 144 ? 8 : 9
    } else {
      const len = (tk >>> 16) & 0x1ff
      const d = tk & 0xffff
      const ls = LEN_SYM[len]!
      const sym = 257 + ls
      bitBuf |= FIXED_LIT_CODES[sym]! << bitCnt
      bitCnt += sym < 280 ? 7 : 8
      const le = LEN_EXTRA[ls]!
      if (le > 0) {
        bitBuf |= (len - LEN_BASE[ls]!) << bitCnt
        bitCnt += le
      }
      while (bitCnt >= 8) {
        out[pos++] = bitBuf & 0xff
        bitBuf >>>= 8
        bitCnt -= 8
      }
      const ds = distSym(d)
      bitBuf |= FIXED_DIST_CODES[ds]! << bitCnt
      bitCnt += 5
      const de = DIST_EXTRA[ds]!
      if (de > 0) {
        while (bitCnt >= 8) {
          out[pos++] = bitBuf & 0xff
          bitBuf >>>= 8
          bitCnt -= 8
        }
        bitBuf |= (d - DIST_BASE[ds]!) << bitCnt
        bitCnt += de
      }
    }
    while (bitCnt >= 8) {
      out[pos++] = bitBuf & 0xff
      bitBuf >>>= 8
      bitCnt -= 8
    }
  }
  w.pos = pos
  w.bitBuf = bitBuf
  w.bitCnt = bitCnt
  w.write(FIXED_LIT_CODES[256]!, 7)
}

function writeStored(w: BitWriter, data: Uint8Array): void {
  let i = 0
  do {
    const len = Math.min(65535, data.length - i)
    const last = i + len >= data.length ? 1 : 0
    w.write(last, 1)
    w.write(0, 2)
    w.align()
    w.byte(len & 0xff)
    w.byte(len >>> 8)
    w.byte(~len & 0xff)
    w.byte((~len >>> 8) & 0xff)
    for (let k = 0; k < len; k++) w.byte(data[i + k]!)
    i += len
  } while (i < data.length)
}
