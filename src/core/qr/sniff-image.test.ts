import { describe, expect, it } from 'vitest'
import { sniffImage } from './sniff-image.js'

describe('sniffImage', () => {
  it('reads PNG dimensions from IHDR', () => {
    const b = new Uint8Array(24)
    b.set([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1,
      0x90, 0, 0, 0, 0xc8,
    ])
    expect(sniffImage(b)).toEqual({ format: 'png', width: 400, height: 200 })
    expect(sniffImage(b.subarray(0, 20))).toBeUndefined()
  })

  it('walks JPEG segments to the frame header, skipping APPn and fill bytes', () => {
    const app0 = [0xff, 0xe0, 0, 4, 0, 0]
    const sof2 = [0xff, 0xc2, 0, 11, 8, 0x01, 0x2c, 0x02, 0x58, 3]
    expect(sniffImage(new Uint8Array([0xff, 0xd8, ...app0, 0xff, ...sof2]))).toEqual({
      format: 'jpeg',
      width: 600,
      height: 300,
    })
    // A DHT (0xC4) is not a frame header even though it sits in the SOF range.
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xc4, 0, 2, 0xff, 0xd9]))).toBeUndefined()
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1]))).toBeUndefined()
  })

  it('returns undefined for other bytes', () => {
    expect(sniffImage(new Uint8Array([1, 2, 3]))).toBeUndefined()
    expect(sniffImage(new TextEncoder().encode('GIF89a'))).toBeUndefined()
  })
})
