import { VaxpassError } from '../errors.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]))

/**
 * Decodes RFC 4648 base32 without padding (as NZ COVID Passes carry it in QR alphanumeric mode).
 * Lengths that no byte string encodes to (1, 3 or 6 characters modulo 8) are errors.
 *
 * @throws VaxpassError ERR_NZCP
 * @example
 * decodeBase32('MZXW6') // bytes of 'foo'
 */
export function decodeBase32(text: string): Uint8Array {
  const rem = text.length % 8
  if (rem === 1 || rem === 3 || rem === 6) {
    throw new VaxpassError('ERR_NZCP', 'base32 text has an impossible length')
  }
  const out = new Uint8Array(Math.floor((text.length * 5) / 8))
  let buffer = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const v = VALUES.get(text[i]!)
    if (v === undefined) {
      throw new VaxpassError('ERR_NZCP', `invalid base32 character at offset ${i}`)
    }
    buffer = ((buffer << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
  }
  return out
}

/**
 * Encodes bytes as RFC 4648 base32 without padding.
 *
 * @example
 * encodeBase32(new TextEncoder().encode('foo')) // 'MZXW6'
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >> bits) & 31]
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}
