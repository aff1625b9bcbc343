const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * True for a real calendar date written `YYYY-MM-DD` (leap years included).
 *
 * @example
 * isIsoDate('2024-02-29') // true
 * isIsoDate('2023-02-29') // false
 */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const y = Number(s.slice(0, 4))
  const m = Number(s.slice(5, 7))
  const d = Number(s.slice(8, 10))
  if (m < 1 || m > 12 || d < 1) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const max = m === 2 && leap ? 29 : (DAYS[m - 1] as number)
  return d <= max
}

/**
 * True for a birth date as registers hold it: full `YYYY-MM-DD`, or partial `YYYY-MM` / `YYYY`.
 *
 * @example
 * isPartialDate('1950') // true
 */
export function isPartialDate(s: string): boolean {
  if (/^\d{4}$/.test(s)) return true
  if (/^\d{4}-\d{2}$/.test(s)) {
    const m = Number(s.slice(5, 7))
    return m >= 1 && m <= 12
  }
  return isIsoDate(s)
}
