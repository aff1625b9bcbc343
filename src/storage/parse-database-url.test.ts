import { describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from './parse-database-url.js'

describe('parseDatabaseUrl', () => {
  it('defaults to ./data/vaxpass.db under the working folder', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({
      kind: 'sqlite',
      config: { path: '/srv/app/data/vaxpass.db' },
    })
    expect(parseDatabaseUrl('  ', '/srv/app').kind).toBe('sqlite')
  })

  it('reads SQLite paths and sqlite: URLs', () => {
    expect(parseDatabaseUrl('x.db', '/w').config).toEqual({ path: '/w/x.db' })
    expect(parseDatabaseUrl('sqlite:x.db', '/w').config).toEqual({ path: '/w/x.db' })
    expect(parseDatabaseUrl('sqlite:///abs/x.db', '/w').config).toEqual({ path: '/abs/x.db' })
    expect(parseDatabaseUrl('sqlite::memory:', '/w').config).toEqual({ path: ':memory:' })
  })

  it('reads PostgreSQL URLs and our schema parameter', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db?schema=s1', '/w')).toEqual({
      kind: 'postgres',
      config: { connectionString: 'postgres://u@h:5432/db', schema: 's1' },
    })
    expect(() => parseDatabaseUrl('postgres://u@h/db?schema=a;drop', '/w')).toThrow(
      expect.objectContaining({ code: 'ERR_DB_URL' }),
    )
    expect(() => parseDatabaseUrl('mysql://u@h/db', '/w')).toThrow(
      expect.objectContaining({ code: 'ERR_DB_URL' }),
    )
  })
})
