import { VaxpassError } from '../../core/errors.js'

/**
 * The character set of the UVCI check character (eHealth Network guidelines, DCC schema FAQ):
 * Luhn mod N with N = 38 over `A-Z`, `0-9`, `/` and `:`, in that order.
 */
export const UVCI_CHECK_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:'

const N = UVCI_CHECK_CHARSET.length
const CODE_POINT = new Int8Array(128).fill(-1)
for (let i = 0; i < N; i++) CODE_POINT[UVCI_CHECK_CHARSET.charCodeAt(i)] = i

/**
 * Computes the Luhn mod N check character of a UVCI (the whole string before `#`, prefix
 * `URN:UVCI:` included). Throws ERR_UVCI for characters outside {@link UVCI_CHECK_CHARSET}.
 *
 * @example
 * computeUvciCheckCharacter('VN:7') // 'B'
 */
export function computeUvciCheckCharacter(uvci: string): string {
  return checkCharacterOf(luhnSum(uvci))
}

/**
 * The Luhn mod N sum of `text` as if it stood alone at the right end (its rightmost character
 * gets factor 2). Throws ERR_UVCI for characters outside {@link UVCI_CHECK_CHARSET}.
 */
function luhnSum(text: string): number {
  let factor = 2
  let sum = 0
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i)
    const codePoint = c < 128 ? (CODE_POINT[c] ?? -1) : -1
    if (codePoint < 0) {
      throw new VaxpassError('ERR_UVCI', `character ${JSON.stringify(text[i])} is not allowed in a UVCI`)
    }
    let addend = factor * codePoint
    factor = factor === 2 ? 1 : 2
    addend = Math.floor(addend / N) + (addend % N)
    sum += addend
  }
  return sum
}

function checkCharacterOf(sum: number): string {
  return UVCI_CHECK_CHARSET[(N - (sum % N)) % N] as string
}

/**
 * Builds `URN:UVCI:01:<country>:<opaque>#<check>`. `opaque` must be upper-case letters and
 * digits (and `/` between blocks).
 *
 * @example
 * createUvci('VN', 'A1B2C3') // 'URN:UVCI:01:VN:A1B2C3#' + check character
 */
export function createUvci(country: string, opaque: string): string {
  if (!/^[A-Z]{2}$/.test(country)) throw new VaxpassError('ERR_UVCI', 'country must be 2 letters A-Z')
  if (!/^[A-Z0-9]+(\/[A-Z0-9]+)*$/.test(opaque) || opaque.length > 60) {
    throw new VaxpassError('ERR_UVCI', 'the opaque part of a UVCI must be A-Z, 0-9 (and / between blocks)')
  }
  const body = `URN:UVCI:01:${country}:${opaque}`
  return `${body}#${computeUvciCheckCharacter(body)}`
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'))

/** Largest `sequence` {@link generateUvci} puts in a UVCI (six hex digits). */
export const UVCI_MAX_SEQUENCE = 0xffffff

/**
 * A fresh UVCI: 32 upper-case hex digits (the shape of Vietnam's own certificates), with its
 * check character. With `now`, the first 12 digits are the issue time in milliseconds and the
 * other 20 are random (80 bits): new UVCIs then sort after older ones, so that storing tens of
 * millions of them appends to the primary-key index instead of writing all over it. With `now`
 * and a `sequence` (0 to {@link UVCI_MAX_SEQUENCE}; bulk runs give a certificate's position in
 * its batch), the 12 time digits are followed by the sequence in 6 digits and 14 random ones
 * (56 bits): the UVCIs of a batch then sort in the order they are stored, so each one appends
 * to the index. Such a UVCI tells its batch's time and the certificate's position in that batch,
 * nothing about its holder. Without `now`, all 128 bits are random. `randomBytes` comes in so
 * tests can fix it.
 *
 * @example
 * generateUvci('VN', (n) => crypto.getRandomValues(new Uint8Array(n)), new Date())
 */
export function generateUvci(
  country: string,
  randomBytes: (n: number) => Uint8Array,
  now?: Date,
  sequence?: number,
): string {
  const prefix = uvciPrefix(country, now)
  if (now !== undefined && sequence !== undefined && Number.isInteger(sequence) && sequence >= 0 && sequence <= UVCI_MAX_SEQUENCE) {
    const bytes = randomBytes(7)
    let tail = HEX[sequence >>> 16]! + HEX[(sequence >>> 8) & 0xff]! + HEX[sequence & 0xff]!
    for (let i = 0; i < 7; i++) tail += HEX[bytes[i] ?? 0]
    return `${prefix.body}${tail}#${checkCharacterOf(luhnSum(tail) + prefix.luhnSum)}`
  }
  const random = now === undefined ? 16 : 10
  const bytes = randomBytes(random)
  let hex = ''
  for (let i = 0; i < random; i++) hex += HEX[bytes[i] ?? 0]
  // The random part has an even length, so the prefix's share of the Luhn sum is the same as if
  // it stood alone: reuse it.
  return `${prefix.body}${hex}#${checkCharacterOf(luhnSum(hex) + prefix.luhnSum)}`
}

// Bulk runs draw every UVCI of a batch at the same instant: keep the last prefix.
let lastPrefix: { country: string; ms: number; body: string; luhnSum: number } | undefined

function uvciPrefix(country: string, now: Date | undefined): { body: string; luhnSum: number } {
  const ms = now === undefined ? -1 : Math.max(0, Math.trunc(now.getTime()))
  if (lastPrefix !== undefined && lastPrefix.country === country && lastPrefix.ms === ms) return lastPrefix
  if (!/^[A-Z]{2}$/.test(country)) throw new VaxpassError('ERR_UVCI', 'country must be 2 letters A-Z')
  const time = ms < 0 ? '' : ms.toString(16).toUpperCase().padStart(12, '0').slice(-12)
  const body = `URN:UVCI:01:${country}:${time}`
  lastPrefix = { country, ms, body, luhnSum: luhnSum(body) }
  return lastPrefix
}

/**
 * True when `ci` is a UVCI with a correct check character (with or without the `URN:UVCI:`
 * prefix, which the check character covers when present).
 *
 * @example
 * isValidUvci(createUvci('VN', 'ABC')) // true
 */
export function isValidUvci(ci: string): boolean {
  const hash = ci.lastIndexOf('#')
  if (hash < 1 || hash !== ci.length - 2) return false
  try {
    return computeUvciCheckCharacter(ci.slice(0, hash)) === ci[hash + 1]
  } catch {
    return false
  }
}
