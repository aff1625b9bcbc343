import { normaliseName } from '../identity/normalise-name.js'
import { validateCccd } from '../identity/validate-cccd.js'
import { isPartialDate } from './dates.js'
import type { RejectReason } from './reject-reason.js'

/** Header of a register snapshot, exactly. */
export const REGISTER_CSV_COLUMNS = [
  'cccd',
  'full_name',
  'dob',
  'sex',
  'province_code',
  'phone',
  'email',
] as const

/** A register row that passed validation. */
export interface ValidRegisterRow {
  readonly cccd: string
  readonly fullName: string
  /** {@link normaliseName} of the name: what linkage matches on. */
  readonly nameKey: string
  readonly dob: string
  readonly sex: 'M' | 'F'
  readonly provinceCode: string | null
  readonly phone: string | null
  readonly email: string | null
}

/** What a register row is checked against. */
export interface RegisterRowContext {
  readonly provinces: ReadonlySet<string>
  /** Today (`YYYY-MM-DD`). */
  readonly today: string
}

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/

/**
 * Validates one row of a register snapshot: the CCCD must be a valid 12-digit number (the
 * register is the reference, so it is held to the rules), the birth date full or partial, sex
 * M/F, the province known; phone and e-mail optional.
 *
 * @example
 * validateRegisterRow(['001085012345', 'Nguyễn Văn An', '1985-03-02', 'M', '001', '0912345678', ''], ctx)
 */
export function validateRegisterRow(
  fields: readonly string[],
  ctx: RegisterRowContext,
): { ok: true; row: ValidRegisterRow } | { ok: false; reason: RejectReason } {
  if (fields.length !== REGISTER_CSV_COLUMNS.length) return { ok: false, reason: 'column_count' }
  const [rawCccd, rawName, dob, sex, province, rawPhone, rawEmail] = fields as [
    string, string, string, string, string, string, string,
  ]
  for (const f of fields) if (CONTROL.test(f)) return { ok: false, reason: 'control_character' }
  const v = validateCccd(rawCccd)
  if (!v.valid || v.kind !== 'cccd') return { ok: false, reason: 'cccd_malformed' }
  const fullName = rawName.normalize('NFC').replace(/\s+/g, ' ').trim()
  if (fullName === '' || fullName.length > 200) return { ok: false, reason: 'name_missing' }
  if (!isPartialDate(dob) || dob > ctx.today) return { ok: false, reason: 'dob_invalid' }
  if (sex !== 'M' && sex !== 'F') return { ok: false, reason: 'sex_invalid' }
  if (province !== '' && !ctx.provinces.has(province)) {
    return { ok: false, reason: 'province_unknown' }
  }
  const phone = rawPhone.replace(/[\s.-]/g, '')
  if (phone !== '' && !/^\+?\d{8,15}$/.test(phone)) return { ok: false, reason: 'phone_invalid' }
  const email = rawEmail.trim()
  if (email !== '' && (email.length > 254 || !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(email))) {
    return { ok: false, reason: 'email_invalid' }
  }
  return {
    ok: true,
    row: {
      cccd: v.id,
      fullName,
      nameKey: normaliseName(fullName),
      dob,
      sex,
      provinceCode: province === '' ? null : province,
      phone: phone === '' ? null : phone,
      email: email === '' ? null : email,
    },
  }
}
