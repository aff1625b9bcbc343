import { VaxpassError } from '../errors.js'
import {
  CL_ORDER,
  DIST_BASE,
  DIST_EXTRA,
  FIXED_DIST_LENGTHS,
  FIXED_LIT_LENGTHS,
  LEN_BASE,
  LEN_EXTRA,
} from './deflate-tables.js'

/*
 * A small, bounded DEFLATE decoder in plain TypeScript. Why not node:zlib: for a QR-sized
 * input, creating a zlib stream costs more than decoding, and this one also runs in browsers
 * and stops exactly at the output limit (zip bombs) without ever allocating beyond it.
 */

interface Huffman {
  readonly counts: Uint16Array
  readonly symbols: Uint16Array
}

function buildHuffman(lengths: Uint8Array, n: number): Huffman {
  const counts = new Uint16Array(16)
  for (let i = 0; i < n; i++) counts[lengths[i]!]!++
  counts[0] = 0
  // An over-subscribed code is invalid; incomplete codes are allowed (single-code trees).
  let left = 1
  for (let len = 1; len < 16; len++) {
    left = left * 2 - counts[len]!
    if (left < 0) throw bad('over-subscribed Huffman code')
  }
  const offs = new Uint16Array(16)
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len]! + counts[len]!
  const symbols = new Uint16Array(n)
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbols[offs[lengths[i]!]!++] = i
  return { counts, symbols }
}

const FIXED_LIT = buildHuffman(FIXED_LIT_LENGTHS, 288)
const FIXED_DIST = buildHuffman(FIXED_DIST_LENGTHS, 30)

function bad(message: string): VaxpassError<'ERR_ZLIB'> {
  return new VaxpassError('ERR_ZLIB', message)
}

class Inflater {
  pos: number
  bitBuf = 0
  bitCnt = 0
  out: Uint8Array
  outLen = 0

  constructor(
    readonly input: Uint8Array,
    start: number,
    readonly max: number,
  ) {
    this.pos = start
    this.out = new Uint8Array(Math.min(max, Math.max(1024, input.length * 4)))
  }

  bits(need: number): number {
    let val = this.bitBuf
    while (this.bitCnt < need) {
      if (this.pos >= this.input.length) throw bad('truncated compressed data')
      val |= this.input[this.pos++]! << this.bitCnt
      this.bitCnt += 8
    }
    this.bitBuf = val >>> need
    this.bitCnt -= need
    return val & ((1 << need) - 1)
  }

  decode(h: Huffman): number {
    let code = 0
    let first = 0
    let index = 0
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1)
      const count = h.counts[len]!
      if (code - count < first) return h.symbols[index + (code - first)]!
      index += count
      first += count
      first <<= 1
      code <<= 1
    }
    throw bad('invalid Huffman code')
  }

  ensure(extra: number): void {
    const need = this.outLen + extra
    if (need > this.max) {
      throw new VaxpassError('ERR_ZLIB_TOO_LARGE', `decompressed data exceeds ${this.max} bytes`, {
        details: { maxOutputLength: this.max },
      })
    }
    if (need > this.out.length) {
      const grown = new Uint8Array(Math.min(this.max, Math.max(need, this.out.length * 2)))
      grown.set(this.out.subarray(0, this.outLen))
      this.out = grown
    }
  }

  stored(): void {
    this.bitBuf = 0
    this.bitCnt = 0
    if (this.pos + 4 > this.input.length) throw bad('truncated stored block')
    const i = this.input
    const len = i[this.pos]! | (i[this.pos + 1]! << 8)
    const nlen = i[this.pos + 2]! | (i[this.pos + 3]! << 8)
    this.pos += 4
    if (len !== (~nlen & 0xffff)) throw bad('stored block length check failed')
    if (this.pos + len > i.length) throw bad('truncated stored block')
    this.ensure(len)
    this.out.set(i.subarray(this.pos, this.pos + len), this.outLen)
    this.outLen += len
    this.pos += len
  }

  codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      let sym = this.decode(lit)
      if (sym < 256) {
        this.ensure(1)
        this.out[this.outLen++] = sym
      } else if (sym === 256) {
        return
      } else {
        sym -= 257
        if (sym >= 29) throw bad('invalid length code')
        const len = LEN_BASE[sym]! + this.bits(LEN_EXTRA[sym]!)
        const ds = this.decode(dist)
        if (ds >= 30) throw bad('invalid distance code')
        const d = DIST_BASE[ds]! + this.bits(DIST_EXTRA[ds]!)
        if (d > this.outLen) throw bad('distance too far back')
        this.ensure(len)
        const out = this.out
        let o = this.outLen
        for (let k = 0; k < len; k++, o++) out[o] = out[o - d]!
        this.outLen = o
      }
    }
  }

  dynamic(): void {
    const nlen = this.bits(5) + 257
    const ndist = this.bits(5) + 1
    const ncode = this.bits(4) + 4
    if (nlen > 286 || ndist > 30) throw bad('bad dynamic block counts')
    const clLengths = new Uint8Array(19)
    for (let i = 0; i < ncode; i++) clLengths[CL_ORDER[i]!] = this.bits(3)
    const cl = buildHuffman(clLengths, 19)
    const lengths = new Uint8Array(nlen + ndist)
    let i = 0
    while (i < nlen + ndist) {
      const sym = this.decode(cl)
      if (sym < 16) lengths[i++] = sym
      else {
        let len = 0
        let rep: number
        if (sym === 16) {
          if (i === 0) throw bad('repeat with no previous length')
          len = lengths[i - 1]!
          rep = 3 + this.bits(2)
        } else if (sym === 17) rep = 3 + this.bits(3)
        else rep = 11 + this.bits(7)
        if (i + rep > nlen + ndist) throw bad('too many code lengths')
        while (rep-- > 0) lengths[i++] = len
      }
    }
    if (lengths[256] === 0) throw bad('no end-of-block code')
    const lit = buildHuffman(lengths.subarray(0, nlen), nlen)
    const dist = buildHuffman(lengths.subarray(nlen), ndist)
    this.codes(lit, dist)
  }

  run(): void {
    let last = 0
    do {
      last = this.bits(1)
      const type = this.bits(2)
      if (type === 0) this.stored()
      else if (type === 1) this.codes(FIXED_LIT, FIXED_DIST)
      else if (type === 2) this.dynamic()
      else throw bad('invalid block type')
    } while (last === 0)
  }
}

/**
 * Inflates raw DEFLATE or zlib data, refusing to produce more than `maxOutputLength` bytes
 * (`ERR_ZLIB_TOO_LARGE`); corrupt data gives `ERR_ZLIB`. The zlib header and Adler-32 are
 * checked; bytes after the stream are ignored, as zlib does.
 *
 * @example
 * inflateJs(zlibBytes, { maxOutputLength: 65536, zlib: true })
 */
export function inflateJs(
  data: Uint8Array,
  options: { maxOutputLength: number; zlib: boolean },
): Uint8Array {
  let start = 0
  if (options.zlib) {
    if (data.length < 6) throw bad('zlib data too short')
    const cmf = data[0]!
    const flg = data[1]!
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7) throw bad('not deflate-compressed zlib data')
    if (((cmf << 8) | flg) % 31 !== 0) throw bad('zlib header check failed')
    if ((flg & 0x20) !== 0) throw bad('preset dictionaries are not supported')
    start = 2
  }
  const inf = new Inflater(data, start, options.maxOutputLength)
  inf.run()
  const out = inf.out.subarray(0, inf.outLen)
  if (options.zlib) {
    const p = inf.pos
    if (p + 4 > data.length) throw bad('missing Adler-32 checksum')
    const expected = ((data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!) >>> 0
    if (adler32(out) !== expected) throw bad('Adler-32 checksum mismatch')
  }
  return out
}

/**
 * Adler-32 of bytes (RFC 1950); of the first `length` bytes when given (a reused buffer, summed
 * without a view on it).
 *
 * @example
 * adler32(new TextEncoder().encode('Wikipedia')) // 0x11e60398
 */
export function adler32(data: Uint8Array, length = data.length): number {
  let a = 1
  let b = 0
  const n = Math.min(length, data.length) | 0
  let i = 0
  while (i < n) {
    const end = Math.min(i + 3800, n)
    // Eight bytes a step: b gains 8a plus the bytes weighted 8..1 (fewer loop tests and
    // dependent additions; the sums stay below 2^31 within a 3800-byte run).
    for (const end8 = end - 7; i < end8; i += 8) {
      const d0 = data[i]!
      const d1 = data[i + 1]!
      const d2 = data[i + 2]!
      const d3 = data[i + 3]!
      const d4 = data[i + 4]!
      const d5 = data[i + 5]!
      const d6 = data[i + 6]!
      const d7 = data[i + 7]!
      b += 8 * a + 8 * d0 + 7 * d1 + 6 * d2 + 5 * d3 + 4 * d4 + 3 * d5 + 2 * d6 + d7
      a += d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7
    }
    for (; i < end; i++) {
      a += data[i]!
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return ((b << 16) | a) >>> 0
}
