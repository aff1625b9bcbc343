// The server side of the HTTP bench: a separate process, so the load generator does not share
// its event loop. Prints one JSON line {url} on stdout once listening on 127.0.0.1.
import { buildApp } from '../src/http/build-app.js'
import { composeAppDeps } from '../src/http/compose-app-deps.js'
import { listen } from '../src/http/server.js'
import { openDatabase } from '../src/storage/open-database.js'

const storage = await openDatabase({ DATABASE_URL: ':memory:' })
const deps = await composeAppDeps(storage, {
  env: {},
  now: () => new Date(),
  keys: { dir: process.env.BENCH_KEYS_DIR!, passphrase: process.env.BENCH_KEYS_PASSPHRASE! },
})
// Production settings except the rate limit, which would otherwise answer 429 to the load.
const app = await buildApp({ ...deps, logger: false, limits: { rateMax: 1_000_000_000 } })
const url = await listen(app, { host: '127.0.0.1', port: 0 })
process.stdout.write(JSON.stringify({ url }) + '\n')
process.on('SIGTERM', () => {
  void app.close().then(() => storage.close()).then(() => process.exit(0))
})
