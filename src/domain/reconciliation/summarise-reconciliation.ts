import { findProvince } from '../identity/provinces.js'
import type { LinkFailureReason } from '../identity/types.js'

/** Counts for one site, as the storage layer reads them. */
export interface SiteCounts {
  readonly siteCode: string
  readonly provinceCode: string
  /** Doses the site reported administered (sum of its daily reports). */
  readonly administered: number
  /** Dose records entered (imported or typed). */
  readonly entered: number
  /** Entered records linked to exactly one register entry. */
  readonly linked: number
  /** Linked records a certificate can be issued from (a product issuable in Vietnam). */
  readonly certifiable: number
  /** Entered records not yet through linkage. */
  readonly pending: number
}

/** The same counts with the gaps worked out. */
export interface ReconciliationCounts {
  readonly administered: number
  readonly entered: number
  readonly linked: number
  readonly certifiable: number
  readonly pending: number
  /** Reported administered but not entered (never negative). */
  readonly notEntered: number
  /** Entered beyond what was reported (missing or late daily reports). */
  readonly enteredUnreported: number
  /** Entered but not linked (failed or pending). */
  readonly notLinked: number
  /** entered / administered, 0..1 (null when nothing was reported). */
  readonly enteredShare: number | null
  /** linked / entered, 0..1 (null when nothing was entered). */
  readonly linkedShare: number | null
}

export interface ReconciliationReport {
  readonly totals: ReconciliationCounts
  readonly provinces: ReadonlyArray<ReconciliationCounts & { provinceCode: string; name: string }>
  readonly sites: ReadonlyArray<ReconciliationCounts & { siteCode: string; provinceCode: string }>
  /** People (distinct person keys) with at least one record failing linkage, by reason. */
  readonly mismatchedPeople: Readonly<Record<LinkFailureReason, number>>
}

function withGaps(c: Omit<SiteCounts, 'siteCode' | 'provinceCode'>): ReconciliationCounts {
  return {
    administered: c.administered,
    entered: c.entered,
    linked: c.linked,
    certifiable: c.certifiable,
    pending: c.pending,
    notEntered: Math.max(0, c.administered - c.entered),
    enteredUnreported: Math.max(0, c.entered - c.administered),
    notLinked: c.entered - c.linked,
    enteredShare: c.administered === 0 ? null : c.entered / c.administered,
    linkedShare: c.entered === 0 ? null : c.linked / c.entered,
  }
}

function add(
  a: Omit<SiteCounts, 'siteCode' | 'provinceCode'>,
  b: Omit<SiteCounts, 'siteCode' | 'provinceCode'>,
): Omit<SiteCounts, 'siteCode' | 'provinceCode'> {
  return {
    administered: a.administered + b.administered,
    entered: a.entered + b.entered,
    linked: a.linked + b.linked,
    certifiable: a.certifiable + b.certifiable,
    pending: a.pending + b.pending,
  }
}

const ZERO = { administered: 0, entered: 0, linked: 0, certifiable: 0, pending: 0 }

/**
 * Works out the reconciliation report from per-site counts: per site, per province and in
 * total, doses reported administered vs. entered vs. linked vs. certifiable, with the gaps.
 * Gaps are computed per site and then summed, so one site's surplus never hides another's
 * missing records.
 *
 * @example
 * summariseReconciliation(
 *   [{ siteCode: '001-BVBM', provinceCode: '001', administered: 100, entered: 96, linked: 90, certifiable: 90, pending: 0 }],
 *   { not_found: 2 },
 * ).totals.notEntered // 4
 */
export function summariseReconciliation(
  sites: readonly SiteCounts[],
  mismatchedPeople: Partial<Record<LinkFailureReason, number>>,
): ReconciliationReport {
  const siteRows = [...sites]
    .sort((a, b) => (a.siteCode < b.siteCode ? -1 : a.siteCode > b.siteCode ? 1 : 0))
    .map((s) => ({ siteCode: s.siteCode, provinceCode: s.provinceCode, ...withGaps(s) }))
  const byProvince = new Map<string, ReconciliationCounts[]>()
  for (const s of siteRows) {
    const list = byProvince.get(s.provinceCode) ?? []
    list.push(s)
    byProvince.set(s.provinceCode, list)
  }
  const sum = (rows: readonly ReconciliationCounts[]): ReconciliationCounts => {
    const base = withGaps(rows.reduce(add, ZERO))
    // Per-site gaps, summed: surpluses and shortfalls do not cancel out.
    return {
      ...base,
      notEntered: rows.reduce((n, r) => n + r.notEntered, 0),
      enteredUnreported: rows.reduce((n, r) => n + r.enteredUnreported, 0),
    }
  }
  const provinces = [...byProvince.keys()].sort().map((code) => ({
    provinceCode: code,
    name: findProvince(code)?.nameVi ?? code,
    ...sum(byProvince.get(code) as ReconciliationCounts[]),
  }))
  return {
    totals: sum(siteRows),
    provinces,
    sites: siteRows,
    mismatchedPeople: {
      not_found: mismatchedPeople.not_found ?? 0,
      ambiguous: mismatchedPeople.ambiguous ?? 0,
      name_differs: mismatchedPeople.name_differs ?? 0,
      dob_differs: mismatchedPeople.dob_differs ?? 0,
      sex_differs: mismatchedPeople.sex_differs ?? 0,
      id_malformed: mismatchedPeople.id_malformed ?? 0,
    },
  }
}
