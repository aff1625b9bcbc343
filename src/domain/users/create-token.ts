import { createHash, randomBytes } from 'node:crypto'

/**
 * A new random secret (session token or API key secret) and the hash stored in its place.
 * 256 random bits need no slow hash: SHA-256 is enough to make a stolen table useless.
 *
 * @example
 * const { token, hash } = createToken()
 * hashToken(token) === hash // true
 */
export function createToken(prefix = ''): { token: string; hash: string } {
  const token = prefix + randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

/**
 * The stored form of a token: hex SHA-256.
 *
 * @example
 * hashToken('abc') // 'ba7816bf...'
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
