import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { VaxpassError } from '../../core/errors.js'
import { parseDob } from '../../domain/identity/compare-dob.js'
import { SITE_REPORTS_CSV_HEADER } from '../../domain/seed/seed-csv.js'
import type { SiteDailyReport } from '../../domain/seed/tally-site-reports.js'
import { readCsvRecords } from '../import/read-csv-records.js'
import type { Storage } from '../storage.js'
import { saveSiteReports } from './save-site-reports.js'

/** Why a site report row was refused. */
export type SiteReportRejectReason =
  'unreadable' | 'columns' | 'unknown_site' | 'bad_date' | 'bad_count'

/** What an import of site reports did. */
export interface SiteReportImportSummary {
  readonly read: number
  readonly saved: number
  readonly rejected: number
  readonly rejectedByReason: Readonly<Partial<Record<SiteReportRejectReason, number>>>
}

/** More daily reports than this in one file is not a site export: refuse rather than buffer. */
const MAX_ROWS = 5_000_000

/**
 * Imports sites' daily totals from CSV (`site_code,date,doses_administered`, as `vaxpass seed
 * --csv` writes them): every row checked (known site, real date from 8 March 2021, a count from
 * 0 to 1,000,000), bad rows counted by reason and skipped, good rows saved (a later report for
 * the same site and day replaces the earlier one). `ERR_IMPORT_HEADER` for a wrong header.
 *
 * @example
 * const s = await importSiteReports(storage, 'site-reports.csv', { reportedBy: 'cli:ops', now: new Date() })
 */
export async function importSiteReports(
  storage: Storage,
  input: string | Readable,
  options: { reportedBy: string; now: Date },
): Promise<SiteReportImportSummary> {
  const sites = new Set(
    (await storage.db.selectFrom('vaccination_sites').select('code').execute()).map((r) => r.code),
  )
  const source = typeof input === 'string' ? createReadStream(input) : input
  const today = options.now.toISOString().slice(0, 10)
  const reports: SiteDailyReport[] = []
  const rejectedByReason: Partial<Record<SiteReportRejectReason, number>> = {}
  let read = 0
  let header = true
  const reject = (r: SiteReportRejectReason): void => {
    rejectedByReason[r] = (rejectedByReason[r] ?? 0) + 1
  }
  for await (const batch of readCsvRecords(source, { maxLineBytes: 1024, maxFieldChars: 64 })) {
    for (const rec of batch) {
      if (header) {
        header = false
        if (rec.fields?.join(',') !== SITE_REPORTS_CSV_HEADER) {
          throw new VaxpassError(
            'ERR_IMPORT_HEADER',
            `expected the header ${SITE_REPORTS_CSV_HEADER}`,
          )
        }
        continue
      }
      read++
      if (read > MAX_ROWS) {
        throw new VaxpassError('ERR_IMPORT_FILE_TOO_LARGE', `more than ${MAX_ROWS} site reports`)
      }
      const f = rec.fields
      if (f === null) reject('unreadable')
      else if (f.length !== 3) reject('columns')
      else {
        const [siteCode, date, count] = f as [string, string, string]
        const d = parseDob(date)
        if (!sites.has(siteCode)) reject('unknown_site')
        else if (d?.day === undefined || date < '2021-03-08' || date > today) reject('bad_date')
        else if (!/^\d{1,7}$/.test(count) || Number(count) > 1_000_000) reject('bad_count')
        else reports.push({ siteCode, date, dosesAdministered: Number(count) })
      }
    }
  }
  if (header) throw new VaxpassError('ERR_IMPORT_HEADER', 'the file is empty')
  const saved = await saveSiteReports(storage, reports, options)
  const rejected = Object.values(rejectedByReason).reduce((a, b) => a + b, 0)
  return { read, saved, rejected, rejectedByReason }
}
