import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os, { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { createNodeSigner } from '../src/core/cose/node-signer.js'
import { signHc1 } from '../src/core/hc1/hc1.js'
import { buildVaccinationDcc } from '../src/domain/issuance/build-vaccination-dcc.js'
import { composeAppDeps } from '../src/http/compose-app-deps.js'
import { initKeystore, loadActiveSigningKey } from '../src/storage/keystore/keystore.js'
import { openDatabase } from '../src/storage/open-database.js'

const TARGET_PER_S = 10_000
const TARGET_P99_MS = 20
const FIXED_RATE = 5_000

function runCannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

/**
 * The verify route's own work without HTTP: the composed `verify` (the function the route calls,
 * trust store bound), per CPU-second of this process, i.e. the rate of one core.
 */
async function coreVerifyPerCpuSecond(keys: { dir: string; passphrase: string }, hc1: string): Promise<number> {
  const storage = await openDatabase({ DATABASE_URL: ':memory:' })
  try {
    const deps = await composeAppDeps(storage, { env: {}, now: () => new Date(), keys })
    const verify = deps.verify!
    const now = new Date()
    let best = 0
    for (let round = 0; round < 3; round++) {
      let n = 0
      const start = performance.now()
      const cpu0 = process.cpuUsage()
      while (performance.now() - start < 400) {
        for (let i = 0; i < 20; i++) await verify(hc1, now)
        n += 20
      }
      const cpu = process.cpuUsage(cpu0)
      best = Math.max(best, (n * 1e6) / (cpu.user + cpu.system))
    }
    return best
  } finally {
    await storage.close()
  }
}

/**
 * The verify endpoint under load: a server of BENCH_HTTP_WORKERS processes (default 2;
 * bench/http-server.ts: the real app per worker over one SQLite file, a fresh keystore) and
 * autocannon in this process over loopback. Measures the maximum rate of valid verifications
 * (`http_verify_per_s`) and the p99 latency at a fixed 5,000 req/s (`http_verify_p99_ms`),
 * beside two limits measured in the same run: GET /health on the same server (the HTTP stack
 * without verification) and the core verify rate of one CPU-second times the workers. Durations
 * are bounded (BENCH_HTTP_SECONDS, default 6 s per phase).
 *
 * @example
 * const figures = await runHttpBench({ json: false })
 */
export function runHttpBench(opts: { json: boolean }): Promise<Record<string, number>> {
  // Both the `http` group and the `issuance` group report these keys: measure once per process.
  measured ??= measureHttpVerify(opts)
  return measured
}

let measured: Promise<Record<string, number>> | undefined

async function measureHttpVerify(opts: { json: boolean }): Promise<Record<string, number>> {
  const seconds = Math.max(2, Number(process.env.BENCH_HTTP_SECONDS ?? 6))
  const workers = Math.max(1, Number(process.env.BENCH_HTTP_WORKERS ?? 2))
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-http-bench-'))
  const passphrase = 'bench passphrase, not secret'
  const now = new Date()
  await initKeystore({ dir: join(dir, 'keys'), passphrase, now })
  const active = loadActiveSigningKey({ dir: join(dir, 'keys'), passphrase, now })
  const signer = createNodeSigner({ privateKey: active.privateKey, alg: active.alg, kid: Buffer.from(active.kid, 'base64') })
  const built = buildVaccinationDcc(
    { cccd: '001090001234', fullName: 'Nguyễn Văn An', dob: '1990-05-17' },
    [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 2 }],
    { issuer: 'Ministry of Health of Viet Nam' },
    now,
  )
  const hc1 = signHc1(built.payload, { signer, issuer: 'VN', iat: built.iat, exp: built.exp })
  const body = JSON.stringify({ hc1 })
  const corePerS = await coreVerifyPerCpuSecond({ dir: join(dir, 'keys'), passphrase }, hc1)

  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./http-server.ts', import.meta.url).pathname], {
    env: {
      ...process.env,
      BENCH_KEYS_DIR: join(dir, 'keys'),
      BENCH_KEYS_PASSPHRASE: passphrase,
      BENCH_HTTP_WORKERS: String(workers),
      BENCH_DB: join(dir, 'bench.db'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! })
      rl.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url))
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
    })
    const target = `${url}/api/public/verify`
    const request = { url: target, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body }
    // Check once that the pass verifies, so that the bench measures valid verifications.
    const probe = await fetch(target, { method: 'POST', headers: request.headers, body })
    const report = (await probe.json()) as { valid?: boolean }
    if (probe.status !== 200 || report.valid !== true) throw new Error('bench pass does not verify')

    await runCannon({ ...request, connections: 20, duration: 3 }) // warm-up (JIT, pools)
    const fixed = await runCannon({ ...request, connections: 50, overallRate: FIXED_RATE, duration: seconds })
    const max = await runCannon({ ...request, connections: 50, pipelining: 1, duration: seconds })
    // The framework's own ceiling in the same run (rate limit, hooks, routing; no verification).
    const health = await runCannon({ url: `${url}/health`, connections: 50, duration: Math.min(seconds, 4) })
    const ok = (r: autocannon.Result) => r.non2xx === 0 && r.errors === 0
    const perS = Math.round(max.requests.average)
    const p99 = fixed.latency.p99
    if (!opts.json) {
      const load = loadavg().map((x) => x.toFixed(1)).join(' ')
      process.stderr.write(
        `http: server of ${workers} worker process(es), autocannon in this process, loopback; load average ${load} on ${availableCores()} cores\n` +
          `http verify: ${perS} verif/s (target >= ${TARGET_PER_S}), p99 ${max.latency.p99} ms at max rate` +
          `${ok(max) ? '' : ` [${max.non2xx} non-2xx, ${max.errors} errors]`}\n` +
          `http verify at ${FIXED_RATE}/s offered: ${Math.round(fixed.requests.average)}/s served, ` +
          `p99 ${p99} ms (target < ${TARGET_P99_MS} ms)${ok(fixed) ? '' : ` [${fixed.non2xx} non-2xx, ${fixed.errors} errors]`}\n` +
          `  limit: GET /health (same server, no verification): ${Math.round(health.requests.average)} req/s\n` +
          `  limit: core verify ${Math.round(corePerS)}/s per CPU-second x ${workers} workers = ${Math.round(corePerS * workers)}/s ` +
          `(verify reaches ${Math.round((perS / (corePerS * workers)) * 100)}% of it)\n`,
      )
    }
    return { http_verify_per_s: perS, http_verify_p99_ms: p99 }
  } finally {
    child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
}

// Run alone: node --import tsx bench/http.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runHttpBench({ json: process.argv.includes('--json') })
  process.stdout.write(JSON.stringify(figures) + '\n')
}
