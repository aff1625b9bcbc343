import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/**
 * A new six-digit one-time code, its random salt and the salted hash stored in its place.
 * A six-digit code is guessable offline from its hash; what protects it is the short expiry and the
 * attempt limit, and the salt keeps equal codes from showing as equal rows.
 *
 * @example
 * const otp = createOtp()
 * checkOtp(otp.code, otp.salt, otp.hash) // true
 */
export function createOtp(): { code: string; salt: string; hash: string } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const salt = randomBytes(16).toString('hex')
  return { code, salt, hash: hashOtp(code, salt) }
}

/**
 * True when `code` is the one whose salted hash was stored. Constant time.
 *
 * @example
 * checkOtp('123456', salt, hash)
 */
export function checkOtp(code: string, salt: string, hash: string): boolean {
  if (!/^\d{6}$/.test(code)) return false
  const a = Buffer.from(hashOtp(code, salt), 'hex')
  const b = Buffer.from(hash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

function hashOtp(code: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('hex')
}
