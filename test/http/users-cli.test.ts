import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import { verifyPassword } from '../../src/domain/users/hash-password.js'
import { openDatabase } from '../../src/storage/open-database.js'
import { asAuthDb } from '../../src/storage/users/auth-tables.js'
import { findUserForSignIn } from '../../src/storage/users/user-store.js'

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true))
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true))
  try {
    const status = await main(args)
    return { status, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}

describe('vaxpass users', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-users-'))
  const saved = { url: process.env.DATABASE_URL, pw: process.env.VAXPASS_USER_PASSWORD }
  beforeAll(() => {
    process.env.DATABASE_URL = join(dir, 'db.sqlite')
    delete process.env.VAXPASS_USER_PASSWORD
  })
  afterAll(() => {
    if (saved.url === undefined) delete process.env.DATABASE_URL
    else process.env.DATABASE_URL = saved.url
    if (saved.pw !== undefined) process.env.VAXPASS_USER_PASSWORD = saved.pw
    rmSync(dir, { recursive: true, force: true })
  })

  it('adds accounts with a generated password printed once, and lists them', async () => {
    const added = await run(['users', 'add', '--username', 'Lan', '--role', 'site_staff', '--site', '001-BVBM', '--json'])
    expect(added.status).toBe(0)
    const account = JSON.parse(added.out)
    expect(account).toMatchObject({ username: 'lan', role: 'site_staff', siteCode: '001-BVBM' })
    expect(account.password.length).toBeGreaterThanOrEqual(20)
    const storage = await openDatabase(process.env)
    const found = await findUserForSignIn(asAuthDb(storage.db), 'lan')
    await storage.close()
    expect(found!.passwordHash).not.toContain(account.password)
    expect(await verifyPassword(account.password, found!.passwordHash)).toBe(true)

    process.env.VAXPASS_USER_PASSWORD = 'from the environment'
    const fromEnv = await run(['users', 'add', '--username', 'boss', '--role', 'admin', '--json'])
    delete process.env.VAXPASS_USER_PASSWORD
    expect(JSON.parse(fromEnv.out)).not.toHaveProperty('password')

    const key = await run(['users', 'api-key', '--app', 'pc-covid', '--json'])
    expect(JSON.parse(key.out).apiKey).toMatch(/^vxk_/)

    const list = await run(['users', 'list', '--json'])
    const listed = JSON.parse(list.out)
    expect(listed.users.map((u: { username: string }) => u.username)).toEqual(['boss', 'lan'])
    expect(listed.apiKeys).toEqual([{ app: 'pc-covid', scope: 'certificate:read', revoked: false }])
    expect(list.out).not.toContain(account.password)
  })

  it('refuses bad input with exit 2 and a duplicate with exit 1 and a code', async () => {
    expect((await run(['users', 'add', '--username', 'x1', '--role', 'root'])).status).toBe(2)
    expect((await run(['users', 'add', '--username', 'x2', '--role', 'site_staff'])).status).toBe(2)
    expect((await run(['users', 'add', '--username', 'x3', '--role', 'site_staff', '--site', 'NOPE'])).status).toBe(2)
    const dup = await run(['users', 'add', '--username', 'lan', '--role', 'reviewer'])
    expect(dup.status).toBe(1)
    expect(dup.err).toContain('ERR_USER_EXISTS')
  })
})

describe('vaxpass serve', () => {
  it('stops with a clear message, not a stack, when the key passphrase is wrong or missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-serve-'))
    const { initKeystore } = await import('../../src/storage/keystore/keystore.js')
    await initKeystore({ dir: join(dir, 'keys'), passphrase: 'the right passphrase', now: new Date() })
    const saved = { ...process.env }
    process.env.DATABASE_URL = join(dir, 'db.sqlite')
    process.env.VAXPASS_KEYS_DIR = join(dir, 'keys')
    process.env.PORT = '0'
    try {
      process.env.VAXPASS_KEY_PASSPHRASE = 'a wrong passphrase'
      const wrong = await run(['serve'])
      expect(wrong.status).toBe(1)
      expect(wrong.err).toMatch(/^error \[ERR_KEY_PASSPHRASE\]/)
      expect(wrong.err).not.toMatch(/\n\s+at /)
      delete process.env.VAXPASS_KEY_PASSPHRASE
      delete process.env.VAXPASS_KEY_PASSPHRASE_FILE
      const missing = await run(['serve'])
      expect(missing.status).toBe(1)
      expect(missing.err).toContain('ERR_KEY_PASSPHRASE')
    } finally {
      for (const k of ['DATABASE_URL', 'VAXPASS_KEYS_DIR', 'PORT', 'VAXPASS_KEY_PASSPHRASE', 'VAXPASS_KEY_PASSPHRASE_FILE']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
