import type { SiteDailyReport } from '../../domain/seed/tally-site-reports.js'
import { appendAudit } from '../audit/append-audit.js'
import type { Storage } from '../storage.js'

/**
 * Stores sites' daily totals of doses administered (`site_daily_reports`), replacing an earlier
 * report for the same site and day, in one transaction with one audit entry.
 *
 * @example
 * await saveSiteReports(storage, [{ siteCode: '001-BVBM', date: '2021-09-01', dosesAdministered: 812 }],
 *   { reportedBy: 'system:seed', now: new Date() })
 */
export async function saveSiteReports(
  storage: Storage,
  reports: readonly SiteDailyReport[],
  options: { reportedBy: string; now: Date },
): Promise<number> {
  if (reports.length === 0) return 0
  const at = options.now.toISOString()
  await storage.db.transaction().execute(async (trx) => {
    for (let i = 0; i < reports.length; i += 1000) {
      await trx
        .insertInto('site_daily_reports')
        .values(
          reports.slice(i, i + 1000).map((r) => ({
            site_code: r.siteCode,
            date: r.date,
            doses_administered: r.dosesAdministered,
            reported_by: options.reportedBy,
            reported_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['site_code', 'date']).doUpdateSet((eb) => ({
            doses_administered: eb.ref('excluded.doses_administered'),
            reported_by: eb.ref('excluded.reported_by'),
            reported_at: eb.ref('excluded.reported_at'),
          })),
        )
        .execute()
    }
    await appendAudit(trx, {
      actor: options.reportedBy,
      action: 'site_reports.save',
      entity: 'site_daily_report',
      entityId: `${reports.length}`,
      after: { reports: reports.length },
      at: options.now,
    })
  })
  return reports.length
}
