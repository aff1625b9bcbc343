import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely'
import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import type { KnownDose } from '../../domain/registry/check-dose-order.js'
import type {
  BatchProvenance,
  BulkLoader,
  DoseInsert,
  DoseLoader,
  FinishBatch,
  RegisterInsert,
} from '../import/bulk-loader.js'
import { updateJob } from '../import/update-job.js'
import type { Database } from '../schema.js'
import type { Storage } from '../storage.js'

/** One field in COPY text format. */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N'
  if (typeof v === 'number') return String(v)
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : v
}

/** A Kysely bound to one checked-out client, so its queries join our manual transaction. */
function kyselyOn(client: pg.PoolClient): Kysely<Database> {
  const pool: PostgresPool = {
    connect: async () => ({
      query: client.query.bind(client) as never,
      release() {},
    }),
    end: async () => {},
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

interface Session {
  readonly client: pg.PoolClient
  readonly db: Kysely<Database>
}

async function openSession(storage: Storage, staging: string): Promise<Session> {
  if (storage.driver.kind !== 'postgres') throw new TypeError('not a PostgreSQL storage')
  const client = await storage.driver.pool.connect()
  try {
    await client.query(staging)
  } catch (err) {
    client.release(true)
    throw err
  }
  return { client, db: kyselyOn(client) }
}

/**
 * COPY the batch into the session's temporary staging table, move it into the real table with
 * INSERT ... ON CONFLICT DO NOTHING RETURNING source_row (which tells new rows from duplicates),
 * record the job progress, all in one transaction.
 */
async function commitBatch(
  s: Session,
  copySql: string,
  text: string,
  insertSql: string,
  params: unknown[],
  provenance: BatchProvenance,
  finish: FinishBatch,
  toSourceRow: (returned: Record<string, unknown>) => number = (r) => Number(r.source_row),
): Promise<void> {
  await s.client.query('BEGIN')
  try {
    await pipeline(Readable.from([text]), s.client.query(copyStreams.from(copySql)))
    const res = await s.client.query<Record<string, unknown>>(insertSql, params)
    const inserted = new Set<number>()
    for (const r of res.rows) inserted.add(toSourceRow(r))
    await updateJob(s.db, provenance.jobId, await finish(inserted))
    await s.client.query('COMMIT')
  } catch (err) {
    await s.client.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/**
 * COPY straight into the target table (lines carry the provenance columns too); false
 * (and nothing changed) on a unique violation, so the caller can take the ON CONFLICT path.
 */
async function commitDirect(
  s: Session,
  copySql: string,
  text: string,
  provenance: BatchProvenance,
  finish: FinishBatch,
  rows: readonly { sourceRow: number }[],
): Promise<boolean> {
  await s.client.query('BEGIN')
  try {
    await pipeline(Readable.from([text]), s.client.query(copyStreams.from(copySql)))
    const inserted = new Set<number>()
    for (const r of rows) inserted.add(r.sourceRow)
    await updateJob(s.db, provenance.jobId, await finish(inserted))
    await s.client.query('COMMIT')
    return true
  } catch (err) {
    await s.client.query('ROLLBACK').catch(() => {})
    if ((err as { code?: string }).code === '23505') return false
    throw err
  }
}

/** The five linkage columns of a row in COPY text format (all null when not linked yet). */
/** The columns of dose_staging for one row, in COPY text format (no line end). */
function doseCopyFields(r: DoseInsert, enteredAt: string): string {
  return (
    copyField(r.personKey) +
    '\t' +
    copyField(r.cccd === '' ? null : r.cccd) +
    '\t' +
    copyField(r.fullName) +
    '\t' +
    copyField(r.dob) +
    '\t' +
    r.sex +
    '\t' +
    copyField(r.product) +
    '\t' +
    copyField(r.lot) +
    '\t' +
    r.date +
    '\t' +
    r.doseNumber +
    '\t' +
    copyField(r.siteCode) +
    '\t' +
    r.sourceRow +
    '\t' +
    linkFields(r, enteredAt)
  )
}

function linkFields(r: DoseInsert, at: string): string {
  const l = r.link
  if (l === undefined) return '\\N\t\\N\t\\N\t\\N\t\\N'
  return [copyField(l.linkedCccd), l.status, copyField(l.reason), copyField(l.diff), copyField(at)].join('\t')
}

const DOSE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS dose_staging (person_key text, cccd text,
  full_name text, dob text, sex text, product text, lot text, date text, dose_number integer,
  site_code text, source_row bigint, linked_cccd text, link_status text, link_reason text,
  link_diff text, linked_at text) ON COMMIT DELETE ROWS`

const DOSE_MOVE = `INSERT INTO dose_records (person_key, cccd, full_name, dob, sex, product, lot,
  date, dose_number, site_code, entered_by, entered_at, source, import_job_id, source_row,
  linked_cccd, link_status, link_reason, link_diff, linked_at)
  SELECT person_key, cccd, full_name, dob, sex, product, lot, date, dose_number, site_code,
    $1, $2, 'import', $3, source_row, linked_cccd, link_status, link_reason, link_diff, linked_at
  FROM dose_staging ORDER BY source_row
  ON CONFLICT DO NOTHING RETURNING source_row`

/**
 * PostgreSQL dose loader: COPY straight into dose_records; a batch that meets a row stored
 * meanwhile goes again through a temporary staging table and one INSERT ... ON CONFLICT.
 *
 * @example
 * const loader = await createDoseLoader(storage)
 */
export async function createDoseLoader(storage: Storage): Promise<DoseLoader> {
  const s = await openSession(storage, DOSE_STAGING)
  return {
    async knownDoses(personKeys) {
      const out = new Map<string, KnownDose[]>()
      if (personKeys.length === 0) return out
      const res = await s.client.query<{
        person_key: string
        dose_number: number
        date: string
        product: string
      }>(
        'SELECT person_key, dose_number, date, product FROM dose_records WHERE person_key = ANY($1::text[])',
        [personKeys],
      )
      for (const r of res.rows) {
        let list = out.get(r.person_key)
        if (list === undefined) out.set(r.person_key, (list = []))
        list.push({ doseNumber: r.dose_number, date: r.date, product: r.product })
      }
      return out
    },
    async commit(rows, provenance, finish) {
      // Rows come checked against the stored doses, so they are normally all new: COPY them
      // straight into dose_records. Should another writer have stored one meanwhile (unique
      // violation), redo the batch through the staging table and ON CONFLICT DO NOTHING.
      const suffix = `\t${copyField(provenance.enteredBy)}\t${copyField(provenance.enteredAt)}\timport\t${provenance.jobId}\n`
      let direct = ''
      for (const r of rows) direct += doseCopyFields(r, provenance.enteredAt) + suffix
      const ok = await commitDirect(
        s,
        `COPY dose_records (person_key, cccd, full_name, dob, sex, product, lot, date,
          dose_number, site_code, source_row, linked_cccd, link_status, link_reason, link_diff,
          linked_at, entered_by, entered_at, source, import_job_id)
          FROM STDIN`,
        direct,
        provenance,
        finish,
        rows,
      )
      if (ok) return
      let text = ''
      for (const r of rows) text += doseCopyFields(r, provenance.enteredAt) + '\n'
      await commitBatch(
        s,
        'COPY dose_staging FROM STDIN',
        text,
        DOSE_MOVE,
        [provenance.enteredBy, provenance.enteredAt, provenance.jobId],
        provenance,
        finish,
      )
    },
    async close() {
      await s.client.query('DROP TABLE IF EXISTS dose_staging').catch(() => {})
      s.client.release()
    },
  }
}

const PERSON_STAGING = `CREATE TEMP TABLE IF NOT EXISTS person_staging (cccd text,
  full_name text, name_key text, dob text, sex text, province_code text, phone text, email text,
  source_row bigint) ON COMMIT DELETE ROWS`

const PERSON_MOVE = `INSERT INTO register_people (cccd, full_name, name_key, dob, sex,
  province_code, phone, email, import_job_id, updated_at)
  SELECT cccd, full_name, name_key, dob, sex, province_code, phone, email, $1, $2
  FROM person_staging ORDER BY source_row
  ON CONFLICT (cccd) DO UPDATE SET full_name = EXCLUDED.full_name, name_key = EXCLUDED.name_key,
    dob = EXCLUDED.dob, sex = EXCLUDED.sex, province_code = EXCLUDED.province_code,
    phone = EXCLUDED.phone, email = EXCLUDED.email, import_job_id = EXCLUDED.import_job_id,
    updated_at = EXCLUDED.updated_at
  WHERE (register_people.full_name, register_people.dob, register_people.sex,
      register_people.province_code, register_people.phone, register_people.email)
    IS DISTINCT FROM (EXCLUDED.full_name, EXCLUDED.dob, EXCLUDED.sex, EXCLUDED.province_code,
      EXCLUDED.phone, EXCLUDED.email)
  RETURNING cccd`

/**
 * PostgreSQL register loader: COPY into staging, then INSERT ... ON CONFLICT DO UPDATE of the
 * entries whose data changed (a newer snapshot); unchanged ones are duplicates.
 *
 * @example
 * const loader = await createRegisterLoader(storage)
 */
export async function createRegisterLoader(storage: Storage): Promise<BulkLoader<RegisterInsert>> {
  const s = await openSession(storage, PERSON_STAGING)
  return {
    async commit(rows, provenance, finish) {
      // The engine passes each ID once per batch, so the returned IDs map back to source rows.
      const rowOf = new Map<string, number>()
      let text = ''
      for (const r of rows) {
        rowOf.set(r.cccd, r.sourceRow)
        text +=
          [
            copyField(r.cccd),
            copyField(r.fullName),
            copyField(r.nameKey),
            copyField(r.dob),
            r.sex,
            copyField(r.provinceCode),
            copyField(r.phone),
            copyField(r.email),
            r.sourceRow,
          ].join('\t') + '\n'
      }
      await commitBatch(
        s,
        'COPY person_staging FROM STDIN',
        text,
        PERSON_MOVE,
        [provenance.jobId, provenance.enteredAt],
        provenance,
        finish,
        (r) => rowOf.get(String(r.cccd)) ?? -1,
      )
    },
    async close() {
      await s.client.query('DROP TABLE IF EXISTS person_staging').catch(() => {})
      s.client.release()
    },
  }
}
