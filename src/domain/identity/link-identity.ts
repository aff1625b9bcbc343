import { cccdAgreesWith } from './cccd-agrees-with.js'
import { compareDob } from './compare-dob.js'
import { compareNames } from './compare-names.js'
import { normaliseName } from './normalise-name.js'
import type { LinkStatus, RegisterEntry } from './types.js'
import { validateCccd } from './validate-cccd.js'
import type { CccdProblem } from './validate-cccd.js'

/** The identity a dose record or declaration carries. */
export interface IdentityRecord {
  /** CCCD or legacy CMND; empty, null or absent when the record has none. */
  readonly cccd?: string | null
  readonly fullName: string
  readonly dob: string
  /** `M` or `F`; anything else never agrees with the register. */
  readonly sex: string
}

/** One field on which the record and the register entry differ. */
export interface LinkDifference {
  readonly field: 'cccd' | 'full_name' | 'dob' | 'sex'
  readonly recorded: string
  readonly registered: string
  /**
   * What kind of difference: for `full_name` a name difference kind (`diacritics`, `spelling`,
   * `word_count`); for `dob` `partial`, `differs` or `invalid`; for `cccd` `birth_year`, `sex`
   * (the ID's digits against the register) or a {@link CccdProblem}.
   */
  readonly kind: string
}

export interface LinkResult {
  readonly status: LinkStatus
  /** The register entry's CCCD when exactly one entry was considered (linked or not). */
  readonly cccd?: string
  readonly differences: readonly LinkDifference[]
  /** How many candidates matched the record's ID, or its name and birth date. */
  readonly candidates: number
  /** Why the ID is malformed, when `status` is `id_malformed`. */
  readonly idProblem?: CccdProblem
}

/**
 * Links a record (dose record or declaration) to exactly one register entry, or says exactly why
 * it cannot. `candidates` are the register entries the caller looked up: by the record's ID when
 * it has one, otherwise by normalised name (see `normaliseName`) and birth year; entries that do
 * not fit are ignored here, so passing more is safe.
 *
 * With an ID:
 * - malformed (not 12 or 9 digits, unknown province, bad century/sex digit): `id_malformed`;
 * - no entry with that CCCD (or CMND): `not_found`; more than one: `ambiguous`;
 * - one entry: names must be equal ignoring diacritics, case, spacing and Unicode form, else
 *   `name_differs`; birth dates equal, or agreeing as far as a partial date goes, else
 *   `dob_differs`; sex equal, else `sex_differs`; the CCCD's century/sex and year digits must agree
 *   with the entry (else `dob_differs` or `sex_differs`). The first failing check in that order
 *   gives the status; otherwise `linked`.
 *
 * A 9-digit CMND that no candidate carries (`cmnd`) is treated as no ID: the register may not
 * know old numbers, so callers should pass the name candidates too for a CMND.
 *
 * Without an ID: the entries whose name is equal after normalisation and whose birth date agrees;
 * none: `not_found`; several: narrowed to those of the same sex, and `ambiguous` unless exactly one
 * remains; one: `linked`, or `sex_differs`.
 *
 * Every difference found is listed, also when linked (diacritics, a partial birth date), so the
 * review queue can show and correct it.
 *
 * @example
 * linkIdentity(
 *   { cccd: '001085012345', fullName: 'NGUYEN VAN AN', dob: '1985-03-02', sex: 'M' },
 *   [{ cccd: '001085012345', fullName: 'Nguyễn Văn An', dob: '1985-03-02', sex: 'M' }],
 * )
 * // { status: 'linked', cccd: '001085012345', candidates: 1,
 * //   differences: [{ field: 'full_name', kind: 'diacritics', recorded: 'NGUYEN VAN AN', registered: 'Nguyễn Văn An' }] }
 */
export function linkIdentity(
  record: IdentityRecord,
  candidates: readonly RegisterEntry[],
): LinkResult {
  const id = (record.cccd ?? '').trim()
  return id === '' ? linkByNameAndDob(record, candidates) : linkById(id, record, candidates)
}

function linkById(
  id: string,
  record: IdentityRecord,
  candidates: readonly RegisterEntry[],
): LinkResult {
  const v = validateCccd(id)
  if (!v.valid) {
    return {
      status: 'id_malformed',
      differences: [{ field: 'cccd', recorded: id, registered: '', kind: v.problem }],
      candidates: 0,
      idProblem: v.problem,
    }
  }
  const matches = candidates.filter((c) => (v.kind === 'cccd' ? c.cccd === id : c.cmnd === id))
  // The register may not carry old CMND numbers: a CMND nobody holds falls back to name and dob.
  if (matches.length === 0 && v.kind === 'cmnd') return linkByNameAndDob(record, candidates)
  if (matches.length === 0) return { status: 'not_found', differences: [], candidates: 0 }
  // The same entry passed twice is one person; two different entries under one ID are not.
  if (matches.length > 1 && new Set(matches.map(entryKey)).size > 1) {
    return { status: 'ambiguous', differences: [], candidates: matches.length }
  }
  const entry = matches[0] as RegisterEntry
  const differences = compareFields(record, entry)
  let idStatus: LinkStatus | undefined
  if (v.kind === 'cccd') {
    const agreement = cccdAgreesWith(entry.cccd, { dob: entry.dob, sex: entry.sex })
    if ('disagreements' in agreement) {
      for (const d of agreement.disagreements) {
        differences.push({
          field: 'cccd',
          recorded: d.recorded,
          registered: d.registered,
          kind: d.field,
        })
        idStatus ??= d.field === 'sex' ? 'sex_differs' : 'dob_differs'
      }
    }
  }
  return {
    status: statusOf(differences) ?? idStatus ?? 'linked',
    cccd: entry.cccd,
    differences,
    candidates: matches.length,
  }
}

function linkByNameAndDob(
  record: IdentityRecord,
  candidates: readonly RegisterEntry[],
): LinkResult {
  const key = normaliseName(record.fullName)
  const matches = candidates.filter((c) => {
    if (normaliseName(c.fullName) !== key) return false
    const m = compareDob(record.dob, c.dob).match
    return m === 'exact' || m === 'partial'
  })
  if (matches.length === 0) return { status: 'not_found', differences: [], candidates: 0 }
  let entry: RegisterEntry | undefined = matches.length === 1 ? matches[0] : undefined
  if (entry === undefined) {
    const sameSex = matches.filter((c) => c.sex === record.sex)
    if (sameSex.length !== 1)
      return { status: 'ambiguous', differences: [], candidates: matches.length }
    entry = sameSex[0] as RegisterEntry
  }
  const differences = compareFields(record, entry)
  return {
    status: statusOf(differences) ?? 'linked',
    cccd: entry.cccd,
    differences,
    candidates: matches.length,
  }
}

function entryKey(e: RegisterEntry): string {
  return `${e.cccd}|${e.fullName}|${e.dob}|${e.sex}`
}

/** Name, birth date and sex differences between a record and a register entry. */
function compareFields(record: IdentityRecord, entry: RegisterEntry): LinkDifference[] {
  const out: LinkDifference[] = []
  const names = compareNames(record.fullName, entry.fullName)
  if (!names.equal) {
    const kind = names.equalIgnoringDiacritics
      ? 'diacritics'
      : names.differences.some((d) => d.kind === 'word_count')
        ? 'word_count'
        : 'spelling'
    out.push({ field: 'full_name', recorded: record.fullName, registered: entry.fullName, kind })
  }
  const dob = compareDob(record.dob, entry.dob)
  if (dob.match !== 'exact') {
    out.push({ field: 'dob', recorded: record.dob, registered: entry.dob, kind: dob.match })
  }
  if (record.sex !== entry.sex) {
    out.push({ field: 'sex', recorded: record.sex, registered: entry.sex, kind: 'differs' })
  }
  return out
}

/** The status the first blocking difference gives, in the documented order; undefined if none. */
function statusOf(differences: readonly LinkDifference[]): LinkStatus | undefined {
  if (differences.some((d) => d.field === 'full_name' && d.kind !== 'diacritics'))
    return 'name_differs'
  if (differences.some((d) => d.field === 'dob' && d.kind !== 'partial')) return 'dob_differs'
  if (differences.some((d) => d.field === 'sex')) return 'sex_differs'
  return undefined
}
