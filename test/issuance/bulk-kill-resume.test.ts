import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { verify } from '../../src/core/verify/verify.js'
import { openDatabase } from '../../src/storage/open-database.js'
import { makePeople, seedPeople } from './support/issuance-fixtures.js'
import { makeTestKeys, PASSPHRASE } from './support/test-keys.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = join(ROOT, 'src/cli/main.ts')
const PEOPLE = 3000

function runCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

describe('issue --all survives kill -9 and resumes', () => {
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  })

  it('every eligible person ends with exactly one active certificate, none twice, all verifying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaxpass-kill-'))
    const dbPath = join(dir, 'vaxpass.db')
    const now = new Date()
    const keys = await makeTestKeys(now)
    const setup = await openDatabase({ DATABASE_URL: dbPath })
    const people = makePeople(PEOPLE)
    // One person whose only dose is not linked: never certified.
    people.push({
      cccd: '001099999999',
      fullName: 'Đỗ Chưa Khớp',
      dob: '1999-09-09',
      sex: 'M',
      doses: [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 1, linked: false }],
    })
    await seedPeople(setup, people)
    await setup.close()

    const env = {
      DATABASE_URL: dbPath,
      VAXPASS_KEYS_DIR: keys.dir,
      VAXPASS_KEY_PASSPHRASE: PASSPHRASE,
    }
    // Small batches so that the kill lands between commits, mid-way through the run.
    const first = runCli(['issue', '--all', '--batch-rows', '200', '--workers', '2'], env)
    children.push(first.child)
    const watcher = await openDatabase({ DATABASE_URL: dbPath }, { migrate: false })
    let seen = 0
    const deadline = Date.now() + 120_000
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25))
      if (first.child.exitCode !== null) break
      const row = watcher.driver.kind === 'sqlite'
        ? (watcher.driver.sqlite.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number } | undefined)
        : undefined
      seen = Number(row?.n ?? 0)
      if (seen >= 200) {
        first.child.kill('SIGKILL')
        break
      }
    }
    const killed = await first.done
    expect(killed.signal).toBe('SIGKILL')
    const afterKill = watcher.driver.kind === 'sqlite'
      ? (watcher.driver.sqlite.prepare(`SELECT count(*) AS n FROM certificates`).get() as { n: number })
      : { n: 0 }
    expect(afterKill.n).toBeGreaterThan(0)
    expect(afterKill.n).toBeLessThan(PEOPLE)
    await watcher.close()

    const second = runCli(['issue', '--all', '--json', '--quiet'], env)
    children.push(second.child)
    const resumed = await second.done
    expect(resumed.code, resumed.stderr).toBe(0)
    const summary = JSON.parse(resumed.stdout.trim().split('\n').pop()!) as {
      resumed: boolean
      issued: number
      failed: number
      done: boolean
    }
    expect(summary).toMatchObject({ resumed: true, failed: 0, done: true })
    // Nothing re-issued: the resumed run issued exactly the people the killed one had not.
    expect(summary.issued).toBe(PEOPLE - afterKill.n)

    const storage = await openDatabase({ DATABASE_URL: dbPath })
    try {
      const rows = await storage.db.selectFrom('certificates').select(['uvci', 'person_cccd', 'status', 'hc1']).execute()
      expect(rows).toHaveLength(PEOPLE)
      expect(rows.every((r) => r.status === 'active')).toBe(true)
      const byPerson = new Map<string, number>()
      for (const r of rows) byPerson.set(r.person_cccd, (byPerson.get(r.person_cccd) ?? 0) + 1)
      const eligible = people.slice(0, PEOPLE).map((p) => p.cccd)
      expect(eligible.every((c) => byPerson.get(c) === 1)).toBe(true)
      expect(byPerson.has('001099999999')).toBe(false)
      const run = await storage.db.selectFrom('issue_runs').selectAll().execute()
      expect(run).toHaveLength(1)
      expect(run[0]).toMatchObject({ status: 'done', issued: PEOPLE })

      // A second full run changes nothing.
      const third = runCli(['issue', '--all', '--json', '--quiet'], env)
      children.push(third.child)
      const again = await third.done
      expect(JSON.parse(again.stdout.trim().split('\n').pop()!)).toMatchObject({ issued: 0, unchanged: PEOPLE, resumed: false })

      // Verified after issuance (the children's clock ran on since the keys were made).
      const trust = await keys.trust()
      const at = new Date(Date.now() + 1000)
      const failures: string[] = []
      for (const r of rows) {
        const report = await verify(r.hc1, { trust, now: at })
        if (!report.valid) failures.push(report.checks.filter((c) => !c.ok).map((c) => c.code).join(','))
      }
      expect(failures.slice(0, 3)).toEqual([])
    } finally {
      await storage.close()
    }
  }, 300_000)
})
