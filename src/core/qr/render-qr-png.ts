import { VaxpassError } from '../errors.js'
import { qrMatrix, type QrMatrixOptions } from './qr-matrix.js'

/** Options for {@link renderQrPng}. */
export interface RenderQrPngOptions extends QrMatrixOptions {
  /** Pixels per module; 8 by default. */
  scale?: number
  /** Quiet zone in modules; 4 by default. */
  margin?: number
}

/** Largest side we render, so a caller's scale cannot ask for gigabytes. */
const MAX_SIDE = 8192

/**
 * Renders `text` as a 1-bit greyscale PNG QR code. Browser-capable: the PNG is assembled here and
 * compressed with the web-standard `CompressionStream`, without Node modules.
 *
 * @example
 * const png = await renderQrPng('HC1:6BFOXN...', { scale: 6 })
 * png[1] === 0x50 // 'P' of the PNG signature
 */
export async function renderQrPng(
  text: string,
  opts: RenderQrPngOptions = {},
): Promise<Uint8Array> {
  const m = qrMatrix(text, opts)
  const scale = Math.max(1, Math.floor(opts.scale ?? 8))
  const margin = Math.max(0, Math.floor(opts.margin ?? 4))
  const side = (m.size + 2 * margin) * scale
  if (side > MAX_SIDE) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', 'QR image would be too large', {
      details: { side, max: MAX_SIDE },
    })
  }
  const rowBytes = Math.ceil(side / 8)
  // Filter byte 0 then packed bits; 1 = white in greyscale, so start all-white and clear dark bits.
  const raw = new Uint8Array((rowBytes + 1) * side)
  for (let y = 0; y < side; y++) {
    const base = y * (rowBytes + 1)
    raw.fill(0xff, base + 1, base + 1 + rowBytes)
    const row = Math.floor(y / scale) - margin
    for (let x = 0; x < side; x++) {
      const col = Math.floor(x / scale) - margin
      if (m.isDark(row, col)) raw[base + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7))
    }
  }
  const ihdr = new Uint8Array(13)
  const v = new DataView(ihdr.buffer)
  v.setUint32(0, side)
  v.setUint32(4, side)
  ihdr.set([1, 0, 0, 0, 0], 8) // bit depth 1, greyscale, deflate, adaptive filter, no interlace
  const idat = await deflate(raw)
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ])
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  // 'deflate' is the zlib wrapper, which is what PNG's IDAT holds.
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length)
  const v = new DataView(out.buffer)
  v.setUint32(0, body.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(body, 8)
  v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)))
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

let crcTable: Uint32Array | undefined

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
