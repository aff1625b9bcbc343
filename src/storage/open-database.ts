import { connect as connectPostgres } from './postgres/connect.js'
import { connect as connectSqlite } from './sqlite/connect.js'
import { migrateToLatest } from './migrations/migrate-to-latest.js'
import { parseDatabaseUrl } from './parse-database-url.js'
import type { Storage } from './storage.js'

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Folder the default SQLite file is resolved against; `process.cwd()` by default. */
  readonly cwd?: string
  /** Run pending migrations (the default). `false` for tools that only read. */
  readonly migrate?: boolean
}

/**
 * Opens the database named by `env.DATABASE_URL` (see {@link parseDatabaseUrl}) and brings its
 * schema up to date, so that a first run on a fresh checkout just works.
 *
 * @example
 * const storage = await openDatabase(process.env)
 * const n = await storage.db.selectFrom('dose_records').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
 * await storage.close()
 */
export async function openDatabase(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: OpenDatabaseOptions = {},
): Promise<Storage> {
  const target = parseDatabaseUrl(env.DATABASE_URL, options.cwd ?? process.cwd())
  const storage =
    target.kind === 'sqlite' ? connectSqlite(target.config) : await connectPostgres(target.config)
  if (options.migrate !== false) {
    try {
      await migrateToLatest(storage)
    } catch (err) {
      await storage.close()
      throw err
    }
  }
  return storage
}
