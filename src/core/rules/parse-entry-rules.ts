import { VaxpassError } from '../errors.js'
import type { EntryRule } from './entry-rule.js'

/**
 * Checks that a JSON value is one rule or an array of rules in the EU rule format and returns
 * them. Rules come from partners and files, so their shape is checked before use.
 *
 * @throws VaxpassError ERR_RULES naming the first bad rule and member
 * @example
 * const rules = parseEntryRules(JSON.parse(text))
 */
export function parseEntryRules(value: unknown): EntryRule[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((raw, i) => {
    const r = raw as Record<string, unknown>
    const where = `rule ${i}${typeof r?.['Identifier'] === 'string' ? ` (${r['Identifier']})` : ''}`
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new VaxpassError('ERR_RULES', `${where} is not an object`)
    }
    for (const key of [
      'Identifier',
      'Type',
      'Country',
      'Version',
      'CertificateType',
      'ValidFrom',
      'ValidTo',
    ]) {
      if (typeof r[key] !== 'string' || r[key] === '') {
        throw new VaxpassError('ERR_RULES', `${where}: ${key} must be a non-empty string`)
      }
    }
    for (const key of ['ValidFrom', 'ValidTo']) {
      if (Number.isNaN(Date.parse(r[key] as string))) {
        throw new VaxpassError('ERR_RULES', `${where}: ${key} is not a date-time`)
      }
    }
    if (!/^[A-Z]{2}$/.test(r['Country'] as string)) {
      throw new VaxpassError('ERR_RULES', `${where}: Country must be ISO 3166-1 alpha-2`)
    }
    if (
      !Array.isArray(r['Description']) ||
      !r['Description'].every(
        (d) =>
          d !== null &&
          typeof d === 'object' &&
          typeof d.lang === 'string' &&
          typeof d.desc === 'string',
      )
    ) {
      throw new VaxpassError('ERR_RULES', `${where}: Description must be [{ lang, desc }]`)
    }
    if (
      !Array.isArray(r['AffectedFields']) ||
      !r['AffectedFields'].every((f) => typeof f === 'string')
    ) {
      throw new VaxpassError('ERR_RULES', `${where}: AffectedFields must be an array of strings`)
    }
    if (!('Logic' in r)) throw new VaxpassError('ERR_RULES', `${where}: Logic is missing`)
    return r as unknown as EntryRule
  })
}
