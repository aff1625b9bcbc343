import { sql, type Kysely } from 'kysely'
import { dialectOf } from './dialect-of.js'

/**
 * `certificates.issued_by` for databases created by the first version of 0003 (which recorded
 * each issue as a separate event row); 0003 now creates the column itself, so this is a no-op
 * on new databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE certificates ADD COLUMN IF NOT EXISTS issued_by text NOT NULL DEFAULT 'unknown'`.execute(db)
    return
  }
  const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info('certificates')`.execute(db)
  if (!columns.rows.some((c) => c.name === 'issued_by')) {
    await sql`ALTER TABLE certificates ADD COLUMN issued_by text NOT NULL DEFAULT 'unknown'`.execute(db)
  }
}
