import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../../src/storage/open-database.js'
import type { Storage } from '../../src/storage/storage.js'

/** The PostgreSQL server the storage suites use (trust auth on loopback). */
export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The adapters every storage suite runs against. */
export const ADAPTERS = ['sqlite', 'postgres'] as const
export type AdapterKind = (typeof ADAPTERS)[number]

/** A fresh, migrated database plus a scratch folder; `dispose` removes both. */
export interface TestStorage {
  readonly storage: Storage
  readonly dir: string
  readonly databaseUrl: string
  dispose(): Promise<void>
}

/**
 * Opens an empty database of the given kind: a temp SQLite file, or a PostgreSQL schema of its
 * own (so that parallel test files and other engineers never collide), dropped on dispose.
 */
export async function openTestStorage(kind: AdapterKind): Promise<TestStorage> {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-storage-'))
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const databaseUrl = kind === 'sqlite' ? join(dir, 'test.db') : `${PG_URL}?schema=${schema}`
  const storage = await openDatabase({ DATABASE_URL: databaseUrl })
  return {
    storage,
    dir,
    databaseUrl,
    async dispose() {
      await storage.close()
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: PG_URL })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await client.end()
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
