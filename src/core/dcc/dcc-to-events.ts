import type { VaccinationEvent } from '../verify/report.js'
import { readEntries, readNumber, readProp, readText } from './read-field.js'
import {
  DISEASE_AGENT_TARGETED,
  VACCINE_MAH_MANF,
  VACCINE_MEDICINAL_PRODUCT,
  VACCINE_PROPHYLAXIS,
  valueSetMap,
} from './value-sets.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

// Maps, not the objects: numeric codes ('840539006') make object lookups slow (value-sets.ts).
const PRODUCTS = valueSetMap(VACCINE_MEDICINAL_PRODUCT)
const MANUFACTURERS = valueSetMap(VACCINE_MAH_MANF)
const PROPHYLAXIS = valueSetMap(VACCINE_PROPHYLAXIS)
const DISEASES = valueSetMap(DISEASE_AGENT_TARGETED)

function display(set: ReadonlyMap<string, string>, code: string | undefined): string | undefined {
  if (code === undefined) return undefined
  return set.get(code) ?? code
}

/**
 * The vaccination events of a DCC payload (`v` entries; a test or recovery certificate has
 * none), with value-set codes turned into names where known. Tolerant of sloppy input (nulls,
 * whitespace, numbers as text, a lone object for `v`, date-times for `dt`): never throws.
 *
 * @example
 * dccToEvents(payload)[0]
 * // { product: 'EU/1/20/1528', productName: 'Comirnaty', date: '2021-06-11', doseNumber: 1, ... }
 */
export function dccToEvents(payload: unknown): VaccinationEvent[] {
  const events: VaccinationEvent[] = []
  try {
    collectEvents(payload, events)
  } catch {
    // Hostile objects (throwing getters, proxies): keep what was read.
  }
  return events
}

/** True when `s` starts `YYYY-MM-DD` followed by `T`, `t` or a space (a date-time). */
function startsWithDateTime(s: string): boolean {
  if (s.length < 11 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
  for (let i = 0; i < 10; i++) {
    const c = s.charCodeAt(i)
    if (i !== 4 && i !== 7 && (c < 48 || c > 57)) return false
  }
  const sep = s.charCodeAt(10)
  return sep === 84 || sep === 116 || sep === 32
}

function collectEvents(payload: unknown, events: VaccinationEvent[]): void {
  for (const entry of readEntries(readProp(payload, 'v'))) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue
    const mp = readText(readProp(entry, 'mp'))
    const productName = mp !== undefined ? PRODUCTS.get(mp) : undefined
    const manufacturer = display(MANUFACTURERS, readText(readProp(entry, 'ma')))
    const vaccineType = display(PROPHYLAXIS, readText(readProp(entry, 'vp')))
    const disease = display(DISEASES, readText(readProp(entry, 'tg')))
    // A date-time where a date belongs (seen in 1.0.x passes): keep the calendar date.
    const dt = readText(readProp(entry, 'dt'))
    const date = dt !== undefined && startsWithDateTime(dt) ? dt.slice(0, 10) : (dt ?? '')
    const doseNumber = readNumber(readProp(entry, 'dn'))
    const seriesDoses = readNumber(readProp(entry, 'sd'))
    const country = readText(readProp(entry, 'co'))
    const certificateId = readText(readProp(entry, 'ci'))
    // Assigned one by one (no spreads) in the order the report prints them.
    const event = { product: mp ?? '' } as Mutable<VaccinationEvent>
    if (productName !== undefined) event.productName = productName
    if (manufacturer !== undefined) event.manufacturer = manufacturer
    if (vaccineType !== undefined) event.vaccineType = vaccineType
    if (disease !== undefined) event.disease = disease
    event.date = date
    if (doseNumber !== undefined) event.doseNumber = doseNumber
    if (seriesDoses !== undefined) event.seriesDoses = seriesDoses
    if (country !== undefined) event.country = country.toUpperCase()
    if (certificateId !== undefined) event.certificateId = certificateId
    events.push(event)
  }
}
