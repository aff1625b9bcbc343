// The server side of the HTTP bench: a separate process, so the load generator does not share
// its event loop. With BENCH_HTTP_WORKERS > 1 (default 2) it is a node:cluster primary whose
// workers each build the real app over the same SQLite file (BENCH_DB), as `vaxpass serve
// --workers N` does. Prints one JSON line {url, workers} on stdout once every worker listens.
import { buildApp } from '../src/http/build-app.js'
import { composeAppDeps } from '../src/http/compose-app-deps.js'
import { announceListening, isServerWorker, runWorkerPrimary } from '../src/http/serve-workers.js'
import { listen } from '../src/http/server.js'
import { openDatabase } from '../src/storage/open-database.js'

const workers = Math.max(1, Number(process.env.BENCH_HTTP_WORKERS ?? 2))
const env = { DATABASE_URL: process.env.BENCH_DB ?? ':memory:' }

if (workers > 1 && !isServerWorker()) {
  // Migrate once before the workers open the file.
  await (await openDatabase(env)).close()
  await runWorkerPrimary({
    workers,
    onListening: (url) => process.stdout.write(JSON.stringify({ url, workers }) + '\n'),
    log: (line) => process.stderr.write(`${line}\n`),
  })
  process.exit(0)
}

const storage = await openDatabase(env)
const deps = await composeAppDeps(storage, {
  env: {},
  now: () => new Date(),
  keys: { dir: process.env.BENCH_KEYS_DIR!, passphrase: process.env.BENCH_KEYS_PASSPHRASE! },
})
// Production settings except the rate limit, which would otherwise answer 429 to the load.
const app = await buildApp({ ...deps, logger: false, limits: { rateMax: 1_000_000_000 } })
const url = await listen(app, { host: '127.0.0.1', port: 0 })
if (isServerWorker()) announceListening(url)
else process.stdout.write(JSON.stringify({ url, workers: 1 }) + '\n')
process.on('SIGTERM', () => {
  void app.close().then(() => storage.close()).then(() => process.exit(0))
})
