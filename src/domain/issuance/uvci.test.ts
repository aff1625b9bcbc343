import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UVCI_MAX_SEQUENCE, computeUvciCheckCharacter, createUvci, generateUvci, isValidUvci } from './uvci.js'

describe('UVCI check character (Luhn mod 38 over A-Z 0-9 / :)', () => {
  it('matches vectors computed by hand', () => {
    // "A1": '1' is code 27, x2 = 54 = 1*38 + 16 -> 1 + 16 = 17; 'A' is 0 -> sum 17;
    // (38 - 17) mod 38 = 21 -> 'V'.
    expect(computeUvciCheckCharacter('A1')).toBe('V')
    // "VN:7": '7'=33 x2=66 -> 1+28=29; ':'=37 x1 -> 37; 'N'=13 x2 -> 26; 'V'=21 x1 -> 21;
    // sum 113, 113 mod 38 = 37, (38 - 37) mod 38 = 1 -> 'B'.
    expect(computeUvciCheckCharacter('VN:7')).toBe('B')
    // "/": 36 x2 = 72 -> 1+34 = 35; (38 - 35) = 3 -> 'D'.
    expect(computeUvciCheckCharacter('/')).toBe('D')
    // "A": 0 -> sum 0 -> check code 0 -> 'A'.
    expect(computeUvciCheckCharacter('A')).toBe('A')
  })

  it('covers the URN:UVCI: prefix and puts the check after #', () => {
    const uvci = createUvci('VN', '0123456789ABCDEF0123456789ABCDEF')
    expect(uvci).toMatch(/^URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF#[A-Z0-9/:]$/)
    expect(uvci.slice(-1)).toBe(computeUvciCheckCharacter(uvci.slice(0, -2)))
    expect(isValidUvci(uvci)).toBe(true)
  })

  it('detects every single-character substitution and adjacent transposition', () => {
    const uvci = createUvci('VN', 'A1B2C3D4E5')
    const body = uvci.slice(0, -2)
    const check = uvci.slice(-1)
    const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    for (let i = 'URN:UVCI:01:VN:'.length; i < body.length; i++) {
      for (const c of charset) {
        if (c === body[i]) continue
        const changed = body.slice(0, i) + c + body.slice(i + 1)
        expect(computeUvciCheckCharacter(changed), `${changed}`).not.toBe(check)
      }
      if (i + 1 < body.length && body[i] !== body[i + 1]) {
        const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2)
        expect(isValidUvci(`${swapped}#${check}`)).toBe(false)
      }
    }
  })

  it('refuses characters outside the charset with ERR_UVCI', () => {
    expect(() => computeUvciCheckCharacter('urn:uvci')).toThrow(expect.objectContaining({ code: 'ERR_UVCI' }))
    expect(() => createUvci('VN', 'abc')).toThrow(expect.objectContaining({ code: 'ERR_UVCI' }))
    expect(isValidUvci('URN:UVCI:01:VN:ABC')).toBe(false)
    expect(isValidUvci('URN:UVCI:01:VN:ABC#')).toBe(false)
  })

  it('generates 32 hex digits from the random source', () => {
    const uvci = generateUvci('VN', (n) => new Uint8Array(n).fill(0xab))
    expect(uvci.startsWith('URN:UVCI:01:VN:' + 'AB'.repeat(16) + '#')).toBe(true)
    expect(isValidUvci(uvci)).toBe(true)
  })

  it('puts the check character computeUvciCheckCharacter gives, for any time and random bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('VN', 'DE', 'ZZ'),
        fc.option(fc.integer({ min: 0, max: 2 ** 47 }), { nil: undefined }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (country, ms, bytes) => {
          const uvci = generateUvci(country, (n) => bytes.subarray(0, n), ms === undefined ? undefined : new Date(ms))
          expect(uvci).toMatch(new RegExp(`^URN:UVCI:01:${country}:[0-9A-F]{32}#.$`))
          expect(uvci.slice(-1)).toBe(computeUvciCheckCharacter(uvci.slice(0, -2)))
        },
      ),
      { numRuns: 2000 },
    )
    expect(() => generateUvci('vn', (n) => new Uint8Array(n), new Date(0))).toThrow(expect.objectContaining({ code: 'ERR_UVCI' }))
  })

  it('with a sequence, sorts by time then sequence and stays a valid 32-digit UVCI', () => {
    const opaque = (u: string) => u.slice('URN:UVCI:01:VN:'.length, -2)
    const time = fc.integer({ min: 0, max: 2 ** 47 })
    const seq = fc.integer({ min: 0, max: UVCI_MAX_SEQUENCE })
    const bytes = fc.uint8Array({ minLength: 16, maxLength: 16 })
    fc.assert(
      fc.property(time, seq, bytes, time, seq, bytes, (ms1, s1, b1, ms2, s2, b2) => {
        const u1 = generateUvci('VN', (n) => b1.subarray(0, n), new Date(ms1), s1)
        const u2 = generateUvci('VN', (n) => b2.subarray(0, n), new Date(ms2), s2)
        for (const u of [u1, u2]) {
          expect(u).toMatch(/^URN:UVCI:01:VN:[0-9A-F]{32}#.$/)
          expect(u.slice(-1)).toBe(computeUvciCheckCharacter(u.slice(0, -2)))
          expect(isValidUvci(u)).toBe(true)
        }
        if (ms1 < ms2 || (ms1 === ms2 && s1 < s2)) expect(opaque(u1) < opaque(u2)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('writes the time, the sequence and 14 random digits; out-of-range sequences are all random', () => {
    const u = generateUvci('VN', (n) => new Uint8Array(n).fill(0xab), new Date(0x123456789ab), 0x0a0b0c)
    expect(u.startsWith('URN:UVCI:01:VN:0123456789AB0A0B0C' + 'AB'.repeat(7) + '#')).toBe(true)
    for (const bad of [-1, UVCI_MAX_SEQUENCE + 1, 1.5, Number.NaN]) {
      const r = generateUvci('VN', (n) => new Uint8Array(n).fill(0xcd), new Date(0x123456789ab), bad)
      expect(r.startsWith('URN:UVCI:01:VN:0123456789AB' + 'CD'.repeat(10) + '#')).toBe(true)
    }
  })
})
