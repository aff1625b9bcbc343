import type { Kysely } from 'kysely'
import type BetterSqlite3 from 'better-sqlite3'
import type pg from 'pg'
import type { Database } from './schema.js'

/** The raw driver behind a {@link Storage}, for bulk hot paths that Kysely would slow down. */
export type StorageDriver =
  | { readonly kind: 'sqlite'; readonly sqlite: BetterSqlite3.Database; readonly path: string }
  | { readonly kind: 'postgres'; readonly pool: pg.Pool; readonly schema: string | undefined }

/**
 * An open database: the Kysely query layer for everyday queries, the raw driver for bulk loads.
 * Close it with `close()` (ends the pool or closes the SQLite file).
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres'
  readonly db: Kysely<Database>
  readonly driver: StorageDriver
  close(): Promise<void>
}
