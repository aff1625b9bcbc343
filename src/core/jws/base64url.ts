import { VaxpassError } from '../errors.js'

const ALPHABET = /^[A-Za-z0-9_-]*$/

/**
 * Decodes unpadded base64url (RFC 4648 section 5) strictly: other characters, padding and
 * impossible lengths are errors, so that two different strings never decode to the same bytes.
 *
 * @throws VaxpassError ERR_JWS
 * @example
 * decodeBase64url('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64url(text: string): Uint8Array {
  if (!ALPHABET.test(text) || text.length % 4 === 1) {
    throw new VaxpassError('ERR_JWS', 'invalid base64url text')
  }
  // atob/btoa exist in browsers and Node alike, so core stays free of Buffer.
  const std = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(std + '='.repeat((4 - (std.length % 4)) % 4))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  // Reject non-canonical trailing bits (re-encoding must give the same text).
  if (encodeBase64url(bytes) !== text) {
    throw new VaxpassError('ERR_JWS', 'non-canonical base64url text')
  }
  return bytes
}

/**
 * Encodes bytes as unpadded base64url.
 *
 * @example
 * encodeBase64url(new Uint8Array([1, 2, 3])) // 'AQID'
 */
export function encodeBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
