import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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
const VERIFY_PATH = '/api/public/verify'

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
]
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Hồng', 'Thanh', 'Quốc']
const GIVEN = [
  'An',
  'Bảo',
  'Duy',
  'Đào',
  'Hà',
  'Lan',
  'Tâm',
  'Thuỷ',
  'Yến',
  'Hùng',
  'Dũng',
  'Khánh',
  'Phương',
]
const PRODUCTS = ['EU/1/20/1528', 'EU/1/21/1529', 'EU/1/20/1507', 'EU/1/20/1525']

/**
 * `count` distinct passes (different holders, birth dates, products, dose numbers and dates), as
 * the JSON bodies of verify requests: the server sees a realistic mix, never one repeated pass.
 */
function buildPassBodies(
  keys: { dir: string; passphrase: string },
  count: number,
  now: Date,
): string[] {
  const active = loadActiveSigningKey({ dir: keys.dir, passphrase: keys.passphrase, now })
  const signer = createNodeSigner({
    privateKey: active.privateKey,
    alg: active.alg,
    kid: Buffer.from(active.kid, 'base64'),
  })
  const bodies: string[] = []
  for (let k = 0; k < count; k++) {
    const doses = 1 + (k % 3)
    const fullName = `${FAMILY[k % FAMILY.length]} ${MIDDLE[(k >> 2) % MIDDLE.length]} ${GIVEN[(k >> 4) % GIVEN.length]}`
    const dob = `${1940 + (k % 65)}-${String(1 + (k % 12)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`
    const built = buildVaccinationDcc(
      {
        cccd: `0${String(1 + (k % 96)).padStart(2, '0')}0${String(k).padStart(8, '0')}`,
        fullName,
        dob,
      },
      Array.from({ length: doses }, (_, j) => ({
        product: PRODUCTS[k % PRODUCTS.length]!,
        date: `2021-${String(3 + j * 3).padStart(2, '0')}-${String(1 + ((k + j) % 28)).padStart(2, '0')}`,
        doseNumber: j + 1,
      })),
      { issuer: 'Ministry of Health of Viet Nam' },
      now,
    )
    bodies.push(
      JSON.stringify({
        hc1: signHc1(built.payload, { signer, issuer: 'VN', iat: built.iat, exp: built.exp }),
      }),
    )
  }
  return bodies
}

/**
 * The verify route's own work without HTTP: the composed `verify` (the function the route calls,
 * trust store bound) over the same passes, per CPU-second of this process, i.e. the rate of one core.
 */
async function coreVerifyPerCpuSecond(
  keys: { dir: string; passphrase: string },
  hc1s: readonly string[],
): Promise<number> {
  const storage = await openDatabase({ DATABASE_URL: ':memory:' })
  try {
    const deps = await composeAppDeps(storage, { env: {}, now: () => new Date(), keys })
    const verify = deps.verify!
    const now = new Date()
    let best = 0
    let k = 0
    for (let round = 0; round < 3; round++) {
      let n = 0
      const start = performance.now()
      const cpu0 = process.cpuUsage()
      while (performance.now() - start < 400) {
        for (let i = 0; i < 20; i++) await verify(hc1s[k++ % hc1s.length]!, now)
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

/** One load phase: requests answered, their p99 latency, and what went wrong. */
interface Phase {
  readonly requests: number
  readonly seconds: number
  readonly p99Ms: number
  /** Answers other than 2xx: the bench then measures something else than valid verifications. */
  readonly non2xx: number
  /** Connection errors and timeouts (an overloaded server). */
  readonly errors: number
  /** CPU seconds the load generator spent (user + system). */
  readonly clientCpuS: number
}

/** A load generator: wrk (C, cheap per request) when installed, else autocannon (in this process). */
interface LoadTool {
  readonly name: string
  run(opts: {
    path: string
    post: boolean
    connections: number
    seconds: number
    rate?: number
  }): Promise<Phase>
}

function hasWrk(): boolean {
  if (process.env.BENCH_HTTP_TOOL === 'autocannon') return false
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined
}

/** wrk's latency figures carry their unit: `850.00us`, `12.31ms`, `1.02s`. */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text)
  if (!m) return Number.NaN
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm']
  return Number(m[1]) * scale
}

/**
 * wrk with a Lua script that cycles through the pass bodies (each thread from its own offset).
 * For a fixed rate the script's `delay()` spaces each thread's requests on a schedule read from
 * the monotonic clock (LuaJIT FFI), so the rate holds whatever the latency; wrk times each
 * request from when it is sent, like autocannon's `overallRate`.
 */
function wrkTool(url: string, dir: string, bodiesFile: string): LoadTool {
  const threads = 1
  const script = (path: string, post: boolean, rate: number | undefined) => {
    const file = join(dir, `wrk-${post ? 'post' : 'get'}-${rate ?? 'max'}.lua`)
    writeFileSync(
      file,
      `local bodies = {}
local i = 0
init = function(args)
  ${
    post
      ? `for line in io.lines("${bodiesFile}") do
    bodies[#bodies + 1] = wrk.format("POST", "${path}", {["Content-Type"] = "application/json"}, line)
  end`
      : `bodies[1] = wrk.format("GET", "${path}")`
  }
  i = math.random(#bodies)
end
request = function()
  i = i % #bodies + 1
  return bodies[i]
end
${
  rate === undefined
    ? ''
    : `local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local interval = ${(threads * 1000) / rate}
local nextAt = nil
delay = function()
  ffi.C.clock_gettime(1, ts)
  local now = tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  if nextAt == nil or nextAt < now - 1000 then nextAt = now end
  nextAt = nextAt + interval
  local wait = nextAt - now
  if wait < 0 then return 0 end
  return wait
end`
}
`,
    )
    return file
  }
  return {
    name: 'wrk',
    async run({ path, post, connections, seconds, rate }) {
      // sh reports the CPU time of wrk (its waited-for child) from its own /proc stat.
      const r = spawnSync(
        'sh',
        [
          '-c',
          'wrk "$@"; cat /proc/$$/stat >&2',
          'sh',
          `-t${threads}`,
          `-c${connections}`,
          `-d${seconds}s`,
          '--latency',
          '-s',
          script(path, post, rate),
          url,
        ],
        { encoding: 'utf8' },
      )
      if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`)
      const stat = /\) \S+ (.*)$/m.exec(r.stderr)?.[1]?.split(' ') ?? []
      const ticks = Number(stat[12]) + Number(stat[13])
      const requests = Number(/(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout)?.[1] ?? 0)
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? 0)
      const errors =
        /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
          .exec(r.stdout)
          ?.slice(1)
          .reduce((a, b) => a + Number(b), 0) ?? 0
      return {
        requests,
        seconds,
        p99Ms: wrkMs(/^\s+99%\s+(\S+)/m.exec(r.stdout)?.[1] ?? ''),
        non2xx,
        errors,
        clientCpuS: Number.isFinite(ticks) ? ticks / 100 : Number.NaN,
      }
    },
  }
}

/** autocannon in this process; the passes are its request sequence (each connection loops over it). */
function autocannonTool(url: string, bodies: readonly string[]): LoadTool {
  const headers = { 'content-type': 'application/json' }
  const requests = bodies.map((body) => ({
    method: 'POST' as const,
    path: VERIFY_PATH,
    headers,
    body,
  }))
  return {
    name: 'autocannon',
    async run({ path, post, connections, seconds, rate }) {
      const cpu0 = process.cpuUsage()
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: `${url}${path}`,
            connections,
            duration: seconds,
            ...(post ? { requests } : {}),
            ...(rate === undefined ? {} : { overallRate: rate }),
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        )
      })
      const cpu = process.cpuUsage(cpu0)
      return {
        requests: result.requests.total,
        seconds,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        clientCpuS: (cpu.user + cpu.system) / 1e6,
      }
    },
  }
}

/** CPU seconds used so far by a process and its descendants (Linux /proc; NaN elsewhere). */
function processTreeCpuSeconds(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return Number.NaN
  const ticksPerS = 100 // USER_HZ on Linux
  let sum = 0
  const walk = (p: number) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')
      sum += Number(fields[11]) + Number(fields[12])
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim()
        if (children !== '') for (const c of children.split(' ')) walk(Number(c))
      }
    } catch {
      // the process ended meanwhile
    }
  }
  walk(pid)
  return sum / ticksPerS
}

/** CPU seconds the whole machine spent busy so far (all processes, kernel included; Linux /proc). */
function machineBusyCpuSeconds(): number {
  if (!existsSync('/proc/stat')) return Number.NaN
  // cpu  user nice system idle iowait irq softirq steal ...
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const idle = ticks[3]! + (ticks[4] ?? 0)
  return (ticks.reduce((a, b) => a + b, 0) - idle) / 100 // USER_HZ on Linux
}

/**
 * The verify endpoint under load: a server of BENCH_HTTP_WORKERS processes (default 2;
 * bench/http-server.ts: the real app per worker over one SQLite file, a fresh keystore) and a
 * load generator in a second process over loopback: wrk when installed (its cost per request is
 * a fraction of autocannon's, and both share these cores with the server), else autocannon in
 * this process (BENCH_HTTP_TOOL=autocannon forces it). The requests cycle through
 * BENCH_HTTP_PASSES distinct passes (default 1,000). Measures the maximum rate of valid
 * verifications (`http_verify_per_s`) and the p99 latency at a fixed 5,000 req/s
 * (`http_verify_p99_ms`), the CPU time of the server (all its processes) and of the load
 * generator per request, beside two limits measured in the same run: GET /health on the same
 * server (the HTTP stack without verification) and the core verify rate of one CPU-second times
 * the workers. Durations are bounded (BENCH_HTTP_SECONDS, default 6 s per phase).
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
  const passes = Math.max(1, Number(process.env.BENCH_HTTP_PASSES ?? 1000))
  const connections = Math.max(1, Number(process.env.BENCH_HTTP_CONNECTIONS ?? 64))
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-http-bench-'))
  const passphrase = 'bench passphrase, not secret'
  const keys = { dir: join(dir, 'keys'), passphrase }
  const now = new Date()
  await initKeystore({ dir: keys.dir, passphrase, now })
  const bodies = buildPassBodies(keys, passes, now)
  const bodiesFile = join(dir, 'bodies.jsonl')
  writeFileSync(bodiesFile, bodies.join('\n') + '\n')
  const corePerS = await coreVerifyPerCpuSecond(
    keys,
    bodies.map((b) => (JSON.parse(b) as { hc1: string }).hc1),
  )

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./http-server.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        BENCH_KEYS_DIR: keys.dir,
        BENCH_KEYS_PASSPHRASE: passphrase,
        BENCH_HTTP_WORKERS: String(workers),
        BENCH_DB: join(dir, 'bench.db'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! })
      rl.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url))
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
    })
    // Check that the passes verify, so that the bench measures valid verifications.
    for (const body of bodies.slice(0, 50)) {
      const probe = await fetch(`${url}${VERIFY_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      const report = (await probe.json()) as { valid?: boolean }
      if (probe.status !== 200 || report.valid !== true)
        throw new Error('a bench pass does not verify')
    }
    const tool = hasWrk() ? wrkTool(url, dir, bodiesFile) : autocannonTool(url, bodies)
    const verifyPhase = async (rate?: number) => {
      const cpu0 = processTreeCpuSeconds(child.pid!)
      const busy0 = machineBusyCpuSeconds()
      const phase = await tool.run({
        path: VERIFY_PATH,
        post: true,
        connections,
        seconds,
        ...(rate ? { rate } : {}),
      })
      return {
        ...phase,
        serverCpuS: processTreeCpuSeconds(child.pid!) - cpu0,
        machineBusyS: machineBusyCpuSeconds() - busy0,
      }
    }

    await tool.run({ path: VERIFY_PATH, post: true, connections: 16, seconds: 3 }) // warm-up (JIT, pools)
    const fixed = await verifyPhase(FIXED_RATE)
    const max = await verifyPhase()
    // The framework's own ceiling in the same run (rate limit, hooks, routing; no verification).
    const health = await tool.run({
      path: '/health',
      post: false,
      connections,
      seconds: Math.min(seconds, 4),
    })
    const perS = Math.round(max.requests / max.seconds)
    const p99 = fixed.p99Ms
    const us = (cpuS: number, n: number) => ((cpuS * 1e6) / n).toFixed(0)
    if (!opts.json) {
      const load = loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')
      const bad = (p: Phase) =>
        p.non2xx + p.errors === 0
          ? ''
          : ` [${p.non2xx} non-2xx, ${p.errors} socket errors or timeouts]`
      const where = tool.name === 'wrk' ? 'its own process' : 'the bench process'
      process.stderr.write(
        `http: server of ${workers} worker process(es), ${tool.name} in ${where}, ${connections} connections, loopback, ` +
          `${passes} distinct passes; load average ${load} on ${availableCores()} cores\n` +
          `http verify: ${perS} verif/s (target >= ${TARGET_PER_S}), p99 ${max.p99Ms} ms at max rate${bad(max)}; ` +
          `CPU per request: server ${us(max.serverCpuS, max.requests)} us, ${tool.name} ${us(max.clientCpuS, max.requests)} us\n` +
          `http verify at ${FIXED_RATE}/s offered: ${Math.round(fixed.requests / fixed.seconds)}/s served, ` +
          `p99 ${p99} ms (target < ${TARGET_P99_MS} ms)${bad(fixed)}; CPU per request: server ${us(fixed.serverCpuS, fixed.requests)} us, ` +
          `${tool.name} ${us(fixed.clientCpuS, fixed.requests)} us\n` +
          `  limit: GET /health (same server, no verification): ${Math.round(health.requests / health.seconds)} req/s${bad(health)}\n` +
          `  machine in the max phase: server and ${tool.name} used ${((max.serverCpuS + max.clientCpuS) / max.seconds).toFixed(2)} ` +
          `of ${availableCores()} cores, everything else (other processes, unattributed kernel work) ${((max.machineBusyS - max.serverCpuS - max.clientCpuS) / max.seconds).toFixed(2)}; ` +
          `with all ${availableCores()} cores, their CPU per request would allow ` +
          `${Math.round((availableCores() * max.requests) / (max.serverCpuS + max.clientCpuS))}/s (a projection, not a measurement)\n` +
          `  limit: core verify ${Math.round(corePerS)}/s per CPU-second (${(1e6 / corePerS).toFixed(0)} us) x ${workers} workers = ` +
          `${Math.round(corePerS * workers)}/s (verify reaches ${Math.round((perS / (corePerS * workers)) * 100)}% of it)\n`,
      )
    }
    if (max.non2xx > 0 || fixed.non2xx > 0)
      throw new Error('the verify load got answers other than 200')
    return { http_verify_per_s: perS, http_verify_p99_ms: p99 }
  } finally {
    child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length
}

// Run alone: node --import tsx bench/http.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runHttpBench({ json: process.argv.includes('--json') })
  process.stdout.write(JSON.stringify(figures) + '\n')
}
