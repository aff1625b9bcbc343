/**
 * A phone number as SMS gateways want it (E.164: `+`, country code, subscriber number), from the
 * forms the register holds: national (`0912 345 678`), international with or without `+`
 * (`+84912345678`, `84912345678`), with spaces, dots or dashes. Undefined when it is not a
 * plausible number (fewer than 8 or more than 15 digits once written internationally).
 *
 * @example
 * phoneToE164('0912 345 678') // '+84912345678'
 * phoneToE164('+84 912.345.678') // '+84912345678'
 */
export function phoneToE164(phone: string, countryCode = '84'): string | undefined {
  const compact = phone.trim().replace(/[\s.\-()]/g, '')
  let digits: string
  if (compact.startsWith('+')) digits = compact.slice(1)
  else if (compact.startsWith('00')) digits = compact.slice(2)
  else if (compact.startsWith('0')) digits = countryCode + compact.slice(1)
  else if (compact.startsWith(countryCode) && compact.length > 10) digits = compact
  else digits = countryCode + compact
  if (!/^[1-9]\d{7,14}$/.test(digits)) return undefined
  return `+${digits}`
}
