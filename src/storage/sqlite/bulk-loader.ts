import type BetterSqlite3 from 'better-sqlite3'
import type { KnownDose } from '../../domain/registry/check-dose-order.js'
import type {
  BatchProvenance,
  BulkLoader,
  DoseInsert,
  DoseLoader,
  FinishBatch,
  RegisterInsert,
} from '../import/bulk-loader.js'
import { DOSE_WIRE_WIDTH } from '../import/dose-worker-protocol.js'
import { updateJob } from '../import/update-job.js'
import type { Storage } from '../storage.js'

/** Accepted dose rows, flat, as the import worker sends them (see `DOSE_WIRE_WIDTH`). */
interface DoseWire {
  readonly rows: ReadonlyArray<string | number | null>
  readonly dict: readonly string[]
}

const INSERT_DOSE = `INSERT INTO dose_records (person_key, cccd, full_name, dob, sex, product, lot,
  date, dose_number, site_code, entered_by, entered_at, source, import_job_id, source_row,
  linked_cccd, link_status, link_reason, link_diff, linked_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

const INSERT_PERSON = `INSERT INTO register_people (cccd, full_name, name_key, dob, sex,
  province_code, phone, email, import_job_id, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (cccd) DO UPDATE SET full_name = excluded.full_name, name_key = excluded.name_key,
    dob = excluded.dob, sex = excluded.sex, province_code = excluded.province_code,
    phone = excluded.phone, email = excluded.email, import_job_id = excluded.import_job_id,
    updated_at = excluded.updated_at
  WHERE register_people.full_name IS NOT excluded.full_name OR register_people.dob IS NOT excluded.dob
    OR register_people.sex IS NOT excluded.sex
    OR register_people.province_code IS NOT excluded.province_code
    OR register_people.phone IS NOT excluded.phone OR register_people.email IS NOT excluded.email`

function sqliteOf(storage: Storage): BetterSqlite3.Database {
  if (storage.driver.kind !== 'sqlite') throw new TypeError('not a SQLite storage')
  return storage.driver.sqlite
}

/**
 * Runs `insertAll` on the raw better-sqlite3 handle inside a Kysely transaction: Kysely holds the
 * one connection, so raw statements and the Kysely job update share the same BEGIN ... COMMIT.
 */
async function inTransaction(
  storage: Storage,
  provenance: BatchProvenance,
  insertAll: () => Set<number>,
  finish: FinishBatch,
): Promise<void> {
  await storage.db.transaction().execute(async (trx) => {
    const inserted = insertAll()
    await updateJob(trx, provenance.jobId, await finish(inserted))
  })
}

/**
 * SQLite dose loader: one prepared INSERT ... ON CONFLICT DO NOTHING per row inside the batch
 * transaction (better-sqlite3 is synchronous, so this is the fastest path SQLite offers).
 *
 * @example
 * const loader = createDoseLoader(storage)
 */
export function createDoseLoader(storage: Storage): DoseLoader {
  const sqlite = sqliteOf(storage)
  const insert = sqlite.prepare(INSERT_DOSE)
  const known = sqlite.prepare(
    `SELECT person_key, dose_number, date, product FROM dose_records
     WHERE person_key IN (SELECT value FROM json_each(?))`,
  )
  return {
    async knownDoses(personKeys) {
      const out = new Map<string, KnownDose[]>()
      if (personKeys.length === 0) return out
      for (const r of known.iterate(JSON.stringify(personKeys)) as Iterable<{
        person_key: string
        dose_number: number
        date: string
        product: string
      }>) {
        let list = out.get(r.person_key)
        if (list === undefined) out.set(r.person_key, (list = []))
        list.push({ doseNumber: r.dose_number, date: r.date, product: r.product })
      }
      return out
    },
    async commit(rows, provenance, finish) {
      const { jobId, enteredBy, enteredAt } = provenance
      await inTransaction(
        storage,
        provenance,
        () => {
          const inserted = new Set<number>()
          for (const r of rows) {
            const info = insert.run(
              r.personKey,
              r.cccd === '' ? null : r.cccd,
              r.fullName,
              r.dob,
              r.sex,
              r.product,
              r.lot,
              r.date,
              r.doseNumber,
              r.siteCode,
              enteredBy,
              enteredAt,
              jobId,
              r.sourceRow,
              r.link?.linkedCccd ?? null,
              r.link?.status ?? null,
              r.link?.reason ?? null,
              r.link?.diff ?? null,
              r.link === undefined ? null : enteredAt,
            )
            if (info.changes > 0) inserted.add(r.sourceRow)
          }
          return inserted
        },
        finish,
      )
    },
    async close() {},
  }
}

/**
 * SQLite register loader (same approach as {@link createDoseLoader}). An ID already in the
 * register with the same data is a duplicate; with different data (a newer snapshot) the entry
 * is updated and counts as stored.
 *
 * @example
 * const loader = createRegisterLoader(storage)
 */
export function createRegisterLoader(storage: Storage): BulkLoader<RegisterInsert> {
  const sqlite = sqliteOf(storage)
  const insert = sqlite.prepare(INSERT_PERSON)
  return {
    async commit(rows, provenance, finish) {
      await inTransaction(
        storage,
        provenance,
        () => {
          const inserted = new Set<number>()
          for (const r of rows) {
            const info = insert.run(
              r.cccd,
              r.fullName,
              r.nameKey,
              r.dob,
              r.sex,
              r.provinceCode,
              r.phone,
              r.email,
              provenance.jobId,
              provenance.enteredAt,
            )
            if (info.changes > 0) inserted.add(r.sourceRow)
          }
          return inserted
        },
        finish,
      )
    },
    async close() {},
  }
}

/**
 * SQLite dose loader for batches checked by the import worker: the rows come as one flat array
 * (see `DOSE_WIRE_WIDTH`), inserted with the same statement and in the same transaction shape as
 * {@link createDoseLoader}, without building an object per row on this thread.
 *
 * @example
 * await createDoseWireLoader(storage).commit(batch.rows, provenance, finish)
 */
export function createDoseWireLoader(storage: Storage): {
  commit(batch: DoseWire, provenance: BatchProvenance, finish: FinishBatch): Promise<void>
} {
  const insert = sqliteOf(storage).prepare(INSERT_DOSE)
  return {
    async commit({ rows, dict }, provenance, finish) {
      const { jobId, enteredBy, enteredAt } = provenance
      await inTransaction(
        storage,
        provenance,
        () => {
          const inserted = new Set<number>()
          for (let k = 0; k < rows.length; k += DOSE_WIRE_WIDTH) {
            const personKey = rows[k]
            const c = rows[k + 1]
            const cccd = c === 0 ? personKey : c
            const l = rows[k + 11]
            const s = rows[k + 12]
            const status = s === null ? null : dict[s as number]
            const info = insert.run(
              personKey,
              cccd,
              rows[k + 2],
              rows[k + 3],
              dict[rows[k + 4] as number],
              dict[rows[k + 5] as number],
              dict[rows[k + 6] as number],
              dict[rows[k + 7] as number],
              rows[k + 8],
              dict[rows[k + 9] as number],
              enteredBy,
              enteredAt,
              jobId,
              rows[k + 10],
              l === 0 ? cccd : l,
              status,
              rows[k + 13],
              rows[k + 14],
              status === null ? null : enteredAt,
            )
            if (info.changes > 0) inserted.add(rows[k + 10] as number)
          }
          return inserted
        },
        finish,
      )
    },
  }
}
