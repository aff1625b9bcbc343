import { describe, expect, it } from 'vitest'
import { deflateRawSync, deflateSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { deflateZlib, inflateRawBounded, inflateZlib } from './zlib.js'

describe('zlib', () => {
  it('produces standard zlib that node inflates, and reads it back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const z = deflateZlib(bytes)
        expect(z[0]! & 0x0f).toBe(8) // CM = deflate
        expect(Array.from(inflateSync(z))).toEqual(Array.from(bytes))
        expect(Array.from(await inflateZlib(z))).toEqual(Array.from(bytes))
      }),
      { numRuns: 50 },
    )
  })
  it('stops a zip bomb before its output passes the limit', async () => {
    const bomb = deflateSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 })
    expect(bomb.length).toBeLessThan(100_000)
    await expect(inflateZlib(bomb)).rejects.toMatchObject({ code: 'ERR_ZLIB_TOO_LARGE' })
    await expect(inflateZlib(deflateSync(Buffer.alloc(2000)), { maxOutputLength: 1000 })).rejects.toMatchObject({
      code: 'ERR_ZLIB_TOO_LARGE',
    })
  })
  it('rejects corrupt or truncated data with ERR_ZLIB', async () => {
    await expect(inflateZlib(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({ code: 'ERR_ZLIB' })
    const z = deflateSync(Buffer.from('hello world hello world'))
    await expect(inflateZlib(z.subarray(0, z.length - 3))).rejects.toMatchObject({ code: 'ERR_ZLIB' })
  })
  it('inflates raw DEFLATE with the same bound', async () => {
    const raw = deflateRawSync(Buffer.from('{"a":1}'))
    expect(new TextDecoder().decode(await inflateRawBounded(raw))).toBe('{"a":1}')
    await expect(inflateRawBounded(deflateRawSync(Buffer.alloc(5000)), { maxOutputLength: 100 })).rejects.toMatchObject({
      code: 'ERR_ZLIB_TOO_LARGE',
    })
    await expect(inflateRawBounded(new Uint8Array([0xff, 0xff]))).rejects.toMatchObject({ code: 'ERR_ZLIB' })
  })
})
