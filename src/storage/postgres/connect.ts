import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { VaxpassError } from '../../core/errors.js'
import type { Database } from '../schema.js'
import type { Storage } from '../storage.js'
import type { PostgresConfig } from './config.js'

/** Quotes an SQL identifier (schema names come from configuration, never from users). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

// Dates and big counts come back as text/number the same way SQLite returns them.
pg.types.setTypeParser(20, (v) => Number(v)) // int8
pg.types.setTypeParser(1700, (v) => Number(v)) // numeric

/**
 * Opens a PostgreSQL pool. With `schema`, the schema is created when missing and put first on
 * every connection's search_path, so that parallel test files never see each other's tables.
 *
 * @example
 * const storage = await connect({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' })
 */
export async function connect(config: PostgresConfig): Promise<Storage> {
  const schema = config.schema
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.maxConnections ?? 4,
    // A startup parameter, so every connection has it before its first query.
    ...(schema === undefined ? {} : { options: `-c search_path=${quoteIdent(schema)}` }),
  })
  // An idle client's network error must not crash the process.
  pool.on('error', () => {})
  try {
    if (schema !== undefined) {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).catch(async (err) => {
        // Two processes creating the schema at once: the loser sees a unique violation.
        if ((err as { code?: string }).code !== '23505') throw err
      })
    } else {
      await pool.query('SELECT 1')
    }
  } catch (cause) {
    await pool.end().catch(() => {})
    throw new VaxpassError('ERR_DB_CONNECT', 'cannot connect to PostgreSQL', { cause })
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  return {
    kind: 'postgres',
    db,
    driver: { kind: 'postgres', pool, schema },
    async close() {
      if (closed) return
      closed = true
      // Kysely's destroy ends the pool.
      await db.destroy()
    },
  }
}
