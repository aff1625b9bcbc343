import { parseDob } from '../identity/compare-dob.js'
import { validateCccd } from '../identity/validate-cccd.js'
import type { DeclarationInput } from './declaration-types.js'

/** One problem with a declaration; `field` is a path like `doses[1].date`. */
export interface DeclarationProblem {
  readonly field: string
  readonly code:
    | 'required'
    | 'too_long'
    | 'invalid'
    | 'future'
    | 'before_programme'
    | 'unknown_product'
    | 'out_of_order'
    | 'too_many'
    | 'too_large'
}

/** Limits of a declaration, kept small: it is typed by a person, not a bulk file. */
export const DECLARATION_LIMITS = Object.freeze({
  maxNameChars: 200,
  maxDoses: 9,
  maxLotChars: 40,
  maxSiteChars: 40,
  maxEvidenceBytes: 5 * 1024 * 1024,
})

const FIRST_DOSE_DATE = '2021-03-08'

/**
 * Checks a declaration before it is stored, listing every problem (never stopping at the
 * first): identity (name, full birth date not in the future, sex, a well-formed CCCD or CMND when
 * given), one to nine doses (a known `mp` product, a real date from 8 March 2021 to today, dose
 * numbers 1-9 rising with the dates, a site code), contact fields, and evidence (JPEG or PNG,
 * at most 5 MiB). `now` is the clock.
 *
 * @example
 * validateDeclaration(input, { now: new Date(), products: new Set(['EU/1/20/1528']) })
 * // [] when valid, else [{ field: 'doses[0].date', code: 'future' }, ...]
 */
export function validateDeclaration(
  input: DeclarationInput,
  ctx: { now: Date; products: ReadonlySet<string> },
): DeclarationProblem[] {
  const problems: DeclarationProblem[] = []
  const today = ctx.now.toISOString().slice(0, 10)
  const name = typeof input.fullName === 'string' ? input.fullName.trim() : ''
  if (name === '') problems.push({ field: 'fullName', code: 'required' })
  else if (name.length > DECLARATION_LIMITS.maxNameChars)
    problems.push({ field: 'fullName', code: 'too_long' })
  const dob = typeof input.dob === 'string' ? parseDob(input.dob) : undefined
  if (dob === undefined || dob.day === undefined) problems.push({ field: 'dob', code: 'invalid' })
  else if (input.dob > today) problems.push({ field: 'dob', code: 'future' })
  if (input.sex !== 'M' && input.sex !== 'F') problems.push({ field: 'sex', code: 'invalid' })
  if (input.cccd !== null && input.cccd !== undefined && input.cccd.trim() !== '') {
    if (!validateCccd(input.cccd, { now: ctx.now }).valid)
      problems.push({ field: 'cccd', code: 'invalid' })
  }
  if (input.phone != null && input.phone !== '' && !/^\+?[0-9]{9,15}$/.test(input.phone)) {
    problems.push({ field: 'phone', code: 'invalid' })
  }
  if (
    input.email != null &&
    input.email !== '' &&
    (input.email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
  ) {
    problems.push({ field: 'email', code: 'invalid' })
  }

  const doses = Array.isArray(input.doses) ? input.doses : []
  if (doses.length === 0) problems.push({ field: 'doses', code: 'required' })
  if (doses.length > DECLARATION_LIMITS.maxDoses)
    problems.push({ field: 'doses', code: 'too_many' })
  const seen = new Set<number>()
  let previous: { n: number; date: string } | undefined
  const sorted = doses
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.doseNumber ?? 0) - (b.d.doseNumber ?? 0))
  for (const { d, i } of sorted.slice(0, DECLARATION_LIMITS.maxDoses)) {
    const at = `doses[${i}]`
    if (!ctx.products.has(d.product))
      problems.push({ field: `${at}.product`, code: 'unknown_product' })
    const date = typeof d.date === 'string' ? parseDob(d.date) : undefined
    if (date === undefined || date.day === undefined)
      problems.push({ field: `${at}.date`, code: 'invalid' })
    else if (d.date < FIRST_DOSE_DATE)
      problems.push({ field: `${at}.date`, code: 'before_programme' })
    else if (d.date > today) problems.push({ field: `${at}.date`, code: 'future' })
    if (
      !Number.isInteger(d.doseNumber) ||
      d.doseNumber < 1 ||
      d.doseNumber > 9 ||
      seen.has(d.doseNumber)
    ) {
      problems.push({ field: `${at}.doseNumber`, code: 'invalid' })
    } else {
      seen.add(d.doseNumber)
      if (previous !== undefined && typeof d.date === 'string' && d.date <= previous.date) {
        problems.push({ field: `${at}.date`, code: 'out_of_order' })
      }
      previous = { n: d.doseNumber, date: d.date }
    }
    if (typeof d.lot !== 'string') problems.push({ field: `${at}.lot`, code: 'invalid' })
    else if (d.lot.length > DECLARATION_LIMITS.maxLotChars)
      problems.push({ field: `${at}.lot`, code: 'too_long' })
    if (typeof d.siteCode !== 'string' || d.siteCode.trim() === '') {
      problems.push({ field: `${at}.siteCode`, code: 'required' })
    } else if (d.siteCode.length > DECLARATION_LIMITS.maxSiteChars) {
      problems.push({ field: `${at}.siteCode`, code: 'too_long' })
    }
  }

  if (input.evidence != null) {
    if (input.evidence.mediaType !== 'image/jpeg' && input.evidence.mediaType !== 'image/png') {
      problems.push({ field: 'evidence.mediaType', code: 'invalid' })
    }
    if (input.evidence.bytes.byteLength > DECLARATION_LIMITS.maxEvidenceBytes) {
      problems.push({ field: 'evidence', code: 'too_large' })
    }
  }
  return problems
}
