/** How two birth dates compare. */
export type DobMatch =
  /** Same date at the same precision. */
  | 'exact'
  /** One is partial (`YYYY` or `YYYY-MM`) and the other agrees as far as it goes. */
  | 'partial'
  | 'differs'
  /** One of them is not a date (see `invalid`). */
  | 'invalid'

export interface DobComparison {
  readonly match: DobMatch
  /** Which side was not a valid date, when `match` is `invalid`. */
  readonly invalid?: 'recorded' | 'registered' | 'both'
}

const DOB_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/

/**
 * Parses a birth date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into its parts, checking the
 * calendar (no 30 February). Returns undefined for anything else.
 *
 * @example
 * parseDob('1985-02') // { year: 1985, month: 2, day: undefined }
 * parseDob('1985-02-30') // undefined
 */
export function parseDob(
  s: string,
): { year: number; month: number | undefined; day: number | undefined } | undefined {
  const m = DOB_RE.exec(s.trim())
  if (m === null) return undefined
  const year = Number(m[1])
  const month = m[2] === undefined ? undefined : Number(m[2])
  const day = m[3] === undefined ? undefined : Number(m[3])
  if (year < 1800) return undefined
  if (month !== undefined && (month < 1 || month > 12)) return undefined
  if (day !== undefined && month !== undefined) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
    if (day < 1 || day > last) return undefined
  }
  return { year, month, day }
}

/**
 * Compares a recorded birth date with the registered one. Dates must agree exactly; partial
 * dates (`YYYY`, `YYYY-MM`) on either side are allowed and agree when every part they have is
 * equal (`partial`).
 *
 * @example
 * compareDob('1985-03-02', '1985-03-02') // { match: 'exact' }
 * compareDob('1985', '1985-03-02') // { match: 'partial' }
 * compareDob('1985-03-20', '1985-03-02') // { match: 'differs' }
 */
export function compareDob(recorded: string, registered: string): DobComparison {
  const a = parseDob(recorded)
  const b = parseDob(registered)
  if (a === undefined || b === undefined) {
    return {
      match: 'invalid',
      invalid: a === b ? 'both' : a === undefined ? 'recorded' : 'registered',
    }
  }
  if (a.year !== b.year) return { match: 'differs' }
  if (a.month === undefined || b.month === undefined) {
    return { match: a.month === b.month ? 'exact' : 'partial' }
  }
  if (a.month !== b.month) return { match: 'differs' }
  if (a.day === undefined || b.day === undefined) {
    return { match: a.day === b.day ? 'exact' : 'partial' }
  }
  return { match: a.day === b.day ? 'exact' : 'differs' }
}
