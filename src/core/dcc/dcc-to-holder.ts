import type { Holder } from '../verify/report.js'
import { readProp, readText } from './read-field.js'

/** ICAO transliterated name to display text: `<` separates words. */
function untransliterate(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  const t = s.replace(/<+/gu, ' ').trim()
  return t === '' ? undefined : t
}

/**
 * The holder as the pass names them, for the verification report. Prefers `fn`/`gn` (with
 * diacritics) over the transliterated `fnt`/`gnt`. `name` is "Family, Given" so that family-first
 * (Vietnamese) and given-first cultures read it alike. Tolerant of any input: never throws.
 *
 * @example
 * dccToHolder({ nam: { fn: 'Nguyễn', gn: 'Bảo Duy' }, dob: '1990-01-02' })
 * // { name: 'Nguyễn, Bảo Duy', familyName: 'Nguyễn', givenName: 'Bảo Duy', dateOfBirth: '1990-01-02' }
 */
export function dccToHolder(payload: unknown): Holder {
  try {
    return readHolder(payload)
  } catch {
    return { name: '', dateOfBirth: '' }
  }
}

function readHolder(payload: unknown): Holder {
  const nam = readProp(payload, 'nam')
  const familyName =
    readText(readProp(nam, 'fn')) ?? untransliterate(readText(readProp(nam, 'fnt')))
  const givenName = readText(readProp(nam, 'gn')) ?? untransliterate(readText(readProp(nam, 'gnt')))
  const name =
    familyName === undefined
      ? (givenName ?? '')
      : givenName === undefined
        ? familyName
        : `${familyName}, ${givenName}`
  const dateOfBirth = readText(readProp(payload, 'dob')) ?? ''
  // Assigned one by one (no spreads) in the order the report prints them.
  const holder = { name } as { -readonly [K in keyof Holder]: Holder[K] }
  if (familyName !== undefined) holder.familyName = familyName
  if (givenName !== undefined) holder.givenName = givenName
  holder.dateOfBirth = dateOfBirth
  return holder
}
