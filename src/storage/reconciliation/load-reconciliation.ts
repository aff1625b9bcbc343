import { sql } from 'kysely'
import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'
import { summariseReconciliation } from '../../domain/reconciliation/summarise-reconciliation.js'
import type {
  ReconciliationReport,
  SiteCounts,
} from '../../domain/reconciliation/summarise-reconciliation.js'
import type { LinkFailureReason } from '../../domain/identity/types.js'
import { LINK_STATUSES } from '../../domain/identity/types.js'
import type { Storage } from '../storage.js'

/**
 * Reads the reconciliation report from the database: per site the doses reported administered
 * (`site_daily_reports`), entered (`dose_records`), linked, certifiable (linked, with a product
 * issuable in Vietnam) and pending linkage; and the people (distinct person keys) whose records
 * fail linkage, by reason. Three grouped queries, the same on SQLite and PostgreSQL.
 *
 * @example
 * const report = await loadReconciliation(storage)
 * report.totals.notEntered // doses given but never entered
 */
export async function loadReconciliation(
  storage: Pick<Storage, 'db'>,
): Promise<ReconciliationReport> {
  const db = storage.db
  const products = VIETNAM_VACCINES.map((v) => v.mp)
  const sites = await db.selectFrom('vaccination_sites').select(['code', 'province_code']).execute()
  const reported = await db
    .selectFrom('site_daily_reports')
    .select(['site_code', sql<string>`sum(doses_administered)`.as('administered')])
    .groupBy('site_code')
    .execute()
  const entered = await db
    .selectFrom('dose_records')
    .select([
      'site_code',
      sql<string>`count(*)`.as('entered'),
      sql<string>`sum(case when link_status = 'linked' then 1 else 0 end)`.as('linked'),
      sql<string>`sum(case when link_status = 'linked' and product in (${sql.join(products)}) then 1 else 0 end)`.as(
        'certifiable',
      ),
      sql<string>`sum(case when link_status is null then 1 else 0 end)`.as('pending'),
    ])
    .groupBy('site_code')
    .execute()
  const mismatches = await db
    .selectFrom('dose_records')
    .select(['link_status', sql<string>`count(distinct person_key)`.as('people')])
    .where('link_status', 'is not', null)
    .where('link_status', '<>', 'linked')
    .groupBy('link_status')
    .execute()

  const counts = new Map<string, SiteCounts>()
  const blank = (code: string, province: string): SiteCounts => ({
    siteCode: code,
    provinceCode: province,
    administered: 0,
    entered: 0,
    linked: 0,
    certifiable: 0,
    pending: 0,
  })
  const provinceOf = new Map(sites.map((s) => [s.code, s.province_code]))
  for (const r of reported) {
    const c = blank(r.site_code, provinceOf.get(r.site_code) ?? '')
    counts.set(r.site_code, { ...c, administered: Number(r.administered) })
  }
  for (const r of entered) {
    const c = counts.get(r.site_code) ?? blank(r.site_code, provinceOf.get(r.site_code) ?? '')
    counts.set(r.site_code, {
      ...c,
      entered: Number(r.entered),
      linked: Number(r.linked),
      certifiable: Number(r.certifiable),
      pending: Number(r.pending),
    })
  }
  const byReason: Partial<Record<LinkFailureReason, number>> = {}
  for (const m of mismatches) {
    const status = m.link_status as LinkFailureReason
    if ((LINK_STATUSES as readonly string[]).includes(status)) byReason[status] = Number(m.people)
  }
  return summariseReconciliation([...counts.values()], byReason)
}
