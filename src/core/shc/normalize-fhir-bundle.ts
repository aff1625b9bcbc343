import type { Holder, VaccinationEvent, Warning } from '../verify/report.js'
import { CVX_COVID_PRODUCTS } from './cvx-products.js'

const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx'

type Json = Record<string, unknown>

function asObject(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/**
 * Maps the FHIR bundle of a SMART Health Card to our holder and vaccination events: the Patient
 * gives the name and birth date; each completed Immunization gives one event with the CVX code
 * as product, the occurrence date, and the dose number by date order (FHIR R4 cards carry none).
 *
 * @example
 * const { holder, events } = normalizeFhirBundle(payload.vc.credentialSubject.fhirBundle)
 */
export function normalizeFhirBundle(bundle: unknown): {
  holder?: Holder
  events: VaccinationEvent[]
  warnings: Warning[]
} {
  const warnings: Warning[] = []
  let holder: Holder | undefined
  const raw: Array<Omit<VaccinationEvent, 'doseNumber'> & { doseNumber?: number }> = []
  const entries = asArray(asObject(bundle)?.['entry'])
  entries.forEach((entry, i) => {
    const resource = asObject(asObject(entry)?.['resource'])
    if (resource === undefined) return
    const path = `vc.credentialSubject.fhirBundle.entry[${i}].resource`
    if (resource['resourceType'] === 'Patient' && holder === undefined) {
      const name = asObject(asArray(resource['name'])[0])
      const family = typeof name?.['family'] === 'string' ? name['family'] : undefined
      const given = asArray(name?.['given']).filter((g): g is string => typeof g === 'string')
      const givenName = given.length > 0 ? given.join(' ') : undefined
      const birthDate = typeof resource['birthDate'] === 'string' ? resource['birthDate'] : ''
      holder = {
        name: [givenName, family].filter((s) => s !== undefined).join(' '),
        ...(family === undefined ? {} : { familyName: family }),
        ...(givenName === undefined ? {} : { givenName }),
        dateOfBirth: birthDate,
      }
    } else if (resource['resourceType'] === 'Immunization') {
      if (resource['status'] !== 'completed') {
        warnings.push({
          code: 'SHC_IMMUNIZATION_NOT_COMPLETED',
          message: 'immunization not completed',
          path,
        })
        return
      }
      const codings = asArray(asObject(resource['vaccineCode'])?.['coding']).map(asObject)
      const cvx = codings.find((c) => c?.['system'] === CVX_SYSTEM) ?? codings[0]
      const code = typeof cvx?.['code'] === 'string' ? cvx['code'] : ''
      const known = cvx?.['system'] === CVX_SYSTEM ? CVX_COVID_PRODUCTS[code] : undefined
      if (known === undefined) {
        warnings.push({
          code: 'SHC_UNKNOWN_PRODUCT',
          message: `unknown vaccine code ${code}`,
          path,
        })
      }
      const when = resource['occurrenceDateTime']
      const date = typeof when === 'string' ? when.slice(0, 10) : ''
      const protocol = asObject(asArray(resource['protocolApplied'])[0])
      const dose = protocol?.['doseNumberPositiveInt']
      raw.push({
        product: code,
        ...(known === undefined ? {} : { productName: known.name }),
        disease: '840539006',
        date,
        ...(typeof dose === 'number' ? { doseNumber: dose } : {}),
      })
    }
  })
  const sorted = [...raw].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const events: VaccinationEvent[] = sorted.map((e, i) => ({
    ...e,
    doseNumber: e.doseNumber ?? i + 1,
  }))
  return holder === undefined ? { events, warnings } : { holder, events, warnings }
}
