import type { Sex } from './types.js'
import { validateCccd } from './validate-cccd.js'
import type { CccdProblem } from './validate-cccd.js'

/** One way a CCCD's digits disagree with a person's recorded birth date or sex. */
export interface CccdDisagreement {
  readonly field: 'birth_year' | 'sex'
  /** What the ID's digits say. */
  readonly recorded: string
  /** What the person's data says. */
  readonly registered: string
}

export type CccdAgreement =
  | {
      readonly agrees: boolean
      /** False for a 9-digit CMND, whose digits say nothing about birth year or sex. */
      readonly checked: boolean
      readonly disagreements: readonly CccdDisagreement[]
    }
  | { readonly agrees: false; readonly reason: 'id_malformed'; readonly problem: CccdProblem }

/**
 * Compares what a CCCD's digits say (birth year, sex) with a person's birth date (`YYYY-MM-DD`,
 * `YYYY-MM` or `YYYY`) and sex, listing every disagreement. A CMND agrees with everything
 * (`checked: false`); a malformed ID is reported as `id_malformed`.
 *
 * @example
 * cccdAgreesWith('001185012345', { dob: '1985-03-02', sex: 'M' })
 * // { agrees: false, checked: true, disagreements: [{ field: 'sex', recorded: 'F', registered: 'M' }] }
 */
export function cccdAgreesWith(id: string, person: { dob: string; sex: Sex }): CccdAgreement {
  const v = validateCccd(id)
  if (!v.valid) return { agrees: false, reason: 'id_malformed', problem: v.problem }
  if (v.kind === 'cmnd') return { agrees: true, checked: false, disagreements: [] }
  const disagreements: CccdDisagreement[] = []
  const year = person.dob.trim().slice(0, 4)
  if (String(v.birthYear) !== year) {
    disagreements.push({ field: 'birth_year', recorded: String(v.birthYear), registered: year })
  }
  if (v.sex !== person.sex) {
    disagreements.push({ field: 'sex', recorded: v.sex, registered: person.sex })
  }
  return { agrees: disagreements.length === 0, checked: true, disagreements }
}
