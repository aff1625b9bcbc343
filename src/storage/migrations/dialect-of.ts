import { PostgresAdapter, type Kysely } from 'kysely'

/**
 * Which SQL dialect a Kysely instance speaks, for the few migration statements that differ
 * (identity columns, triggers).
 *
 * @example
 * if (dialectOf(db) === 'postgres') await sql`CREATE EXTENSION ...`.execute(db)
 */
export function dialectOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}
