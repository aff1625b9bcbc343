// Bad input to the reader: every case ends in [] or a stable code, without decoding oversized pixels.
import { describe, expect, it } from 'vitest'
import { readQrCode, readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { encodeJpeg, encodePng, noiseAndContrast, type Grey } from './image-transforms.js'

function plain(width: number, height: number, value = 255): Grey {
  return { width, height, px: new Float32Array(width * height).fill(value) }
}

/** A PNG signature and IHDR claiming the given size, with no pixel data after it. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const v = new DataView(b.buffer)
  v.setUint32(16, width)
  v.setUint32(20, height)
  b.set([8, 0, 0, 0, 0], 24)
  return b
}

describe('readQrCodes on bad input', () => {
  it('gives [] for a PNG and a JPEG without a code; readQrCode throws ERR_QR_NOT_FOUND', async () => {
    const noisy = noiseAndContrast(plain(300, 200, 128), 60, 1)
    expect(await readQrCodes(encodePng(noisy))).toEqual([])
    expect(await readQrCodes(encodeJpeg(noisy, 50))).toEqual([])
    await expect(readQrCode(encodePng(plain(50, 50)))).rejects.toMatchObject({
      code: 'ERR_QR_NOT_FOUND',
    })
  })

  it('refuses garbage, empty, truncated and non-PNG/JPEG bytes with ERR_QR_IMAGE', async () => {
    const png = await renderQrPng('HC1:TEST')
    const inputs = [
      new Uint8Array(0),
      new TextEncoder().encode('HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL'),
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff),
      png.subarray(0, 60), // valid header, cut in the pixel data
      pngHeader(100, 100),
      pngHeader(0, 100),
      new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), // JPEG with no frame
      new TextEncoder().encode('GIF89a\x01\x00\x01\x00'),
    ]
    for (const bytes of inputs) {
      await expect(readQrCodes(bytes)).rejects.toMatchObject({ code: 'ERR_QR_IMAGE' })
    }
    await expect(
      readQrCodes({ width: 10, height: 10, data: new Uint8Array(12) }),
    ).rejects.toMatchObject({
      code: 'ERR_QR_IMAGE',
    })
  })

  it('refuses oversized images from their header, before decoding pixels', async () => {
    // 60,000 x 60,000 would need 3.6 GB of pixels; only the 33-byte header exists.
    await expect(readQrCodes(pngHeader(60_000, 60_000))).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
    await expect(readQrCodes(pngHeader(10_000, 5_000))).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
    // A JPEG whose frame header claims 65,535 x 65,535.
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xff, 0xff, 0xff, 0xff, 1, 1, 0x11, 0,
    ])
    await expect(readQrCodes(jpeg)).rejects.toMatchObject({ code: 'ERR_QR_TOO_LARGE' })
    await expect(
      readQrCodes({ width: 20_000, height: 20_000, data: new Uint8Array(0) }),
    ).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
  })

  it('applies caller limits on bytes and pixels to real images', async () => {
    const png = await renderQrPng('HC1:LIMITS', { scale: 10 })
    expect(await readQrCodes(png)).toEqual(['HC1:LIMITS'])
    await expect(readQrCodes(png, { maxBytes: png.length - 1 })).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
    await expect(readQrCodes(png, { maxPixels: 10_000 })).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
    await expect(readQrCodes(png, { maxSide: 100 })).rejects.toMatchObject({
      code: 'ERR_QR_TOO_LARGE',
    })
    const big = new Uint8Array(21 * 1024 * 1024)
    big.set(png)
    await expect(readQrCodes(big)).rejects.toMatchObject({ code: 'ERR_QR_TOO_LARGE' })
  })
})
