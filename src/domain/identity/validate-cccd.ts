import { findProvince } from './provinces.js'
import type { Sex } from './types.js'

/** Why an ID number is malformed; stable codes. */
export type CccdProblem =
  | 'id_empty'
  | 'id_not_digits'
  | 'id_length'
  | 'id_unknown_province'
  | 'id_century_sex_digit'
  | 'id_birth_year_future'

/** A valid 12-digit CCCD, with what its digits say. */
export interface ValidCccd {
  readonly valid: true
  readonly kind: 'cccd'
  readonly id: string
  readonly provinceCode: string
  readonly sex: Sex
  /** Four-digit birth year from the century/sex digit and digits 5-6. */
  readonly birthYear: number
}

/** A 9-digit legacy CMND number: accepted, but its digits carry no birth year or sex. */
export interface ValidCmnd {
  readonly valid: true
  readonly kind: 'cmnd'
  readonly id: string
}

export interface InvalidId {
  readonly valid: false
  readonly reason: 'id_malformed'
  readonly problem: CccdProblem
}

export type CccdValidation = ValidCccd | ValidCmnd | InvalidId

/**
 * Validates a citizen ID: a 12-digit CCCD (digits 1-3 a known province code; digit 4 the century
 * and sex, 0/1 for 1900s male/female, 2/3 for 2000s, 4/5 for 2100s; digits 5-6 the last two
 * digits of the birth year) or a 9-digit legacy CMND. Surrounding whitespace is ignored; nothing
 * else is forgiven. With `now`, a birth year after the current year is refused.
 *
 * @example
 * validateCccd('001085012345') // { valid: true, kind: 'cccd', provinceCode: '001', sex: 'M', birthYear: 1985, ... }
 * validateCccd('003085012345') // { valid: false, reason: 'id_malformed', problem: 'id_unknown_province' }
 */
export function validateCccd(id: string, options?: { now?: Date }): CccdValidation {
  const s = id.trim()
  if (s === '') return invalid('id_empty')
  if (!/^[0-9]+$/.test(s)) return invalid('id_not_digits')
  if (s.length === 9) return { valid: true, kind: 'cmnd', id: s }
  if (s.length !== 12) return invalid('id_length')
  const provinceCode = s.slice(0, 3)
  if (findProvince(provinceCode) === undefined) return invalid('id_unknown_province')
  const centurySex = s.charCodeAt(3) - 48
  if (centurySex > 5) return invalid('id_century_sex_digit')
  const birthYear = 1900 + Math.floor(centurySex / 2) * 100 + Number(s.slice(4, 6))
  if (options?.now !== undefined && birthYear > options.now.getUTCFullYear()) {
    return invalid('id_birth_year_future')
  }
  return {
    valid: true,
    kind: 'cccd',
    id: s,
    provinceCode,
    sex: centurySex % 2 === 0 ? 'M' : 'F',
    birthYear,
  }
}

function invalid(problem: CccdProblem): InvalidId {
  return { valid: false, reason: 'id_malformed', problem }
}

/**
 * The century/sex digit (digit 4 of a CCCD) for a birth year and sex.
 * Throws a RangeError for years outside 1900-2199, which the scheme cannot encode.
 *
 * @example
 * centurySexDigit(1985, 'F') // 1
 * centurySexDigit(2004, 'M') // 2
 */
export function centurySexDigit(birthYear: number, sex: Sex): number {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2199) {
    throw new RangeError(`birth year ${birthYear} cannot be encoded in a CCCD`)
  }
  return Math.floor((birthYear - 1900) / 100) * 2 + (sex === 'F' ? 1 : 0)
}
