import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { createNodeSigner } from '../src/core/cose/node-signer.js'
import { signHc1 } from '../src/core/hc1/hc1.js'
import { buildVaccinationDcc } from '../src/domain/issuance/build-vaccination-dcc.js'
import { initKeystore, loadActiveSigningKey } from '../src/storage/keystore/keystore.js'

const TARGET_PER_S = 10_000
const TARGET_P99_MS = 20
const FIXED_RATE = 5_000

function runCannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)))
  })
}

/**
 * The verify endpoint under load: a server process (bench/http-server.ts, real app, in-memory
 * SQLite, a fresh keystore) and autocannon in this process over loopback. Measures the maximum
 * rate of valid verifications (`http_verify_per_s`) and the p99 latency at a fixed 5,000 req/s
 * (`http_verify_p99_ms`). Durations are bounded (BENCH_HTTP_SECONDS, default 8 s per phase).
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
  const seconds = Math.max(2, Number(process.env.BENCH_HTTP_SECONDS ?? 8))
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

  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./http-server.ts', import.meta.url).pathname], {
    env: { ...process.env, BENCH_KEYS_DIR: join(dir, 'keys'), BENCH_KEYS_PASSPHRASE: passphrase },
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

    await runCannon({ ...request, connections: 20, duration: 2 }) // warm-up (JIT, pools)
    const max = await runCannon({ ...request, connections: 50, pipelining: 1, duration: seconds })
    const fixed = await runCannon({ ...request, connections: 50, overallRate: FIXED_RATE, duration: seconds })
    // The framework's own ceiling in the same run (rate limit, hooks, routing; no verification).
    const health = await runCannon({ url: `${url}/health`, connections: 50, duration: Math.min(seconds, 4) })
    const ok = (r: autocannon.Result) => r.non2xx === 0 && r.errors === 0
    const perS = Math.round(max.requests.average)
    const p99 = fixed.latency.p99
    if (!opts.json) {
      process.stderr.write(
        `http verify: ${perS} verif/s (target >= ${TARGET_PER_S}), p99 ${max.latency.p99} ms at max rate` +
          `${ok(max) ? '' : ` [${max.non2xx} non-2xx, ${max.errors} errors]`}\n` +
          `http verify at ${FIXED_RATE}/s offered: ${Math.round(fixed.requests.average)}/s served, ` +
          `p99 ${p99} ms (target < ${TARGET_P99_MS} ms)${ok(fixed) ? '' : ` [${fixed.non2xx} non-2xx, ${fixed.errors} errors]`}\n` +
          `http GET /health (same server, no verification): ${Math.round(health.requests.average)} req/s\n`,
      )
    }
    return { http_verify_per_s: perS, http_verify_p99_ms: p99 }
  } finally {
    child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run alone: node --import tsx bench/http.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runHttpBench({ json: process.argv.includes('--json') })
  process.stdout.write(JSON.stringify(figures) + '\n')
}
