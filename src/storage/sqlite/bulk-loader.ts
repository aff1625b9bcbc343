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
import {
  DOSE_WIRE_NULL,
  DOSE_WIRE_SAME,
  DOSE_WIRE_SOURCE_ROW,
  DOSE_WIRE_WIDTH,
  type DoseWireBatch,
} from '../import/dose-worker-protocol.js'
import { naturalKeyOrder } from '../import/natural-key-order.js'
import { updateJob } from '../import/update-job.js'
import type { Storage } from '../storage.js'

/** Accepted dose rows as the import worker sends them (see `DOSE_WIRE_WIDTH`). */
type DoseWire = Pick<DoseWireBatch, 'ints' | 'ids' | 'texts' | 'dict' | 'firstRow'>

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
  insertAll: () => ReadonlySet<number>,
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
          // In the natural key's order, as the import worker sends its rows.
          const keys = new Array<string>(rows.length)
          for (let i = 0; i < rows.length; i++) keys[i] = (rows[i] as DoseInsert).personKey
          for (const j of naturalKeyOrder(keys)) {
            const r = rows[j] as DoseInsert
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

/** A SQL text literal of any string (NUL characters included): its UTF-8 bytes cast to TEXT. */
function textLiteral(s: string): string {
  return `CAST(X'${Buffer.from(s, 'utf8').toString('hex')}' AS TEXT)`
}

/**
 * {@link INSERT_DOSE} with the batch's provenance written into the statement (one prepare per
 * batch instead of three more values to convert and bind per row): with `linked`, the rows carry
 * a link status and `linked_at` is the batch's time, else NULL.
 */
function insertDoseWith(provenance: BatchProvenance, linked: boolean): string {
  if (!Number.isSafeInteger(provenance.jobId)) throw new TypeError('jobId must be an integer')
  const at = textLiteral(provenance.enteredAt)
  return `INSERT INTO dose_records (person_key, cccd, full_name, dob, sex, product, lot,
  date, dose_number, site_code, entered_by, entered_at, source, import_job_id, source_row,
  linked_cccd, link_status, link_reason, link_diff, linked_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${textLiteral(provenance.enteredBy)}, ${at}, 'import',
    ${provenance.jobId}, ?, ?, ?, ?, ?, ${linked ? at : 'NULL'}) ON CONFLICT DO NOTHING`
}

/**
 * SQLite dose loader for batches checked by the import worker (see `DOSE_WIRE_WIDTH` for the
 * wire format): the same rows, values and transaction shape as {@link createDoseLoader}, read
 * straight from the batch's Int32Array and strings, with the batch's provenance in the statement.
 *
 * @example
 * await createDoseWireLoader(storage).commit(batch, provenance, finish)
 */
export function createDoseWireLoader(storage: Storage): {
  commit(batch: DoseWire, provenance: BatchProvenance, finish: FinishBatch): Promise<void>
} {
  const sqlite = sqliteOf(storage)
  return {
    async commit(batch, provenance, finish) {
      const { ints, ids, texts, dict, firstRow } = batch
      // Prepared when first needed: most batches are all linked or all unlinked.
      let linked: BetterSqlite3.Statement<unknown[]> | undefined
      let unlinked: BetterSqlite3.Statement<unknown[]> | undefined
      await inTransaction(
        storage,
        provenance,
        () => {
          // Rows found stored already (rare): the inserted set is built only if asked for.
          const missed: number[] = []
          let i = 0
          let t = 0
          for (let k = 0; k < ints.length; k += DOSE_WIRE_WIDTH) {
            let n = ints[k] as number
            const personKey = ids.slice(i, (i += n))
            n = ints[k + 1] as number
            const cccd =
              n === DOSE_WIRE_NULL
                ? null
                : n === DOSE_WIRE_SAME
                  ? personKey
                  : ids.slice(i, (i += n))
            n = ints[k + 2] as number
            const dob = ids.slice(i, (i += n))
            n = ints[k + 3] as number
            const fullName = texts.slice(t, (t += n))
            const row = firstRow + (ints[k + DOSE_WIRE_SOURCE_ROW] as number)
            n = ints[k + 11] as number
            const linkedCccd =
              n === DOSE_WIRE_NULL ? null : n === DOSE_WIRE_SAME ? cccd : ids.slice(i, (i += n))
            const s = ints[k + 12] as number
            n = ints[k + 13] as number
            const reason = n === DOSE_WIRE_NULL ? null : texts.slice(t, (t += n))
            n = ints[k + 14] as number
            const diff = n === DOSE_WIRE_NULL ? null : texts.slice(t, (t += n))
            const insert =
              s === DOSE_WIRE_NULL
                ? (unlinked ??= sqlite.prepare<unknown[]>(insertDoseWith(provenance, false)))
                : (linked ??= sqlite.prepare<unknown[]>(insertDoseWith(provenance, true)))
            const info = insert.run(
              personKey,
              cccd,
              fullName,
              dob,
              dict[ints[k + 4] as number],
              dict[ints[k + 5] as number],
              dict[ints[k + 6] as number],
              dict[ints[k + 7] as number],
              ints[k + 8],
              dict[ints[k + 9] as number],
              row,
              linkedCccd,
              s === DOSE_WIRE_NULL ? null : dict[s],
              reason,
              diff,
            )
            if (info.changes === 0) missed.push(row)
          }
          const count = ints.length / DOSE_WIRE_WIDTH
          return new InsertedRows(count - missed.length, () => {
            const out = new Set<number>()
            const skip = new Set(missed)
            for (let k = DOSE_WIRE_SOURCE_ROW; k < ints.length; k += DOSE_WIRE_WIDTH) {
              const row = firstRow + (ints[k] as number)
              if (!skip.has(row)) out.add(row)
            }
            return out
          })
        },
        finish,
      )
    },
  }
}

/**
 * The source rows a batch inserted, built on first use: the import only reads `size` unless some
 * rows were found stored already.
 */
class InsertedRows implements ReadonlySet<number> {
  #rows: Set<number> | undefined
  readonly #build: () => Set<number>
  readonly size: number

  constructor(size: number, build: () => Set<number>) {
    this.size = size
    this.#build = build
  }

  #all(): Set<number> {
    return (this.#rows ??= this.#build())
  }

  has(row: number): boolean {
    return this.#all().has(row)
  }

  forEach(
    f: (row: number, again: number, set: ReadonlySet<number>) => void,
    thisArg?: unknown,
  ): void {
    for (const row of this.#all()) f.call(thisArg, row, row, this)
  }

  entries(): SetIterator<[number, number]> {
    return this.#all().entries()
  }

  keys(): SetIterator<number> {
    return this.#all().keys()
  }

  values(): SetIterator<number> {
    return this.#all().values()
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.#all()[Symbol.iterator]()
  }
}
