import { VaxpassError } from '../../core/errors.js'
import type { DeclarationComparison } from './compare-declaration.js'
import type { DeclaredDose } from './declaration-types.js'
import type { DeclarationErrorCode } from './errors.js'

/** The record fields an approval may change. */
export interface DoseRecordFields {
  cccd?: string
  full_name?: string
  dob?: string
  sex?: string
  product?: string
  lot?: string
  date?: string
  site_code?: string
  linked_cccd?: string
  link_status?: string
}

/** One change approval makes to the dose records. */
export type Correction =
  | { readonly kind: 'insert_dose'; readonly cccd: string; readonly dose: DeclaredDose }
  | {
      readonly kind: 'update_dose'
      readonly recordId: number
      readonly before: DoseRecordFields
      readonly after: DoseRecordFields
    }

/**
 * The corrections approving a declaration makes: each of the person's records gets the
 * register's identity (ID, name, birth date, sex) and is linked to the entry; a declared dose
 * that differs from its record overwrites the record's product, lot, date and site; a declared
 * dose with no record is inserted. Records the person did not declare keep their dose fields.
 * Throws `ERR_DECLARATION_NOT_LINKED` when the declared identity does not link to the register.
 *
 * @example
 * for (const c of planApproval(view)) console.log(c.kind)
 */
export function planApproval(view: DeclarationComparison): Correction[] {
  const reg = view.register
  if (!view.approvable || reg === null) {
    throw new VaxpassError<DeclarationErrorCode>(
      'ERR_DECLARATION_NOT_LINKED',
      `the declared identity does not link to the register (${view.identity.status})`,
    )
  }
  const out: Correction[] = []
  for (const d of view.doses) {
    if (d.status === 'not_recorded' && d.declared !== null) {
      out.push({ kind: 'insert_dose', cccd: reg.cccd, dose: d.declared })
      continue
    }
    const r = d.recorded
    if (r === null) continue
    const before: DoseRecordFields = {}
    const after: DoseRecordFields = {}
    const set = <K extends keyof DoseRecordFields>(k: K, from: string | null, to: string): void => {
      if (from !== to) {
        before[k] = (from ?? '') as DoseRecordFields[K]
        after[k] = to as DoseRecordFields[K]
      }
    }
    set('cccd', r.cccd, reg.cccd)
    set('full_name', r.fullName, reg.fullName)
    // A partial register date stays as recorded when it agrees: never invent a day.
    if (!(reg.dob.length < 10 && r.dob.startsWith(reg.dob))) set('dob', r.dob, reg.dob)
    set('sex', r.sex, reg.sex)
    if (d.status === 'differs' && d.declared !== null) {
      set('product', r.product, d.declared.product)
      if (d.declared.lot !== '') set('lot', r.lot, d.declared.lot)
      set('date', r.date, d.declared.date)
      set('site_code', r.siteCode, d.declared.siteCode)
    }
    set('link_status', r.linkStatus, 'linked')
    if (Object.keys(after).length > 0) {
      after.linked_cccd = reg.cccd
      out.push({ kind: 'update_dose', recordId: r.id, before, after })
    }
  }
  return out
}
