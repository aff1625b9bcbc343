import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeBase45, encodeBase45 } from './base45.js'

const enc = (s: string) => new TextEncoder().encode(s)
const dec = (b: Uint8Array) => new TextDecoder().decode(b)

describe('base45 (RFC 9285)', () => {
  it('encodes the RFC examples', () => {
    expect(encodeBase45(enc('AB'))).toBe('BB8')
    expect(encodeBase45(enc('Hello!!'))).toBe('%69 VD92EX0')
    expect(encodeBase45(enc('base-45'))).toBe('UJCLQE7W581')
    expect(encodeBase45(new Uint8Array())).toBe('')
  })
  it('decodes the RFC examples', () => {
    expect(dec(decodeBase45('QED8WEX0'))).toBe('ietf!')
    expect(dec(decodeBase45('%69 VD92EX0'))).toBe('Hello!!')
  })
  it('rejects invalid characters, bad lengths and overflowing groups', () => {
    for (const bad of ['GGW', 'ZZZ', 'A', 'AAAA', 'ab8', 'BB8é', ':::', 'GGX']) {
      expect(() => decodeBase45(bad), bad).toThrowError(expect.objectContaining({ code: 'ERR_BASE45' }))
    }
    // 'FGW' = 65535 is the largest valid triplet
    expect(Array.from(decodeBase45('FGW'))).toEqual([255, 255])
  })
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(Array.from(decodeBase45(encodeBase45(bytes)))).toEqual(Array.from(bytes))
      }),
    )
  })
})
