import { isAbsolute, resolve } from 'node:path'
import { VaxpassError } from '../core/errors.js'
import type { PostgresConfig } from './postgres/config.js'
import type { SqliteConfig } from './sqlite/config.js'

/** Where the database lives, as decided from `DATABASE_URL`. */
export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly config: SqliteConfig }
  | { readonly kind: 'postgres'; readonly config: PostgresConfig }

/** The default SQLite file, relative to the working folder. */
export const DEFAULT_SQLITE_PATH = './data/vaxpass.db'

/**
 * Reads `DATABASE_URL`: a `postgres://` / `postgresql://` URL (optional `?schema=name`, our own
 * parameter, removed before the URL reaches the driver), a `sqlite:` URL (`sqlite:relative.db`,
 * `sqlite:///abs/path.db`, `sqlite::memory:`) or a plain file path. Empty or unset: the default
 * file `./data/vaxpass.db` under `cwd`.
 *
 * @example
 * parseDatabaseUrl('postgres://postgres@127.0.0.1:5432/test?schema=t1', '/srv')
 * // { kind: 'postgres', config: { connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: 't1' } }
 */
export function parseDatabaseUrl(url: string | undefined, cwd: string): DatabaseTarget {
  const value = (url ?? '').trim()
  if (value === '') return { kind: 'sqlite', config: { path: resolve(cwd, DEFAULT_SQLITE_PATH) } }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch (cause) {
      throw new VaxpassError('ERR_DB_URL', 'DATABASE_URL is not a valid PostgreSQL URL', { cause })
    }
    const schema = parsed.searchParams.get('schema') ?? undefined
    parsed.searchParams.delete('schema')
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new VaxpassError('ERR_DB_URL', 'the schema parameter of DATABASE_URL must be an identifier')
    }
    const connectionString = parsed.toString()
    return {
      kind: 'postgres',
      config: schema === undefined ? { connectionString } : { connectionString, schema },
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^sqlite:/i.test(value) && !/^file:/i.test(value)) {
    throw new VaxpassError('ERR_DB_URL', 'DATABASE_URL must be a SQLite path, a sqlite: URL or a postgres:// URL')
  }
  let path = value
  if (/^sqlite:/i.test(path)) path = path.slice('sqlite:'.length)
  else if (/^file:/i.test(path)) path = path.slice('file:'.length)
  if (path.startsWith('//')) path = path.slice(2) // sqlite:///abs -> /abs ; sqlite://rel -> rel
  if (path === ':memory:') return { kind: 'sqlite', config: { path } }
  if (path === '') throw new VaxpassError('ERR_DB_URL', 'DATABASE_URL names no SQLite file')
  return { kind: 'sqlite', config: { path: isAbsolute(path) ? path : resolve(cwd, path) } }
}
