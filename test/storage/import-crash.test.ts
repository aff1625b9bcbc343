import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { ADAPTERS, openTestStorage, type TestStorage } from './open-test-storage.js'
import { DOSE_HEADER, now } from './registry-fixtures.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ROWS = 30_000

function buildFile(path: string): void {
  const lines = [DOSE_HEADER]
  for (let i = 0; i < ROWS; i++) {
    const id = `0790${String(90 + (i % 10)).slice(-2)}${String(i).padStart(6, '0')}`
    const bad = i % 1000 === 999 // a reject now and then, to check the rejects file on resume
    lines.push(
      `${id},Nguyễn Văn Số ${i},19${90 + (i % 10)}-01-01,M,${bad ? 'NOPE' : 'EU/1/20/1528'},L${i},2021-09-01,1,079-BVDK`,
    )
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

describe.each(ADAPTERS)('import killed with SIGKILL on %s', (kind) => {
  let t: TestStorage
  beforeAll(async () => {
    t = await openTestStorage(kind)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('resumes after the last committed batch: nothing lost, nothing twice', async () => {
    const csv = join(t.dir, 'big.csv')
    const rejects = join(t.dir, 'rejects.csv')
    buildFile(csv)
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'doses', 'import', csv, '--batch-size', '200', '--rejects', rejects, '--json'],
      // Killed while reading off-thread (SQLite), resumed below in this thread: both paths keep
      // the same job state.
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.databaseUrl, VAXPASS_IMPORT_OFF_THREAD: '1' },
        stdio: 'ignore',
      },
    )
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    // Kill as soon as a few batches are committed, long before the end.
    const deadline = Date.now() + 60_000
    let committed = 0
    while (Date.now() < deadline) {
      const job = await t.storage.db
        .selectFrom('import_jobs')
        .select('committed_row')
        .executeTakeFirst()
      committed = Number(job?.committed_row ?? 0)
      if (committed >= 1000) break
      await new Promise((r) => setTimeout(r, 10))
    }
    child.kill('SIGKILL')
    await exited
    const job = await t.storage.db.selectFrom('import_jobs').selectAll().executeTakeFirstOrThrow()
    expect(job.status).toBe('running')
    const killedAt = Number(job.committed_row)
    expect(killedAt).toBeGreaterThanOrEqual(1000)
    expect(killedAt).toBeLessThan(ROWS)

    const r = await importDoses(t.storage, csv, { now, batchSize: 5000, rejectsPath: rejects })
    expect(r.resumedFromRow).toBe(killedAt)
    expect(r.jobId).toBe(Number(job.id))
    const rejected = ROWS / 1000
    expect({ read: r.read, inserted: r.inserted, duplicate: r.duplicate, rejected: r.rejected }).toEqual({
      read: ROWS,
      inserted: ROWS - rejected,
      duplicate: 0,
      rejected,
    })
    const n = await t.storage.db
      .selectFrom('dose_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(ROWS - rejected)
    // The rejects file holds each rejected row exactly once, in order.
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').slice(1)
    expect(lines.map((l) => Number(l.split(',')[1]))).toEqual(
      Array.from({ length: rejected }, (_, k) => (k + 1) * 1000),
    )
  }, 180_000)
})
