import { compareDob } from '../identity/compare-dob.js'
import { compareNames } from '../identity/compare-names.js'
import type { LinkResult } from '../identity/link-identity.js'
import type { RegisterEntry } from '../identity/types.js'
import type { Declaration, DeclaredDose, RecordedDose } from './declaration-types.js'

/** A field of a dose that differs between the declaration and the record. */
export interface DoseFieldDifference {
  readonly field: 'product' | 'lot' | 'date' | 'site_code'
  readonly declared: string
  readonly recorded: string
}

/** One dose number, declared and/or recorded. */
export interface DoseComparison {
  readonly doseNumber: number
  readonly declared: DeclaredDose | null
  readonly recorded: RecordedDose | null
  /** `matches`, `differs` (see differences), `not_recorded` (declared only), `not_declared`. */
  readonly status: 'matches' | 'differs' | 'not_recorded' | 'not_declared'
  readonly differences: readonly DoseFieldDifference[]
}

/** How a stored record's identity differs from the register entry (corrected on approval). */
export interface RecordIdentityDifference {
  readonly recordId: number
  readonly differences: ReadonlyArray<{
    readonly field: 'cccd' | 'full_name' | 'dob' | 'sex'
    readonly recorded: string
    readonly registered: string
  }>
}

/** What a reviewer sees: every difference, against the register and the dose records. */
export interface DeclarationComparison {
  /** The declared identity against the register. */
  readonly identity: LinkResult
  readonly register: RegisterEntry | null
  readonly doses: readonly DoseComparison[]
  readonly recordIdentity: readonly RecordIdentityDifference[]
  /** True when approval can run: the declared identity links to one register entry. */
  readonly approvable: boolean
}

/**
 * Compares a declaration with the register entry it links to and with the person's dose
 * records: per dose number, whether the record matches, differs (field by field), is missing,
 * or was not declared; and per record, how its identity differs from the register. A declared
 * lot left empty is "unknown", never a difference.
 *
 * @example
 * const view = compareDeclaration(declaration, { identity, register, records })
 * view.doses.filter((d) => d.status !== 'matches')
 */
export function compareDeclaration(
  declaration: Pick<Declaration, 'doses'>,
  ctx: { identity: LinkResult; register: RegisterEntry | null; records: readonly RecordedDose[] },
): DeclarationComparison {
  const byNumber = new Map<number, RecordedDose[]>()
  for (const r of ctx.records) {
    const list = byNumber.get(r.doseNumber) ?? []
    list.push(r)
    byNumber.set(r.doseNumber, list)
  }
  const doses: DoseComparison[] = []
  const used = new Set<number>()
  for (const d of [...declaration.doses].sort((a, b) => a.doseNumber - b.doseNumber)) {
    const candidates = byNumber.get(d.doseNumber) ?? []
    const recorded =
      candidates.find((r) => r.date === d.date && r.product === d.product) ??
      candidates.find((r) => r.date === d.date) ??
      candidates[0] ??
      null
    if (recorded === null) {
      doses.push({
        doseNumber: d.doseNumber,
        declared: d,
        recorded: null,
        status: 'not_recorded',
        differences: [],
      })
      continue
    }
    used.add(recorded.id)
    const differences: DoseFieldDifference[] = []
    if (d.product !== recorded.product)
      differences.push({ field: 'product', declared: d.product, recorded: recorded.product })
    if (d.lot !== '' && d.lot !== recorded.lot)
      differences.push({ field: 'lot', declared: d.lot, recorded: recorded.lot })
    if (d.date !== recorded.date)
      differences.push({ field: 'date', declared: d.date, recorded: recorded.date })
    if (d.siteCode !== recorded.siteCode) {
      differences.push({ field: 'site_code', declared: d.siteCode, recorded: recorded.siteCode })
    }
    doses.push({
      doseNumber: d.doseNumber,
      declared: d,
      recorded,
      status: differences.length === 0 ? 'matches' : 'differs',
      differences,
    })
  }
  for (const r of ctx.records) {
    if (used.has(r.id)) continue
    doses.push({
      doseNumber: r.doseNumber,
      declared: null,
      recorded: r,
      status: 'not_declared',
      differences: [],
    })
  }
  doses.sort((a, b) => a.doseNumber - b.doseNumber)

  const recordIdentity: RecordIdentityDifference[] = []
  const reg = ctx.register
  if (reg !== null) {
    for (const r of ctx.records) {
      const differences: Array<RecordIdentityDifference['differences'][number]> = []
      if ((r.cccd ?? '') !== reg.cccd)
        differences.push({ field: 'cccd', recorded: r.cccd ?? '', registered: reg.cccd })
      if (!compareNames(r.fullName, reg.fullName).equal) {
        differences.push({ field: 'full_name', recorded: r.fullName, registered: reg.fullName })
      }
      if (compareDob(r.dob, reg.dob).match !== 'exact')
        differences.push({ field: 'dob', recorded: r.dob, registered: reg.dob })
      if (r.sex !== reg.sex)
        differences.push({ field: 'sex', recorded: r.sex, registered: reg.sex })
      if (differences.length > 0) recordIdentity.push({ recordId: r.id, differences })
    }
  }
  return {
    identity: ctx.identity,
    register: reg,
    doses,
    recordIdentity,
    approvable: ctx.identity.status === 'linked' && reg !== null,
  }
}
