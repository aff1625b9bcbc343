/** What the header of an encoded image says, read without decoding its pixels. */
export interface ImageHeader {
  format: 'png' | 'jpeg'
  width: number
  height: number
}

/**
 * Reads the format and pixel dimensions of a PNG or JPEG from its header, so that limits can be
 * enforced before a decoder allocates memory for the pixels. Returns undefined for anything else
 * (other formats, truncated headers, zero dimensions).
 *
 * @example
 * sniffImage(pngBytes) // { format: 'png', width: 400, height: 400 }
 */
export function sniffImage(bytes: Uint8Array): ImageHeader | undefined {
  if (isPng(bytes)) {
    // The signature is followed by the IHDR chunk: length(4) 'IHDR'(4) width(4) height(4).
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
      return undefined
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const width = v.getUint32(16)
    const height = v.getUint32(20)
    return width > 0 && height > 0 ? { format: 'png', width, height } : undefined
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return sniffJpeg(bytes)
  return undefined
}

function isPng(b: Uint8Array): boolean {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  return b.length >= 8 && sig.every((x, i) => b[i] === x)
}

function sniffJpeg(b: Uint8Array): ImageHeader | undefined {
  // Walk the marker segments up to the first start-of-frame, which carries the dimensions.
  let i = 2
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined
    const marker = b[i + 1]!
    if (marker === 0xff) {
      i++ // fill byte
      continue
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return undefined // end or scan before any frame header
    const len = (b[i + 2]! << 8) | b[i + 3]!
    if (len < 2) return undefined
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isSof) {
      if (i + 9 > b.length) return undefined
      const height = (b[i + 5]! << 8) | b[i + 6]!
      const width = (b[i + 7]! << 8) | b[i + 8]!
      return width > 0 && height > 0 ? { format: 'jpeg', width, height } : undefined
    }
    i += 2 + len
  }
  return undefined
}
