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
  // Digit arithmetic, no regex or Date: this runs for every imported row.
  const y = digits(s, 0, 4)
  const m = digits(s, 5, 7)
  const d = digits(s, 8, 10)
  if (y < 0 || m < 1 || m > 12 || d < 1) return false
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
  if (s.length === 4) return digits(s, 0, 4) >= 0
  if (s.length === 7) {
    if (digits(s, 0, 4) < 0 || s.charCodeAt(4) !== 45) return false
    const m = digits(s, 5, 7)
    return m >= 1 && m <= 12
  }
  return isIsoDate(s)
}

/** The decimal number written in `s[from..to)`, or -1 if any character there is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}
