import { sql, type Kysely } from 'kysely'
import { generateSites } from '../../domain/registry/generate-sites.js'
import { listProvinces } from '../../domain/registry/registry-sources.js'
import { dialectOf } from './dialect-of.js'

/**
 * Registry tables: provinces, vaccination sites, the national register snapshot, dose records
 * with their identity linkage, site daily reports, import jobs and the append-only audit log.
 * Dates are `YYYY-MM-DD` text (a register dob may be partial: `YYYY` or `YYYY-MM`), instants are
 * ISO 8601 text, JSON is text: the same shapes on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  // SQLite: INTEGER PRIMARY KEY is the rowid (fastest inserts); PostgreSQL: bigint identity.
  const idType = pg ? 'bigserial' : 'integer'

  await db.schema
    .createTable('provinces')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('vaccination_sites')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull().references('provinces.code'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('vaccination_sites_province')
    .on('vaccination_sites')
    .column('province_code')
    .execute()

  await db.schema
    .createTable('register_people')
    .addColumn('cccd', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('dob', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('import_job_id', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // Finds register entries for records that lack an ID (name + dob search).
  await db.schema
    .createIndex('register_people_name_dob')
    .on('register_people')
    .columns(['name_key', 'dob'])
    .execute()

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_hash', 'text')
    .addColumn('file_size', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('committed_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('committed_row', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rejects_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicate', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute()
  await db.schema
    .createIndex('import_jobs_file')
    .on('import_jobs')
    .columns(['kind', 'file_hash', 'file_size'])
    .execute()

  await db.schema
    .createTable('dose_records')
    .addColumn('id', idType, (c) => c.primaryKey())
    // cccd when present, else '~' + name key + '|' + dob: the person part of the natural key.
    .addColumn('person_key', 'text', (c) => c.notNull())
    .addColumn('cccd', 'text')
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('dob', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('dose_number', 'integer', (c) => c.notNull())
    .addColumn('site_code', 'text', (c) => c.notNull().references('vaccination_sites.code'))
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('import_job_id', 'bigint')
    .addColumn('source_row', 'bigint')
    .addColumn('linked_cccd', 'text')
    .addColumn('link_status', 'text')
    .addColumn('link_reason', 'text')
    .addColumn('link_diff', 'text')
    .addColumn('linked_at', 'text')
    .execute()
  // The natural key: importing the same dose twice adds nothing.
  await db.schema
    .createIndex('dose_records_natural_key')
    .on('dose_records')
    .columns(['person_key', 'dose_number', 'date', 'product'])
    .unique()
    .execute()
  await db.schema
    .createIndex('dose_records_linked_cccd')
    .on('dose_records')
    .column('linked_cccd')
    .execute()
  // Only the records still waiting for linkage: small, and what the linker scans.
  await db.schema
    .createIndex('dose_records_pending_link')
    .on('dose_records')
    .column('id')
    .where(sql.ref('link_status'), 'is', null)
    .execute()

  await db.schema
    .createTable('site_daily_reports')
    .addColumn('site_code', 'text', (c) => c.notNull().references('vaccination_sites.code'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('doses_administered', 'integer', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('site_daily_reports_pk', ['site_code', 'date'])
    .execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute()
  await db.schema
    .createIndex('audit_log_entity')
    .on('audit_log')
    .columns(['entity', 'entity_id'])
    .execute()

  // The audit log is append-only, enforced by the database itself and not only by our code.
  if (pg) {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db)
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
  }

  // Reference data: the 63 provinces and the generated site list (pilot hospitals included).
  const provinces = listProvinces()
  await db
    .insertInto('provinces')
    .values(provinces.map((p) => ({ code: p.code, name: p.nameVi })))
    .execute()
  const sites = generateSites(provinces)
  for (let i = 0; i < sites.length; i += 500) {
    await db
      .insertInto('vaccination_sites')
      .values(
        sites.slice(i, i + 500).map((s) => ({
          code: s.code,
          name: s.name,
          province_code: s.provinceCode,
          kind: s.kind,
        })),
      )
      .execute()
  }
}
