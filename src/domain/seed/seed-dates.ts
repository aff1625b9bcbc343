const MS_PER_DAY = 86_400_000
/** Day numbers cached as strings: 1900-01-01 .. 2199-12-31. */
const FIRST_DAY = Date.UTC(1900, 0, 1) / MS_PER_DAY
const LAST_DAY = Date.UTC(2199, 11, 31) / MS_PER_DAY
let isoCache: string[] | undefined

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date (UTC).
 *
 * @example
 * dayOf('1970-01-02') // 1
 */
export function dayOf(iso: string): number {
  const t = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)))
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(t)) {
    throw new TypeError(`not a YYYY-MM-DD date: ${iso}`)
  }
  return t / MS_PER_DAY
}

/**
 * `YYYY-MM-DD` of a day number; cached, because generators format millions of dates.
 *
 * @example
 * isoOfDay(0) // '1970-01-01'
 */
export function isoOfDay(day: number): string {
  if (day < FIRST_DAY || day > LAST_DAY)
    return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
  if (isoCache === undefined) {
    isoCache = new Array<string>(LAST_DAY - FIRST_DAY + 1)
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) {
      isoCache[d - FIRST_DAY] = new Date(d * MS_PER_DAY).toISOString().slice(0, 10)
    }
  }
  return isoCache[day - FIRST_DAY] as string
}
