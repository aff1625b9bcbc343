import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveWorkerCount } from '../../src/http/serve-workers.js'
import { Readable } from 'node:stream'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { openDatabase } from '../../src/storage/open-database.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import { BACKENDS, PG_URL, staffSession } from './helpers.js'

// `vaxpass serve --workers 2`: two processes share the port over one database. Sessions written
// through one worker are seen by the other; the in-memory rate limit is split between them.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = join(ROOT, 'src/cli/main.ts')

/** One request on a fresh connection (no keep-alive), so that the primary deals it to the next worker. */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
  json?: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const h = json === undefined ? headers : { ...headers, 'content-type': 'application/json' }
    const req = request(url, { method, headers: h, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => {
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.on('error', reject)
    req.end(json === undefined ? undefined : JSON.stringify(json))
  })
}

const PERSON = { cccd: '001090001234', fullName: 'Nguyễn Văn An', dob: '1990-05-17', phone: '+84912345678' }

describe('worker count', () => {
  it('reads --workers, then WEB_CONCURRENCY, else 1, and refuses anything but 1-64', () => {
    expect(resolveWorkerCount(undefined, {})).toBe(1)
    expect(resolveWorkerCount(undefined, { WEB_CONCURRENCY: '3' })).toBe(3)
    expect(resolveWorkerCount('2', { WEB_CONCURRENCY: '3' })).toBe(2)
    for (const bad of ['0', '-1', '1.5', 'two', '65']) expect(() => resolveWorkerCount(bad, {})).toThrow(RangeError)
  })

  it('exits 2 for a bad count and for an in-memory database shared by workers', () => {
    const run = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...args], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      })
    const zero = run(['--workers', '0'], { DATABASE_URL: ':memory:' })
    expect(zero.status).toBe(2)
    expect(zero.stderr).toContain('--workers')
    const memory = run(['--workers', '2'], { DATABASE_URL: ':memory:' })
    expect(memory.status).toBe(2)
    expect(memory.stderr).toContain('in-memory')
  })
})

describe.each(BACKENDS)('serve --workers 2 on %s', (backend) => {
  const NOW = new Date()
  let dir: string
  let databaseUrl: string
  let schema: string | undefined
  let server: ChildProcess
  let url: string
  let token: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-workers-'))
    if (backend === 'sqlite') databaseUrl = join(dir, 'vaxpass.db')
    else {
      schema = `h_workers_${process.pid}_${Math.floor(Math.random() * 1e6)}`
      databaseUrl = `${PG_URL}?schema=${schema}`
    }
    const storage = await openDatabase({ DATABASE_URL: databaseUrl })
    token = await staffSession(storage.db as unknown as Kysely<any>, 'w-admin', 'admin', NOW)
    await importRegister(
      storage,
      Readable.from([`cccd,full_name,dob,sex,province_code,phone,email\n${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,001,${PERSON.phone},\n`]),
    )
    await importDoses(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n' +
          `${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,EU/1/20/1528,L1,2021-08-01,1,001-BVBM\n`,
      ]),
    )
    await linkDoseRecords(storage)
    await storage.close()
    server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--workers', '2', '--json'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', VAXPASS_KEYS_DIR: join(dir, 'no-keys') },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once('line', resolve)
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    })
    const answer = JSON.parse(first) as { url: string; workers: number }
    expect(answer.workers).toBe(2)
    url = answer.url
  }, 120_000)

  afterAll(async () => {
    if (server?.exitCode === null) {
      server.kill('SIGTERM')
      await new Promise((done) => server.once('exit', done))
    }
    rmSync(dir, { recursive: true, force: true })
    if (schema !== undefined) {
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    }
  })

  it('shares sessions through the database and splits the per-IP rate limit between workers', async () => {
    const auth = { authorization: `Bearer ${token}` }
    for (let i = 0; i < 4; i++) {
      const me = await get(`${url}/api/staff/me`, auth)
      expect(me.status).toBe(200)
      // Each worker counts in its own memory: 600 per minute per IP split in two.
      expect(me.headers['x-ratelimit-limit']).toBe('300')
    }
    // Signing out through one worker ends the session on every worker.
    const out = await get(`${url}/api/staff/sign-out`, auth, 'POST')
    expect(out.status).toBe(204)
    for (let i = 0; i < 4; i++) expect((await get(`${url}/api/staff/me`, auth)).status).toBe(401)
  })

  it('takes a lookup on one connection and its code on others, counting wrong codes across workers', async () => {
    const claim = { fullName: PERSON.fullName, dateOfBirth: PERSON.dob, sex: 'M', idNumber: PERSON.cccd, lastDoseDate: '2021-08-01' }
    const readCode = async (): Promise<string> => {
      const storage = await openDatabase({ DATABASE_URL: databaseUrl })
      try {
        const row = await storage.db
          .selectFrom('outbox')
          .select('body')
          .where('template', '=', 'citizen.otp')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
        return /\b(\d{6})\b/.exec(String(row.body))![1]!
      } finally {
        await storage.close()
      }
    }
    // Five wrong codes, on fresh connections dealt to both workers, use up the challenge.
    const first = await get(`${url}/api/citizen/lookup`, {}, 'POST', claim)
    expect(first.status).toBe(202)
    const code = await readCode()
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) {
      const r = await get(`${url}/api/citizen/confirm`, {}, 'POST', { challengeId: first.body.challengeId, code: wrong })
      expect(r.body.error.code).toBe('ERR_OTP_INVALID')
    }
    const spent = await get(`${url}/api/citizen/confirm`, {}, 'POST', { challengeId: first.body.challengeId, code })
    expect(spent.body.error.code).toBe('ERR_OTP_ATTEMPTS')

    const second = await get(`${url}/api/citizen/lookup`, {}, 'POST', claim)
    const confirmed = await get(`${url}/api/citizen/confirm`, {}, 'POST', { challengeId: second.body.challengeId, code: await readCode() })
    expect(confirmed.status).toBe(200)
    for (let i = 0; i < 4; i++) {
      const mine = await get(`${url}/api/citizen/declarations`, { authorization: `Bearer ${confirmed.body.token}` })
      expect(mine.status).toBe(200)
      expect(mine.body).toEqual([])
    }
  })

  it('stops every worker on SIGTERM', async () => {
    server.kill('SIGTERM')
    const code = await new Promise<number | null>((done) => server.once('exit', done))
    expect(code).toBe(0)
    await expect(get(`${url}/health`)).rejects.toThrow()
  })
})
