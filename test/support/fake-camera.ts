// A fake camera for browser tests: a Y4M video that shows a QR image, for Chromium's
// --use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file.y4m>.
// Chromium loops the file, so a few frames are enough.
import { readFile, writeFile } from 'node:fs/promises'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'

/** Options for {@link writeFakeCameraY4m}. */
export interface FakeCameraOptions {
  /** Frame size in pixels (even numbers); 640 x 480 by default. */
  width?: number
  height?: number
  /** Number of frames; 10 by default. */
  frames?: number
  /** Frames per second; 10 by default. */
  fps?: number
  /** Share of the shorter frame side that the image fills; 0.8 by default. */
  fill?: number
  /** Grey level around the image (0..255); 170 by default, like a desk under the phone. */
  background?: number
}

/** One frame read back from a Y4M file: the luma plane (chroma is neutral in our files). */
export interface Y4mFrame {
  width: number
  height: number
  luma: Uint8Array
}

interface Grey {
  width: number
  height: number
  px: Uint8Array
}

function decodeImage(bytes: Uint8Array): Grey {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50
  const img = isPng
    ? PNG.sync.read(Buffer.from(bytes))
    : jpeg.decode(Buffer.from(bytes), { useTArray: true, maxMemoryUsageInMB: 256 })
  const px = new Uint8Array(img.width * img.height)
  for (let i = 0; i < px.length; i++) {
    const r = img.data[i * 4]!
    const g = img.data[i * 4 + 1]!
    const b = img.data[i * 4 + 2]!
    const a = img.data[i * 4 + 3]! / 255
    // Transparent pixels are white paper.
    px[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * a + 255 * (1 - a))
  }
  return { width: img.width, height: img.height, px }
}

/**
 * Writes a Y4M (YUV 4:2:0) video of `frames` identical frames showing `image` (PNG or JPEG)
 * centred on a grey background, scaled to fit. The luma plane carries the picture; chroma is
 * neutral grey. Returns the path for chaining.
 *
 * @example
 * await writeFakeCameraY4m('/tmp/cam.y4m', await renderQrPng(hc1))
 * // chromium --use-fake-device-for-media-stream --use-file-for-fake-video-capture=/tmp/cam.y4m
 */
export async function writeFakeCameraY4m(
  path: string,
  image: Uint8Array,
  opts: FakeCameraOptions = {},
): Promise<string> {
  const width = opts.width ?? 640
  const height = opts.height ?? 480
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('Y4M 4:2:0 needs even frame sizes')
  const frames = opts.frames ?? 10
  const fps = opts.fps ?? 10
  const src = decodeImage(image)
  const target = Math.floor(Math.min(width, height) * (opts.fill ?? 0.8))
  const scale = target / Math.max(src.width, src.height)
  const w = Math.max(1, Math.round(src.width * scale))
  const h = Math.max(1, Math.round(src.height * scale))
  const x0 = Math.floor((width - w) / 2)
  const y0 = Math.floor((height - h) / 2)

  const luma = new Uint8Array(width * height).fill(opts.background ?? 170)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Area-average when shrinking, nearest when enlarging: module edges stay sharp.
      const sx0 = Math.floor(x / scale)
      const sy0 = Math.floor(y / scale)
      const sx1 = Math.max(sx0 + 1, Math.min(src.width, Math.floor((x + 1) / scale)))
      const sy1 = Math.max(sy0 + 1, Math.min(src.height, Math.floor((y + 1) / scale)))
      let sum = 0
      for (let sy = sy0; sy < sy1; sy++)
        for (let sx = sx0; sx < sx1; sx++) sum += src.px[sy * src.width + sx]!
      luma[(y0 + y) * width + x0 + x] = Math.round(sum / ((sx1 - sx0) * (sy1 - sy0)))
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128)
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii')
  const frameHeader = Buffer.from('FRAME\n', 'ascii')
  const parts: Uint8Array[] = [header]
  for (let i = 0; i < frames; i++) parts.push(frameHeader, luma, chroma)
  await writeFile(path, Buffer.concat(parts))
  return path
}

/**
 * Reads frame `index` of a Y4M 4:2:0 file written by {@link writeFakeCameraY4m} (or any
 * 4:2:0 Y4M without frame parameters).
 *
 * @example
 * const { width, height, luma } = await readY4mFrame('/tmp/cam.y4m', 0)
 */
export async function readY4mFrame(path: string, index: number): Promise<Y4mFrame> {
  const buf = await readFile(path)
  const nl = buf.indexOf(0x0a)
  const header = buf.subarray(0, nl).toString('ascii').split(' ')
  if (header[0] !== 'YUV4MPEG2') throw new Error('not a Y4M file')
  const width = Number(header.find((t) => t.startsWith('W'))?.slice(1))
  const height = Number(header.find((t) => t.startsWith('H'))?.slice(1))
  const frameBytes = 6 + width * height * 1.5
  const start = nl + 1 + index * frameBytes
  if (buf.subarray(start, start + 6).toString('ascii') !== 'FRAME\n')
    throw new Error('no such frame')
  return {
    width,
    height,
    luma: new Uint8Array(buf.subarray(start + 6, start + 6 + width * height)),
  }
}
