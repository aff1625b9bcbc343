import { statSync } from 'node:fs'
import { listProductCodes } from '../../domain/registry/registry-sources.js'
import { DOSE_CSV_COLUMNS, validateDoseRow } from '../../domain/registry/validate-dose-row.js'
import { createDoseLoader as createPostgresLoader } from '../postgres/bulk-loader.js'
import { createDoseLoader as createSqliteLoader } from '../sqlite/bulk-loader.js'
import { createRegisterLookup } from '../registry/link-dose-records.js'
import type { Storage } from '../storage.js'
import type { DoseInsert, DoseLoader } from './bulk-loader.js'
import type { ImportInput, ImportOptions, ImportResult } from './import-types.js'
import type { CsvRecord } from './read-csv-records.js'
import { checkDoseBatch } from './check-dose-batch.js'
import { startDoseImportWorker } from './dose-import-off-thread.js'
import { runImport } from './run-import.js'

/**
 * Files this large and larger are read and checked on a worker thread by default: below it the
 * worker's start (module loading, its own connection) costs about what it saves.
 */
const OFF_THREAD_MIN_BYTES = 16 * 1024 * 1024

/** The option, else `VAXPASS_IMPORT_OFF_THREAD` (1 or 0), else by file size. */
function wantsOffThread(option: boolean | undefined, path: string): boolean {
  const env = process.env.VAXPASS_IMPORT_OFF_THREAD
  const choice = option ?? (env === '1' ? true : env === '0' ? false : undefined)
  return choice ?? statSync(path).size >= OFF_THREAD_MIN_BYTES
}

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
    /**
     * Read, check and link on a worker thread while this thread inserts (SQLite files only):
     * `true` always, `false` never; by default `VAXPASS_IMPORT_OFF_THREAD` (1 or 0) decides, else
     * files of 16 MiB and more (about 200,000 rows) go off-thread.
     */
    readonly offThread?: boolean
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
  const lookup = options.link === true ? createRegisterLookup(storage) : undefined
  const check = {
    ctx,
    ...(options.allowedSites === undefined ? {} : { allowedSites: options.allowedSites }),
    knownDoses: (keys: readonly string[]) => loader.knownDoses(keys),
    ...(lookup === undefined ? {} : { lookup }),
  }
  return runImport<DoseInsert>(
    storage,
    input,
    {
      kind: 'doses',
      columns: DOSE_CSV_COLUMNS,
      check: (records: readonly CsvRecord[]) => checkDoseBatch(records, check),
      commit: (rows, provenance, finish) => loader.commit(rows, provenance, finish),
      // A file on SQLite: read, check and link on a worker thread while this one inserts.
      offThread: (from) =>
        !wantsOffThread(options.offThread, from.path)
          ? undefined
          : startDoseImportWorker(storage, from, {
              ...ctx,
              allowedSites: options.allowedSites,
              link: options.link === true,
              columns: DOSE_CSV_COLUMNS,
            }),
    },
    options,
  ).finally(() => loader.close())
}
