/**
 * `new Date(seconds * 1000).toISOString()` for a CWT time (seconds since the epoch), and
 * `String(seconds)` for a time no Date can hold. Two per verification report: whole
 * milliseconds from 1970 to 9999 (every real pass) are formatted from the digits directly, with
 * no Date object and one flat string; anything else goes through Date.
 *
 * @example
 * formatIsoSeconds(1640995200) // '2022-01-01T00:00:00.000Z'
 */
export function formatIsoSeconds(seconds: number): string {
  const ms = seconds * 1000
  if (ms >= 0 && ms < MS_YEAR_10000 && Number.isInteger(ms)) return isoOfEpochMs(ms)
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return String(seconds)
  return d.toISOString()
}

// 10000-01-01T00:00:00.000Z
const MS_YEAR_10000 = 253402300800000
const DAY_MS = 86400000
const ZERO = 48

function isoOfEpochMs(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  let rest = ms - days * DAY_MS
  // Civil date of a day count (proleptic Gregorian, 400-year eras from 0000-03-01).
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const hour = Math.floor(rest / 3600000)
  rest -= hour * 3600000
  const minute = Math.floor(rest / 60000)
  rest -= minute * 60000
  const second = Math.floor(rest / 1000)
  const milli = rest - second * 1000
  return String.fromCharCode(
    ZERO + Math.floor(year / 1000),
    ZERO + (Math.floor(year / 100) % 10),
    ZERO + (Math.floor(year / 10) % 10),
    ZERO + (year % 10),
    45, // -
    ZERO + Math.floor(month / 10),
    ZERO + (month % 10),
    45,
    ZERO + Math.floor(day / 10),
    ZERO + (day % 10),
    84, // T
    ZERO + Math.floor(hour / 10),
    ZERO + (hour % 10),
    58, // :
    ZERO + Math.floor(minute / 10),
    ZERO + (minute % 10),
    58,
    ZERO + Math.floor(second / 10),
    ZERO + (second % 10),
    46, // .
    ZERO + Math.floor(milli / 100),
    ZERO + (Math.floor(milli / 10) % 10),
    ZERO + (milli % 10),
    90, // Z
  )
}
