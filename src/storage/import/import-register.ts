import type { RejectReason } from '../../domain/registry/reject-reason.js'
import { listProvinces } from '../../domain/registry/registry-sources.js'
import {
  REGISTER_CSV_COLUMNS,
  validateRegisterRow,
} from '../../domain/registry/validate-register-row.js'
import { createRegisterLoader as createPostgresLoader } from '../postgres/bulk-loader.js'
import { createRegisterLoader as createSqliteLoader } from '../sqlite/bulk-loader.js'
import type { Storage } from '../storage.js'
import type { BulkLoader, RegisterInsert } from './bulk-loader.js'
import type { ImportInput, ImportOptions, ImportResult } from './import-types.js'
import type { CsvRecord } from './read-csv-records.js'
import { runImport } from './run-import.js'

/**
 * Loads a national register snapshot (`cccd,full_name,dob,sex,province_code,phone,email`) the
 * same way as {@link importDoses}: streaming, validated, batched, resumable, idempotent (an ID
 * already in the register with the same data is a duplicate; a newer snapshot's changed entry
 * is updated and counted as inserted, then `linkDoseRecords({ retryUnlinked: true })` re-checks
 * the records that failed against the old data).
 *
 * @example
 * await importRegister(storage, 'register-2022-03.csv', { rejectsPath: 'register-rejects.csv' })
 */
export async function importRegister(
  storage: Storage,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const now = options.now ?? (() => new Date())
  const ctx = {
    provinces: new Set(listProvinces().map((p) => p.code)),
    today: now().toISOString().slice(0, 10),
  }
  const loader: BulkLoader<RegisterInsert> =
    storage.kind === 'sqlite' ? createSqliteLoader(storage) : await createPostgresLoader(storage)
  return runImport<RegisterInsert>(
    storage,
    input,
    {
      kind: 'register',
      columns: REGISTER_CSV_COLUMNS,
      async check(records: readonly CsvRecord[]) {
        const accepted: RegisterInsert[] = []
        const rejected: Array<{ record: CsvRecord; reason: RejectReason }> = []
        const repeated: CsvRecord[] = []
        const seen = new Set<string>()
        for (const record of records) {
          const v = validateRegisterRow(record.fields as string[], ctx)
          if (!v.ok) rejected.push({ record, reason: v.reason })
          else if (seen.has(v.row.cccd)) repeated.push(record)
          else {
            seen.add(v.row.cccd)
            accepted.push({ ...v.row, sourceRow: record.row })
          }
        }
        return { accepted, rejected, repeated }
      },
      commit: (rows, provenance, finish) => loader.commit(rows, provenance, finish),
    },
    options,
  ).finally(() => loader.close())
}
