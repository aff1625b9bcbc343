import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema.js'

/**
 * Certificates issued per UTC day (from each certificate's `iat`, superseded ones included:
 * they were issued too), oldest day first. Same query on SQLite and PostgreSQL.
 *
 * @example
 * const perDay = await countCertificatesPerDay(storage.db)
 * perDay[0] // { day: '2026-03-01', count: 1200 }
 */
export async function countCertificatesPerDay(
  db: Kysely<Database>,
): Promise<Array<{ day: string; count: number }>> {
  const rows = await db
    .selectFrom('certificates')
    .select([sql<string>`substr(iat, 1, 10)`.as('day'), sql<string>`count(*)`.as('n')])
    .groupBy(sql`substr(iat, 1, 10)`)
    .orderBy(sql`substr(iat, 1, 10)`)
    .execute()
  return rows.map((r) => ({ day: String(r.day), count: Number(r.n) }))
}
