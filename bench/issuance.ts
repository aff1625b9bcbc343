import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { issueAll } from '../src/issue/issue-all.js'
import { startIssueWorkerPool } from '../src/issue/worker-pool.js'
import { countCertificatesByStatus } from '../src/storage/certificates/certificate-store.js'
import { initKeystore, loadActiveSigningKey, type ActiveSigningKey } from '../src/storage/keystore/keystore.js'
import { openDatabase } from '../src/storage/open-database.js'
import type { Storage } from '../src/storage/storage.js'
import { runHttpBench } from './http.js'

const TARGET_BULK_PER_S = 20_000
const CONFIG = { issuer: 'Ministry of Health of Viet Nam', country: 'VN' }

/** One part of the issuance group: returns its JSON keys, prints its lines when !json. */
type BenchPart = (ctx: { json: boolean; log: (line: string) => void }) => Promise<Record<string, number>>

const PRODUCTS = ['EU/1/20/1528', 'EU/1/21/1529', 'EU/1/20/1507', 'BBIBP-CorV', 'Sputnik-V', 'EU/1/20/1525']
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng']
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Hồng', 'Thanh', 'Quốc']
const GIVEN = ['An', 'Bảo', 'Duy', 'Đào', 'Hà', 'Lan', 'Tâm', 'Thuỷ', 'Yến', 'Hùng', 'Dũng']

/** Seeds `n` linked people with 1 to 3 doses each, straight through prepared statements. */
export function seedSqlite(storage: Storage, n: number): number {
  if (storage.driver.kind !== 'sqlite') throw new Error('the bulk bench seeds SQLite')
  const db = storage.driver.sqlite
  const at = '2022-01-01T00:00:00.000Z'
  db.prepare(`INSERT OR IGNORE INTO provinces (code, name) VALUES ('001', 'Hà Nội')`).run()
  db.prepare(
    `INSERT OR IGNORE INTO vaccination_sites (code, name, province_code, kind) VALUES ('BM', 'Bạch Mai', '001', 'hospital')`,
  ).run()
  const person = db.prepare(
    `INSERT INTO register_people (cccd, full_name, name_key, dob, sex, province_code, phone, email, import_job_id, updated_at)
     VALUES (?, ?, ?, ?, ?, '001', ?, NULL, NULL, ?)`,
  )
  const dose = db.prepare(
    `INSERT INTO dose_records (person_key, cccd, full_name, dob, sex, product, lot, date, dose_number, site_code,
       entered_by, entered_at, source, linked_cccd, link_status, linked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'BM', 'bench', ?, 'import', ?, 'linked', ?)`,
  )
  let doses = 0
  const insert = db.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const female = k % 2
      const year = 1940 + (k % 65)
      const cccd = `0${String(1 + (k % 96)).padStart(2, '0')}${female}${String(year % 100).padStart(2, '0')}${String(k).padStart(6, '0')}`
      const name = `${FAMILY[k % FAMILY.length]} ${MIDDLE[(k >> 3) % MIDDLE.length]} ${GIVEN[(k >> 5) % GIVEN.length]}`
      const dob = `${year}-${String(1 + (k % 12)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`
      const sex = female ? 'F' : 'M'
      person.run(cccd, name, name, dob, sex, k % 3 === 0 ? `09${String(k).padStart(8, '0')}` : null, at)
      const product = PRODUCTS[k % PRODUCTS.length]!
      const count = 1 + (k % 3)
      for (let j = 0; j < count; j++) {
        dose.run(cccd, cccd, name, dob, sex, product, `L${k}-${j}`, `2021-${String(4 + j * 3).padStart(2, '0')}-1${j}`, j + 1, at, cccd, at)
        doses++
      }
    }
  })
  for (let i = 0; i < n; i += 20_000) insert(i, Math.min(n, i + 20_000))
  return doses
}

/**
 * Raw ES256 signing on every core at once (node:crypto, raw r||s), for `seconds`: signatures per
 * second, and CPU microseconds per signature (which the machine's other load barely changes).
 */
async function measureSignLimit(
  key: ActiveSigningKey,
  workers: number,
  seconds: number,
): Promise<{ perSecond: number; cpuUs: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { createPrivateKey, sign, randomBytes } = require('node:crypto')
    const key = createPrivateKey({ key: Buffer.from(workerData.pkcs8), format: 'der', type: 'pkcs8' })
    const opts = workerData.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : { key, padding: 6, saltLength: 32 }
    const data = randomBytes(330) // about the size of a Sig_structure of a vaccination DCC
    for (let i = 0; i < 200; i++) sign('sha256', data, opts)
    parentPort.once('message', () => {
      const end = Date.now() + workerData.ms
      let n = 0
      while (Date.now() < end) { for (let i = 0; i < 100; i++) sign('sha256', data, opts); n += 100 }
      parentPort.postMessage(n)
    })
    parentPort.postMessage('ready')`
  const pool = Array.from(
    { length: workers },
    () => new Worker(code, { eval: true, workerData: { pkcs8: key.privateKeyPkcs8, alg: key.alg, ms: seconds * 1000 } }),
  )
  try {
    await Promise.all(pool.map((w) => new Promise((r) => w.once('message', r))))
    const started = Date.now()
    const cpu0 = process.cpuUsage()
    const counts = await Promise.all(
      pool.map((w) => {
        const done = new Promise<number>((r) => w.once('message', r))
        w.postMessage('go')
        return done
      }),
    )
    const cpu = process.cpuUsage(cpu0)
    const n = counts.reduce((a, b) => a + b, 0)
    return { perSecond: n / ((Date.now() - started) / 1000), cpuUs: (cpu.user + cpu.system) / n }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
}

/**
 * CPU clock ticks (user + system) of each thread of this process, by thread id, from /proc (empty
 * where there is none): splits a run's CPU into the main thread, the issuing workers and the rest
 * (V8's background threads: JIT compilation and GC helpers).
 */
function threadTicks(): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const [tid, t] of threadTicksSplit()) ticks.set(tid, t.user + t.system)
  return ticks
}

/** {@link threadTicks} split into user and system (kernel) ticks. */
function threadTicksSplit(): Map<number, { user: number; system: number }> {
  const ticks = new Map<number, { user: number; system: number }>()
  let tids: string[]
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return ticks
  }
  for (const tid of tids) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      ticks.set(Number(tid), { user: Number(fields[11]), system: Number(fields[12]) })
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks
}

/** Bulk issuing end to end on SQLite (read, build, sign, encode, store) beside the raw sign rate. */
const bulkIssuance: BenchPart = async ({ log }) => {
  const people = Math.max(1000, Number(process.env.BENCH_ISSUANCE_PEOPLE ?? 100_000))
  const workers = Math.max(1, Number(process.env.BENCH_ISSUANCE_WORKERS ?? availableParallelism()))
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-issuance-bench-'))
  const passphrase = 'bench passphrase, not secret'
  const now = new Date()
  try {
    await initKeystore({ dir: join(dir, 'keys'), passphrase, now })
    const key = loadActiveSigningKey({ dir: join(dir, 'keys'), passphrase, now })
    const storage = await openDatabase({ DATABASE_URL: join(dir, 'bench.db') })
    try {
      const t = Date.now()
      const doses = seedSqlite(storage, people)
      log(`issuance: seeded ${people.toLocaleString('en')} people, ${doses.toLocaleString('en')} doses in ${((Date.now() - t) / 1000).toFixed(1)} s`)

      // The machine is shared: measure the limit before and after the run and use the mean.
      const signSeconds = Number(process.env.BENCH_SIGN_SECONDS ?? 3)
      const signBefore = await measureSignLimit(key, workers, signSeconds)

      const threadsBefore = new Set(threadTicks().keys())
      const pool = startIssueWorkerPool(
        {
          privateKeyPkcs8: key.privateKeyPkcs8,
          alg: key.alg,
          kidBytes: new Uint8Array(Buffer.from(key.kid, 'base64')),
          config: CONFIG,
        },
        workers,
      )
      try {
        // Load the workers' modules outside the measured run (the JIT warms up within it: on
        // 100,000 certificates its compiling threads cost a few µs per certificate).
        await Promise.all(Array.from({ length: pool.size }, () => pool.run(new Uint8Array(0), new Uint32Array(0), now)))
        const ticks0 = threadTicks()
        const main0 = threadTicksSplit().get(process.pid)
        const poolThreads = new Set([...ticks0.keys()].filter((tid) => !threadsBefore.has(tid)))
        const cpu0 = process.cpuUsage()
        const summary = await issueAll(storage, {
          key,
          config: CONFIG,
          actor: 'system:bench',
          pool,
          countTotal: false,
        })
        const cpu = process.cpuUsage(cpu0)
        const ticks1 = threadTicks()
        const main1 = threadTicksSplit().get(process.pid)
        const signAfter = await measureSignLimit(key, workers, signSeconds)
        const signLimit = (signBefore.perSecond + signAfter.perSecond) / 2
        const signCpuUs = (signBefore.cpuUs + signAfter.cpuUs) / 2
        const issueCpuUs = (cpu.user + cpu.system) / summary.processed
        const counts = await countCertificatesByStatus(storage)
        if (counts.active !== people || summary.failed !== 0) {
          throw new Error(`bulk bench issued ${counts.active} of ${people} (failed ${summary.failed})`)
        }
        const rate = summary.processed / summary.seconds
        // Per-thread split of the CPU per certificate (/proc counts in 10 ms ticks).
        const split = { main: 0, workers: 0, other: 0 }
        for (const [tid, t1] of ticks1) {
          const us = ((t1 - (ticks0.get(tid) ?? 0)) * 10_000) / summary.processed
          if (tid === process.pid) split.main += us
          else if (poolThreads.has(tid)) split.workers += us
          else split.other += us
        }
        log(
          `issuance: raw ES256 sign, ${workers} workers (limit)  ${Math.round(signLimit).toLocaleString('en')}/s ` +
            `(before ${Math.round(signBefore.perSecond).toLocaleString('en')}/s, after ${Math.round(signAfter.perSecond).toLocaleString('en')}/s; ` +
            `${signCpuUs.toFixed(1)} CPU-µs per signature)`,
        )
        log(
          `issuance: bulk issue end to end, SQLite            ${Math.round(rate).toLocaleString('en')}/s ` +
            `(${((rate / signLimit) * 100).toFixed(0)}% of the limit; target ${TARGET_BULK_PER_S.toLocaleString('en')}/s; ` +
            `${summary.processed.toLocaleString('en')} certificates in ${summary.seconds.toFixed(1)} s)`,
        )
        // CPU time per certificate (all threads) hardly depends on the other load of a shared
        // machine: it says what the same code would do with the cores to itself.
        log(
          `issuance: bulk issue CPU per certificate          ${issueCpuUs.toFixed(1)} µs (${(issueCpuUs / signCpuUs).toFixed(1)}x a raw signature; ` +
            `${availableParallelism()} idle cores would give about ${Math.round((availableParallelism() * 1e6) / issueCpuUs).toLocaleString('en')}/s; load average ${loadavg()[0]!.toFixed(1)})`,
        )
        if (ticks1.size > 0) {
          const mainKernel =
            main0 === undefined || main1 === undefined ? 0 : ((main1.system - main0.system) * 10_000) / summary.processed
          log(
            `issuance: of which main thread (read, write)     ${split.main.toFixed(1)} µs (kernel ${mainKernel.toFixed(1)}), workers (build, sign, encode) ` +
              `${split.workers.toFixed(1)} µs, V8 background threads (JIT, GC) ${split.other.toFixed(1)} µs`,
          )
        }
        return { bulk_issue_per_s: Math.round(rate), bulk_sign_limit_per_s: Math.round(signLimit) }
      } finally {
        await pool.close()
      }
    } finally {
      await storage.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The parts of the `issuance` group, run in order; their keys are merged. Add a part (e.g. the
 * HTTP verify load: `http_verify_per_s`, `http_verify_p99_ms`) with one line here.
 */
const PARTS: readonly BenchPart[] = process.env.BENCH_SKIP_HTTP ? [bulkIssuance] : [bulkIssuance, runHttpBench]

/**
 * `npm run bench -- --only issuance`: bulk issuing of N seeded people end to end (read, build,
 * sign, encode, store; BENCH_ISSUANCE_PEOPLE, default 100,000; 1,000,000 for the full run)
 * beside the raw signing rate of all cores measured in the same run.
 * Keys: `bulk_issue_per_s`, `bulk_sign_limit_per_s`.
 *
 * @example
 * const figures = await runIssuanceBench({ json: true })
 */
export async function runIssuanceBench(opts: { json: boolean }): Promise<Record<string, number>> {
  const log = (line: string) => {
    if (!opts.json) process.stderr.write(line + '\n')
  }
  const out: Record<string, number> = {}
  for (const part of PARTS) Object.assign(out, await part({ json: opts.json, log }))
  return out
}

// Run alone: node --import tsx bench/issuance.ts [--json]
if (import.meta.url === `file://${process.argv[1]}`) {
  const json = process.argv.includes('--json')
  const figures = await runIssuanceBench({ json })
  process.stdout.write(JSON.stringify(figures) + '\n')
}
