import { sql, type Kysely } from 'kysely'
import { VaxpassError } from '../../core/errors.js'
import type { Storage } from '../storage.js'
import { migrations as allMigrations, type Migration } from './index.js'

/**
 * Applies every pending migration, each in its own transaction, and returns the names applied.
 *
 * Our own small runner rather than Kysely's Migrator: that one looks for its table in every
 * PostgreSQL schema, so a second schema in the same database (one per test file) would think it
 * was already migrated. Concurrent runs are serialised by an advisory lock (PostgreSQL) or the
 * write lock (SQLite), and each re-checks what is applied inside its transaction.
 *
 * @example
 * const applied = await migrateToLatest(storage) // ['0001-registry', ...] the first time, [] after
 */
export async function migrateToLatest(
  storage: Pick<Storage, 'kind' | 'db'>,
  migrations: readonly Migration[] = allMigrations,
): Promise<string[]> {
  const db = storage.db as unknown as Kysely<any>
  const applied: string[] = []
  try {
    await db.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute()
  } catch (err) {
    // Two processes creating the table at once on PostgreSQL: the loser gets a unique violation.
    if ((err as { code?: string }).code !== '23505') throw err
  }
  for (const migration of migrations) {
    try {
      const done = await db.transaction().execute(async (trx) => {
        if (storage.kind === 'postgres') {
          await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`.execute(trx)
        } else {
          // Take the write lock now, so a concurrent migrator waits here rather than midway.
          await sql`DELETE FROM schema_migrations WHERE 0`.execute(trx)
        }
        const row = await trx
          .selectFrom('schema_migrations')
          .select('name')
          .where('name', '=', migration.name)
          .executeTakeFirst()
        if (row !== undefined) return false
        await migration.up(trx)
        await trx
          .insertInto('schema_migrations')
          .values({ name: migration.name, applied_at: new Date().toISOString() })
          .execute()
        return true
      })
      if (done) applied.push(migration.name)
    } catch (cause) {
      if (cause instanceof VaxpassError) throw cause
      throw new VaxpassError('ERR_DB_MIGRATION', `migration ${migration.name} failed`, {
        cause,
        details: { migration: migration.name },
      })
    }
  }
  return applied
}
