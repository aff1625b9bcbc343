import { describe, expect, it } from 'vitest'
import { decodeBase32, encodeBase32 } from './decode-base32.js'

describe('base32 (RFC 4648, no padding)', () => {
  it('matches the RFC 4648 test vectors without padding', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ]
    for (const [plain, encoded] of vectors) {
      expect(encodeBase32(new TextEncoder().encode(plain))).toBe(encoded)
      expect(new TextDecoder().decode(decodeBase32(encoded))).toBe(plain)
    }
  })

  it('refuses padding, lower case, other characters and impossible lengths', () => {
    for (const bad of ['MY======', 'my', 'MZX1', 'M', 'MZX', 'MZXW6Y']) {
      expect(() => decodeBase32(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ERR_NZCP' }),
      )
    }
  })
})
