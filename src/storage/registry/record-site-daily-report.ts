import { VaxpassError } from '../../core/errors.js'
import { isIsoDate } from '../../domain/registry/dates.js'
import { appendAudit } from '../audit/append-audit.js'
import type { Storage } from '../storage.js'

/** A site's count of doses administered on one day. */
export interface SiteDailyReportInput {
  readonly siteCode: string
  /** `YYYY-MM-DD` */
  readonly date: string
  readonly dosesAdministered: number
}

/**
 * Records (or corrects) a site's daily total of doses administered, the figure reconciliation
 * compares with the doses entered; the change and its before/after go to the audit log in the
 * same transaction.
 *
 * @example
 * await recordSiteDailyReport(storage, { siteCode: '001-BVBM', date: '2021-08-01', dosesAdministered: 1200 },
 *   { actor: 'u:7', now: new Date() })
 */
export async function recordSiteDailyReport(
  storage: Storage,
  report: SiteDailyReportInput,
  by: { readonly actor: string; readonly now: Date },
): Promise<void> {
  if (!isIsoDate(report.date) || !Number.isInteger(report.dosesAdministered) || report.dosesAdministered < 0) {
    throw new TypeError('a site daily report needs a YYYY-MM-DD date and a non-negative integer count')
  }
  await storage.db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('vaccination_sites')
      .select('code')
      .where('code', '=', report.siteCode)
      .executeTakeFirst()
    if (site === undefined) {
      throw new VaxpassError('ERR_REGISTRY_UNKNOWN_SITE', 'no such vaccination site', {
        details: { siteCode: report.siteCode },
      })
    }
    const before = await trx
      .selectFrom('site_daily_reports')
      .select('doses_administered')
      .where('site_code', '=', report.siteCode)
      .where('date', '=', report.date)
      .executeTakeFirst()
    const at = by.now.toISOString()
    if (before === undefined) {
      await trx
        .insertInto('site_daily_reports')
        .values({
          site_code: report.siteCode,
          date: report.date,
          doses_administered: report.dosesAdministered,
          reported_by: by.actor,
          reported_at: at,
        })
        .execute()
    } else {
      await trx
        .updateTable('site_daily_reports')
        .set({ doses_administered: report.dosesAdministered, reported_by: by.actor, reported_at: at })
        .where('site_code', '=', report.siteCode)
        .where('date', '=', report.date)
        .execute()
    }
    await appendAudit(trx, {
      actor: by.actor,
      action: before === undefined ? 'site_report.create' : 'site_report.update',
      entity: 'site_daily_report',
      entityId: `${report.siteCode}/${report.date}`,
      ...(before === undefined ? {} : { before: { dosesAdministered: before.doses_administered } }),
      after: { dosesAdministered: report.dosesAdministered },
      at: by.now,
    })
  })
}
