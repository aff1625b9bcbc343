import { readBarcodes, type ReaderOptions, type ReadResult } from 'zxing-wasm/reader'
import { VaxpassError } from '../errors.js'
import { loadQrReader } from './configure-qr-reader.js'
import { sniffImage } from './sniff-image.js'

/** Decoded pixels, as a canvas gives them (`ImageData`): RGBA, 4 bytes per pixel. */
export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
}

/** Limits and tuning for {@link readQrCodes}. */
export interface ReadQrOptions {
  /** Largest encoded image accepted, in bytes; 20 MB by default. */
  maxBytes?: number
  /**
   * Largest image accepted, in pixels (width x height); 25 million by default (a 24 MP photo).
   * WebAssembly memory never shrinks, so a long-running server should keep this modest.
   */
  maxPixels?: number
  /** Largest side accepted, in pixels; 12,000 by default. */
  maxSide?: number
  /** Most codes returned from one image; 4 by default. */
  maxCodes?: number
  /**
   * One pass only, for live camera frames (the next frame is the next try); by default up to four
   * passes are made on an image without a readable code.
   */
  fast?: boolean
}

const PASSES: ReaderOptions[] = [
  {},
  { tryDenoise: true },
  { binarizer: 'GlobalHistogram', tryDenoise: true },
  { binarizer: 'FixedThreshold' },
]

const DEFAULTS = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 25_000_000,
  maxSide: 12_000,
  maxCodes: 4,
  fast: false,
}

/**
 * Reads every QR code in a PNG or JPEG image (or in RGBA pixels from a canvas) and returns their
 * texts, in reading order, without duplicates. An image without a readable code gives `[]`: the
 * caller decides whether that is an error (see {@link readQrCode}).
 *
 * Photos are handled: the reader tries rotations, inverted codes and downscaling, and when the
 * first pass finds nothing, up to three more passes with denoising and other binarizers.
 *
 * Errors: `ERR_QR_TOO_LARGE` when the bytes or the pixel dimensions pass the limits (checked from
 * the header, before any pixel is decoded); `ERR_QR_IMAGE` when the bytes are not a decodable PNG
 * or JPEG.
 *
 * @example
 * const [hc1] = await readQrCodes(await fs.readFile('pass.png'))
 */
export async function readQrCodes(
  image: Uint8Array | RgbaImage,
  opts: ReadQrOptions = {},
): Promise<string[]> {
  const o = { ...DEFAULTS, ...opts }
  let input: Uint8Array | RgbaImage
  if (image instanceof Uint8Array) {
    if (image.byteLength === 0) throw new VaxpassError('ERR_QR_IMAGE', 'image is empty')
    if (image.byteLength > o.maxBytes) {
      throw new VaxpassError('ERR_QR_TOO_LARGE', 'image file is too large', {
        details: { bytes: image.byteLength, maxBytes: o.maxBytes },
      })
    }
    const header = sniffImage(image)
    if (header === undefined) {
      throw new VaxpassError('ERR_QR_IMAGE', 'not a PNG or JPEG image')
    }
    checkDimensions(header.width, header.height, o)
    input = image
  } else {
    checkDimensions(image.width, image.height, o)
    if (image.data.length !== image.width * image.height * 4) {
      throw new VaxpassError('ERR_QR_IMAGE', 'pixel data does not match width x height x 4')
    }
    input = image
  }

  await loadQrReader()
  const base: ReaderOptions = {
    formats: ['QRCode'],
    textMode: 'Plain',
    tryHarder: true,
    tryRotate: true,
    tryInvert: true,
    tryDownscale: true,
    maxNumberOfSymbols: o.maxCodes,
  }
  // Clean images decode in the first pass. For blurred, noisy, low-contrast photos a closing filter
  // and other thresholds each rescue cases the others miss (measured on the test/qr variants).
  for (const extra of o.fast ? PASSES.slice(0, 1) : PASSES) {
    const texts = await pass(input, { ...base, ...extra })
    if (texts.length > 0) return texts
  }
  return []
}

/**
 * Reads exactly the first QR code of an image; throws `ERR_QR_NOT_FOUND` when there is none.
 *
 * @example
 * const hc1 = await readQrCode(pngBytes)
 */
export async function readQrCode(
  image: Uint8Array | RgbaImage,
  opts: ReadQrOptions = {},
): Promise<string> {
  const [first] = await readQrCodes(image, opts)
  if (first === undefined)
    throw new VaxpassError('ERR_QR_NOT_FOUND', 'no QR code found in the image')
  return first
}

function checkDimensions(width: number, height: number, o: typeof DEFAULTS): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new VaxpassError('ERR_QR_IMAGE', 'image has invalid dimensions')
  }
  if (width > o.maxSide || height > o.maxSide || width * height > o.maxPixels) {
    throw new VaxpassError('ERR_QR_TOO_LARGE', 'image dimensions are too large', {
      details: { width, height, maxSide: o.maxSide, maxPixels: o.maxPixels },
    })
  }
}

async function pass(input: Uint8Array | RgbaImage, options: ReaderOptions): Promise<string[]> {
  let results: ReadResult[]
  try {
    // A plain { width, height, data } is what zxing-wasm reads as ImageData (it checks those keys).
    results = await readBarcodes(input as Uint8Array | ImageData, options)
  } catch (cause) {
    throw new VaxpassError('ERR_QR_IMAGE', 'the QR reader failed on this image', { cause })
  }
  const texts: string[] = []
  for (const r of results) {
    if (r.error.startsWith('Failed to load image')) {
      throw new VaxpassError('ERR_QR_IMAGE', 'the image could not be decoded')
    }
    if (r.isValid && !texts.includes(r.text)) texts.push(r.text)
  }
  return texts
}
