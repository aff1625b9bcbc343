import { isIsoDate, isPartialDate } from './dates.js'
import { personKey } from './person-key.js'
import type { RejectReason } from './reject-reason.js'

/** Header of a dose export, exactly. */
export const DOSE_CSV_COLUMNS = [
  'cccd',
  'full_name',
  'dob',
  'sex',
  'product',
  'lot',
  'date',
  'dose_number',
  'site_code',
] as const

/** A dose row that passed validation, as it will be stored. */
export interface ValidDoseRow {
  readonly personKey: string
  /** Empty when the export had no ID (linkage then searches by name and birth date). */
  readonly cccd: string
  readonly fullName: string
  readonly dob: string
  readonly sex: 'M' | 'F'
  readonly product: string
  readonly lot: string
  readonly date: string
  readonly doseNumber: number
  readonly siteCode: string
}

/** What a dose row is checked against. */
export interface DoseRowContext {
  /** Known EU `mp` product codes. */
  readonly products: ReadonlySet<string>
  /** Known vaccination site codes. */
  readonly sites: ReadonlySet<string>
  /** Earliest acceptable vaccination date (`YYYY-MM-DD`). */
  readonly firstDate: string
  /** Today (`YYYY-MM-DD`): later vaccination dates are refused. */
  readonly today: string
}

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)`: fields come as strings of
 * five or more internal kinds (one- or two-byte, copied or sliced, internalized), so `s.charCodeAt`
 * is a megamorphic property load that the optimiser cannot inline; a load from the one prototype
 * object can be (readDoseRow: 1.2 -> 0.6 us per row).
 */
const charCodeAt = String.prototype.charCodeAt

/** True if `f` holds a C0 control other than tab, or DEL: never part of a name, lot or code. */
function hasControl(f: string): boolean {
  // A char-code loop: cheaper than a regex per field on the import's hot path.
  for (let i = 0; i < f.length; i++) {
    const c = charCodeAt.call(f, i)
    if ((c < 32 && c !== 9) || c === 127) return true
  }
  return false
}

/** `s` in NFC with whitespace runs collapsed to one space and the ends trimmed. */
function cleanName(s: string): string {
  // Most names are already clean: check before building new strings.
  let clean = true
  let ascii = true
  for (let i = 0; i < s.length; i++) {
    const c = charCodeAt.call(s, i)
    if (c > 127) ascii = false
    else if (c === 32) {
      if (i === 0 || i === s.length - 1 || charCodeAt.call(s, i + 1) === 32) clean = false
    } else if (c < 32) clean = false
  }
  if (clean && ascii) return s
  const nfc = s.normalize('NFC')
  return clean && !/[^\S ]/.test(nfc) ? nfc : nfc.replace(/\s+/g, ' ').trim()
}

/**
 * Validates one row of a dose export (fields in {@link DOSE_CSV_COLUMNS} order). The ID is kept
 * as given when not empty, even if malformed: identity linkage records `id_malformed` for it,
 * so that the dose is counted and fixed through review rather than lost.
 *
 * @example
 * validateDoseRow(['001085012345', 'Nguyễn Văn An', '1985-03-02', 'M', 'EU/1/20/1528', 'FK1234',
 *   '2021-08-01', '1', '001-BVBM'], ctx) // { ok: true, row: { ... } }
 */
export function validateDoseRow(
  fields: readonly string[],
  ctx: DoseRowContext,
): { ok: true; row: ValidDoseRow } | { ok: false; reason: RejectReason } {
  const read = readDoseRow(fields, ctx, 0)
  if (typeof read === 'string') return { ok: false, reason: read }
  const { sourceRow: _sourceRow, link: _link, ...row } = read
  return { ok: true, row }
}

/** A valid dose row with its record number, as the import checks it. */
export interface ReadDoseRow extends ValidDoseRow {
  readonly sourceRow: number
}

/**
 * The checks of {@link validateDoseRow}, shaped for the import's hot path: the valid row comes
 * back as the object the import keeps (with `sourceRow`, and `link` unset), and a refusal as its
 * reason code alone, so that a row costs one object.
 *
 * @example
 * readDoseRow(fields, ctx, 7) // { personKey: '001085012345', ..., sourceRow: 7, link: undefined }
 * readDoseRow(['x'], ctx, 8) // 'column_count'
 */
export function readDoseRow(
  fields: readonly string[],
  ctx: DoseRowContext,
  sourceRow: number,
): (ReadDoseRow & { link: undefined }) | RejectReason {
  if (fields.length !== DOSE_CSV_COLUMNS.length) return 'column_count'
  // Indexed reads, not array destructuring (which walks an iterator per row).
  const rawCccd = fields[0] as string
  const rawName = fields[1] as string
  const dob = fields[2] as string
  const sex = fields[3] as string
  const product = fields[4] as string
  const rawLot = fields[5] as string
  const date = fields[6] as string
  const dn = fields[7] as string
  const site = fields[8] as string
  if (
    hasControl(rawCccd) ||
    hasControl(rawName) ||
    hasControl(dob) ||
    hasControl(sex) ||
    hasControl(product) ||
    hasControl(rawLot) ||
    hasControl(date) ||
    hasControl(dn) ||
    hasControl(site)
  ) {
    return 'control_character'
  }
  const cccd = rawCccd.trim()
  if (cccd.length > 20) return 'cccd_malformed'
  const fullName = cleanName(rawName)
  if (fullName === '' || fullName.length > 200) return 'name_missing'
  if (!isPartialDate(dob) || dob > ctx.today) return 'dob_invalid'
  if (sex !== 'M' && sex !== 'F') return 'sex_invalid'
  if (!ctx.products.has(product)) return 'product_unknown'
  const lot = rawLot.trim()
  if (lot === '' || lot.length > 64) return 'lot_invalid'
  if (!isIsoDate(date)) return 'date_invalid'
  if (date < ctx.firstDate || date > ctx.today || date < dob) return 'date_out_of_range'
  const d = dn.length === 1 ? dn.charCodeAt(0) : 0
  if (d < 49 || d > 57) return 'dose_number_invalid'
  if (!ctx.sites.has(site)) return 'site_unknown'
  return {
    personKey: personKey(cccd, fullName, dob),
    cccd,
    fullName,
    dob,
    sex,
    product,
    lot,
    date,
    doseNumber: d - 48,
    siteCode: site,
    sourceRow,
    link: undefined,
  }
}
