import { sql, type Kysely } from 'kysely'
import { dialectOf } from './dialect-of.js'

/**
 * Certificates and their history, the holder outbox and bulk issuing runs. At most one active
 * certificate per person is enforced by a partial unique index: a resumed bulk run can never
 * issue a person twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  // SQLite: INTEGER PRIMARY KEY is the rowid, without AUTOINCREMENT's per-insert bookkeeping
  // (these tables are append-only history, ids are never reused).
  const idType = pg ? 'bigserial' : 'integer'

  await db.schema
    .createTable('certificates')
    .addColumn('uvci', 'text', (c) => c.primaryKey())
    .addColumn('person_cccd', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('iat', 'text', (c) => c.notNull())
    .addColumn('exp', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('hc1', 'text', (c) => c.notNull())
    .addColumn('superseded_by', 'text')
    .addColumn('revoked_reason', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('run_id', 'bigint')
    // Who issued it: the certificate row is its own `issued` event (no extra history row).
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('certificates_one_active_per_person')
    .on('certificates')
    .column('person_cccd')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute()
  await db.schema.createIndex('certificates_person').on('certificates').column('person_cccd').execute()
  await db.schema
    .createIndex('certificates_status_exp')
    .on('certificates')
    .columns(['status', 'exp'])
    .execute()

  // Covering index of the doses that issuance reads, in person order (bulk runs scan it).
  await db.schema
    .createIndex('dose_records_issuance')
    .on('dose_records')
    .columns(['linked_cccd', 'date', 'dose_number', 'product'])
    .where(sql.ref('link_status'), '=', 'linked')
    .execute()

  await db.schema
    .createTable('certificate_events')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('uvci', 'text', (c) => c.notNull())
    .addColumn('person_cccd', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('certificate_events_uvci')
    .on('certificate_events')
    .column('uvci')
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('person_cccd', 'text')
    .addColumn('uvci', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  await db.schema.createIndex('outbox_status').on('outbox').columns(['status', 'id']).execute()

  await db.schema
    .createTable('issue_runs')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('issued', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('superseded', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute()
}
