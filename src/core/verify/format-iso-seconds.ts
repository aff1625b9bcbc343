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
  // Only the day count needs a double; every quantity after it is a non-negative int32, so
  // `(a / b) | 0` is the floor and V8 keeps them as integers (Math.floor made each a double).
  const days = Math.floor(ms / DAY_MS) | 0
  let rest = (ms - days * DAY_MS) | 0
  // Civil date of a day count (proleptic Gregorian, 400-year eras from 0000-03-01).
  const z = days + 719468
  const era = (z / 146097) | 0
  const doe = z - era * 146097
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0))
  const mp = ((5 * doy + 2) / 153) | 0
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const hour = (rest / 3600000) | 0
  rest -= hour * 3600000
  const minute = (rest / 60000) | 0
  rest -= minute * 60000
  const second = (rest / 1000) | 0
  const milli = rest - second * 1000
  return String.fromCharCode(
    ZERO + ((year / 1000) | 0),
    ZERO + (((year / 100) | 0) % 10),
    ZERO + (((year / 10) | 0) % 10),
    ZERO + (year % 10),
    45, // -
    ZERO + ((month / 10) | 0),
    ZERO + (month % 10),
    45,
    ZERO + ((day / 10) | 0),
    ZERO + (day % 10),
    84, // T
    ZERO + ((hour / 10) | 0),
    ZERO + (hour % 10),
    58, // :
    ZERO + ((minute / 10) | 0),
    ZERO + (minute % 10),
    58,
    ZERO + ((second / 10) | 0),
    ZERO + (second % 10),
    46, // .
    ZERO + ((milli / 100) | 0),
    ZERO + (((milli / 10) | 0) % 10),
    ZERO + (milli % 10),
    90, // Z
  )
}
