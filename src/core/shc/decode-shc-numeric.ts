import { VaxpassError } from '../errors.js'

/** Longest numeric QR content we read (SHC caps one QR at 1195 characters of JWS). */
const MAX_NUMERIC_LENGTH = 200_000

/**
 * Decodes the numeric QR form of a SMART Health Card (the digits after `shc:/` or after
 * `shc:/C/N/`): each pair of digits is a character code minus 45.
 *
 * @throws VaxpassError ERR_SHC_CHUNKS for odd lengths (a truncated chunk), ERR_SHC for other
 *   characters or pairs out of range
 * @example
 * decodeShcNumeric('5676') // 'ey'
 */
export function decodeShcNumeric(digits: string): string {
  if (digits.length > MAX_NUMERIC_LENGTH) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', 'numeric SHC content too long')
  }
  if (!/^[0-9]*$/.test(digits)) {
    throw new VaxpassError('ERR_SHC', 'numeric SHC content holds a character other than 0-9')
  }
  if (digits.length % 2 !== 0) {
    throw new VaxpassError('ERR_SHC_CHUNKS', 'numeric SHC content has an odd length (truncated)')
  }
  let out = ''
  for (let i = 0; i < digits.length; i += 2) {
    const v = (digits.charCodeAt(i) - 48) * 10 + (digits.charCodeAt(i + 1) - 48)
    // 45..122 covers '-' to 'z', every base64url character and '.'.
    if (v > 77) throw new VaxpassError('ERR_SHC', `numeric pair ${v} out of range at offset ${i}`)
    out += String.fromCharCode(v + 45)
  }
  return out
}

/**
 * Encodes a JWS in the SHC numeric form (without the `shc:/` prefix).
 *
 * @example
 * encodeShcNumeric('ey') // '5676'
 */
export function encodeShcNumeric(jws: string): string {
  let out = ''
  for (let i = 0; i < jws.length; i++) {
    const v = jws.charCodeAt(i) - 45
    if (v < 0 || v > 77)
      throw new VaxpassError('ERR_SHC', 'character cannot be encoded numerically')
    out += v < 10 ? `0${v}` : String(v)
  }
  return out
}
