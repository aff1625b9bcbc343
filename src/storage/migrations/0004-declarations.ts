import { type Kysely } from 'kysely'
import { dialectOf } from './dialect-of.js'

/**
 * Declarations filed by people (identity, doses, optional evidence image) and the reviews that
 * decide them. Doses are JSON text; the evidence is stored as bytes with its SHA-256, so that an
 * approval can cite exactly what the reviewer saw.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const idType = pg ? 'bigserial' : 'integer'

  await db.schema
    .createTable('declarations')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('filed_at', 'text', (c) => c.notNull())
    // pending | approved | rejected
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cccd', 'text')
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('dob', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('doses_json', 'text', (c) => c.notNull())
    .addColumn('evidence_media_type', 'text')
    .addColumn('evidence_sha256', 'text')
    .addColumn('evidence', pg ? 'bytea' : 'blob')
    .addColumn('link_status', 'text', (c) => c.notNull())
    .addColumn('link_cccd', 'text')
    .addColumn('link_diff', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('decision_reason', 'text')
    .execute()
  // The review queue: pending declarations, oldest first.
  await db.schema
    .createIndex('declarations_status')
    .on('declarations')
    .columns(['status', 'id'])
    .execute()

  await db.schema
    .createTable('declaration_reviews')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('declaration_id', 'bigint', (c) => c.notNull().references('declarations.id'))
    .addColumn('reviewer', 'text', (c) => c.notNull())
    // approved | rejected
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('corrections_json', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
}
