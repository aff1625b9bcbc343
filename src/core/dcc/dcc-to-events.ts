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
    events.push(
      makeEvent({
        product: mp ?? '',
        productName,
        manufacturer,
        vaccineType,
        disease,
        date,
        doseNumber,
        seriesDoses,
        country: country?.toUpperCase(),
        certificateId,
      }),
    )
  }
}

/** An event's fields as read, undefined where the entry gave none. */
export type EventFields = {
  readonly [K in keyof Required<VaccinationEvent>]: Required<VaccinationEvent>[K] | undefined
} & { readonly product: string; readonly date: string }

/**
 * The event of its fields. With every field known (the usual entry) it is one literal: the keys,
 * order and values that {@link makeEventFieldByField} gives, with no property store growing the
 * object field by field.
 *
 * @example
 * makeEvent({ product: 'EU/1/20/1528', productName: 'Comirnaty', ..., certificateId: 'URN:...' })
 */
export function makeEvent(f: EventFields): VaccinationEvent {
  const { productName, manufacturer, vaccineType, disease, doseNumber, seriesDoses } = f
  const { country, certificateId } = f
  if (
    productName === undefined ||
    manufacturer === undefined ||
    vaccineType === undefined ||
    disease === undefined ||
    doseNumber === undefined ||
    seriesDoses === undefined ||
    country === undefined ||
    certificateId === undefined
  ) {
    return makeEventFieldByField(f)
  }
  return {
    product: f.product,
    productName,
    manufacturer,
    vaccineType,
    disease,
    date: f.date,
    doseNumber,
    seriesDoses,
    country,
    certificateId,
  }
}

/**
 * The event of its fields, each known one assigned in the order the report prints them (no
 * spreads): the reference makeEvent's literal is held to, and the path of entries that lack a
 * field.
 *
 * @example
 * makeEventFieldByField({ product: 'EU/1/20/1528', date: '2021-06-11', ...unknownFields })
 */
export function makeEventFieldByField(f: EventFields): VaccinationEvent {
  const event = { product: f.product } as Mutable<VaccinationEvent>
  if (f.productName !== undefined) event.productName = f.productName
  if (f.manufacturer !== undefined) event.manufacturer = f.manufacturer
  if (f.vaccineType !== undefined) event.vaccineType = f.vaccineType
  if (f.disease !== undefined) event.disease = f.disease
  event.date = f.date
  if (f.doseNumber !== undefined) event.doseNumber = f.doseNumber
  if (f.seriesDoses !== undefined) event.seriesDoses = f.seriesDoses
  if (f.country !== undefined) event.country = f.country
  if (f.certificateId !== undefined) event.certificateId = f.certificateId
  return event
}
