import { checkDoseOrder, type KnownDose } from '../../domain/registry/check-dose-order.js'
import { listProductCodes } from '../../domain/registry/registry-sources.js'
import type { RejectReason } from '../../domain/registry/reject-reason.js'
import { DOSE_CSV_COLUMNS, validateDoseRow } from '../../domain/registry/validate-dose-row.js'
import { createDoseLoader as createPostgresLoader } from '../postgres/bulk-loader.js'
import { createDoseLoader as createSqliteLoader } from '../sqlite/bulk-loader.js'
import { linkIdentities } from '../registry/link-dose-records.js'
import type { Storage } from '../storage.js'
import type { DoseInsert, DoseLoader } from './bulk-loader.js'
import type { ImportInput, ImportOptions, ImportResult } from './import-types.js'
import type { CsvRecord } from './read-csv-records.js'
import { runImport } from './run-import.js'

/** The first Covid-19 doses in Vietnam: earlier vaccination dates are data errors. */
export const FIRST_DOSE_DATE = '2021-03-08'

/**
 * Imports a site's dose export (`cccd,full_name,dob,sex,product,lot,date,dose_number,site_code`)
 * in committed batches. Rows are validated (product an EU `mp` code, known site, real dates
 * between 8 March 2021 and today, dose numbers 1-9 in date order for the person); rejects go to
 * `options.rejectsPath` with a reason code; a dose already stored (same person, dose number,
 * date and product) counts as a duplicate, so importing a file twice adds nothing. Stopped midway
 * (crash, kill), the same call on the same file resumes after the last committed batch.
 * With `link: true` each row is linked to the register as it is stored; otherwise linkage is a
 * separate pass, `linkDoseRecords`.
 *
 * @example
 * const r = await importDoses(storage, 'bachmai-2021-08.csv', { rejectsPath: 'rejects.csv' })
 * // { read: 1000, inserted: 990, duplicate: 4, rejected: 6, jobId: 3, resumedFromRow: 0 }
 */
export async function importDoses(
  storage: Storage,
  input: ImportInput,
  options: ImportOptions & {
    /** Link each row to the register as it is stored (one write instead of two). */
    readonly link?: boolean
    /**
     * Sites the uploader may enter doses for (site staff: their own). A row naming another known
     * site is rejected with `site_not_allowed`; absent, every known site is allowed.
     */
    readonly allowedSites?: ReadonlySet<string>
  } = {},
): Promise<ImportResult> {
  const now = options.now ?? (() => new Date())
  const sites = new Set(
    (await storage.db.selectFrom('vaccination_sites').select('code').execute()).map((r) => r.code),
  )
  const ctx = {
    products: listProductCodes(),
    sites,
    firstDate: FIRST_DOSE_DATE,
    today: now().toISOString().slice(0, 10),
  }
  const loader: DoseLoader =
    storage.kind === 'sqlite' ? createSqliteLoader(storage) : await createPostgresLoader(storage)
  return runImport<DoseInsert>(
    storage,
    input,
    {
      kind: 'doses',
      columns: DOSE_CSV_COLUMNS,
      async check(records: readonly CsvRecord[]) {
        const valid: DoseInsert[] = []
        const validRecords: CsvRecord[] = []
        const rejected: Array<{ record: CsvRecord; reason: RejectReason }> = []
        const repeated: CsvRecord[] = []
        const people = new Set<string>()
        for (const record of records) {
          const v = validateDoseRow(record.fields as string[], ctx)
          if (v.ok && options.allowedSites !== undefined && !options.allowedSites.has(v.row.siteCode)) {
            rejected.push({ record, reason: 'site_not_allowed' })
          } else if (v.ok) {
            const row = v.row as DoseInsert & { sourceRow: number }
            row.sourceRow = record.row
            valid.push(row)
            validRecords.push(record)
            people.add(row.personKey)
          } else rejected.push({ record, reason: v.reason })
        }
        // One query for the batch: the doses already stored for its people.
        const known: Map<string, KnownDose[]> = await loader.knownDoses([...people])
        const accepted: DoseInsert[] = []
        for (let i = 0; i < valid.length; i++) {
          const r = valid[i] as DoseInsert
          const list = known.get(r.personKey)
          if (list === undefined) {
            known.set(r.personKey, [r])
            accepted.push(r)
            continue
          }
          const same = list.find(
            (k) => k.doseNumber === r.doseNumber && k.date === r.date && k.product === r.product,
          )
          if (same !== undefined) {
            // Repeated in this file, or already stored: a duplicate either way, and knowing it
            // now lets the loader send only new rows (PostgreSQL then COPYs them directly).
            repeated.push(validRecords[i] as CsvRecord)
            continue
          }
          const verdict = checkDoseOrder(list, r)
          if (verdict !== 'ok') {
            rejected.push({ record: validRecords[i] as CsvRecord, reason: verdict })
            continue
          }
          list.push(r)
          accepted.push(r)
        }
        if (options.link === true && accepted.length > 0) {
          const outcomes = await linkIdentities(
            storage,
            accepted.map((r) => ({ cccd: r.cccd, full_name: r.fullName, dob: r.dob, sex: r.sex })),
          )
          for (let i = 0; i < accepted.length; i++) (accepted[i] as DoseInsert).link = outcomes[i]
        }
        return { accepted, rejected, repeated }
      },
      commit: (rows, provenance, finish) => loader.commit(rows, provenance, finish),
    },
    options,
  ).finally(() => loader.close())
}
