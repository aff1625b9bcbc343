import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeBase45, decodeBase45Into, encodeBase45 } from './base45.js'

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
      expect(() => decodeBase45(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ERR_BASE45' }),
      )
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
  it('decodes into a scratch buffer exactly as into a fresh one (same bytes, same errors)', () => {
    const scratch = new Uint8Array(64)
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a'
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((b) => encodeBase45(b)),
      fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((c) => c.join('')),
    )
    const outcome = (f: () => Uint8Array) => {
      try {
        return { bytes: Array.from(f()) }
      } catch (err) {
        return { error: (err as Error).message, details: (err as { details?: unknown }).details }
      }
    }
    fc.assert(
      fc.property(text, fc.nat(3), (t, start) => {
        scratch.fill(7)
        const s = Math.min(start, t.length)
        const viaScratch = outcome(() => decodeBase45(t, s, scratch))
        expect(viaScratch).toEqual(outcome(() => decodeBase45(t, s)))
        // A result that fits is a view on the scratch buffer, one that does not a fresh array.
        if (viaScratch.bytes !== undefined && viaScratch.bytes.length > 0) {
          const fits = viaScratch.bytes.length <= scratch.length
          expect(decodeBase45(t, s, scratch).buffer === scratch.buffer).toBe(fits)
        }
      }),
    )
  })

  it('decodes into the start of a buffer with no view exactly as decodeBase45 (or declines)', () => {
    const into = new Uint8Array(64)
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:aé'
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((b) => encodeBase45(b)),
      fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((c) => c.join('')),
    )
    fc.assert(
      fc.property(text, fc.nat(3), (t, start) => {
        into.fill(7)
        const s = Math.min(start, t.length)
        const n = decodeBase45Into(t, s, into)
        let reference: number[] | undefined
        try {
          reference = Array.from(decodeBase45(t, s))
        } catch {
          reference = undefined
        }
        if (n >= 0) expect(Array.from(into.subarray(0, n))).toEqual(reference)
        // Declines only what does not fit, is an error or is not ASCII (its documented
        // contract: also non-ASCII text before `start`, as "é" from 1, which decodes to nothing).
        else {
          const ascii = /^[\x00-\x7f]*$/u.test(t)
          expect(reference === undefined || reference.length > into.length || !ascii).toBe(true)
        }
      }),
    )
  })

  it('decodes exactly as RFC 9285 says, bytes or error, on any text', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
    // The RFC, written plainly: the reference for both the fast and the checking path.
    const reference = (t: string): number[] | 'error' => {
      if (t.length % 3 === 1) return 'error'
      const out: number[] = []
      for (let i = 0; i < t.length; i += 3) {
        const group = t.slice(i, i + 3)
        const v = [...group].map((ch) => alphabet.indexOf(ch))
        if (v.some((x) => x < 0) || group.length !== [...group].length) return 'error'
        const n = v.reduce((acc, x, k) => acc + x * 45 ** k, 0)
        if (n > (group.length === 3 ? 0xffff : 0xff)) return 'error'
        if (group.length === 3) out.push(n >> 8, n & 0xff)
        else out.push(n)
      }
      return out
    }
    const decode = (t: string): number[] | 'error' => {
      try {
        return Array.from(decodeBase45(t))
      } catch {
        return 'error'
      }
    }
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 90 }).map((b) => encodeBase45(b)),
      fc
        .array(fc.constantFrom(...alphabet, 'a', '~', '\u0000', 'é', '\u00ff', '😀'), {
          maxLength: 40,
        })
        .map((c) => c.join('')),
      fc.string({ maxLength: 30 }),
      // Valid text with one character changed (also inside the 12-character steps).
      fc
        .tuple(
          fc.uint8Array({ minLength: 8, maxLength: 90 }),
          fc.nat(),
          fc.constantFrom(...alphabet, 'a', '~', '\u0000', '#', '\u007f', 'é'),
        )
        .map(([b, at, ch]) => {
          const t = encodeBase45(b)
          const i = at % t.length
          return t.slice(0, i) + ch + t.slice(i + 1)
        }),
    )
    fc.assert(
      fc.property(text, (t) => {
        expect(decode(t)).toEqual(reference(t))
      }),
      { numRuns: 5000 },
    )
    // A character outside the alphabet, or a group above 0xffff ('GGW'), at every place of a
    // 27-character text, read from its start and after an 'HC1:' prefix.
    const valid = encodeBase45(new Uint8Array(18).fill(0x41))
    for (let i = 0; i < valid.length; i++) {
      for (const ch of ['#', 'a', '\u0000', '\u007f']) {
        const t = valid.slice(0, i) + ch + valid.slice(i + 1)
        expect(decode(t), JSON.stringify(t)).toBe('error')
        expect(() => decodeBase45(`HC1:${t}`, 4)).toThrowError(
          expect.objectContaining({ code: 'ERR_BASE45' }),
        )
      }
      if (i % 3 === 0) {
        const t = valid.slice(0, i) + 'GGW' + valid.slice(i + 3)
        expect(decode(t), JSON.stringify(t)).toBe('error')
        expect(() => decodeBase45(`HC1:${t}`, 4)).toThrowError(
          expect.objectContaining({ code: 'ERR_BASE45' }),
        )
      }
    }
    // Every character outside the alphabet, at each place of a group and of a final pair.
    for (let code = 0; code < 0x180; code++) {
      const ch = String.fromCharCode(code)
      for (const t of [`${ch}00`, `0${ch}0`, `00${ch}`, `${ch}0`, `0${ch}`, `000${ch}0`]) {
        expect(decode(t), JSON.stringify(t)).toEqual(reference(t))
      }
    }
  })
})
