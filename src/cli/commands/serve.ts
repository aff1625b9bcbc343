import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import type { AppDeps } from '../../http/app-deps.js'
import { buildApp, DEFAULT_LIMITS } from '../../http/build-app.js'
import { composeAppDeps } from '../../http/compose-app-deps.js'
import { listen, listenOptionsFromEnv } from '../../http/server.js'
import {
  announceListening,
  isServerWorker,
  resolveWorkerCount,
  runWorkerPrimary,
  serverWorkerCount,
} from '../../http/serve-workers.js'
import { outboxAdaptersFromEnv, type ConfiguredDelivery } from '../../storage/delivery/outbox-adapters-from-env.js'
import { startOutboxDelivery } from '../../storage/delivery/run-outbox-delivery.js'
import { openDatabase } from '../../storage/open-database.js'
import type { Storage } from '../../storage/storage.js'
import { CliExit } from '../cli-exit.js'

/**
 * Where the built web apps are looked for: `VAXPASS_WEB_ROOT`, else the package's `dist/web`
 * (scripts/build-web.mjs output), wherever the server is started from.
 */
export function resolveWebRoot(env: Readonly<Record<string, string | undefined>>): string | undefined {
  // This file is dist/cli/commands/serve.js when built, src/cli/commands/serve.ts under tsx.
  const packageRoot = fileURLToPath(new URL('../../../', import.meta.url))
  const root = env.VAXPASS_WEB_ROOT ? resolve(env.VAXPASS_WEB_ROOT) : join(packageRoot, 'dist', 'web')
  return existsSync(join(root, 'index.html')) ? root : undefined
}

/**
 * Builds the app over `storage`, listens on PORT/HOST, calls `onListening` with the address, and
 * resolves when SIGINT or SIGTERM has closed the server and the database. The SMS and e-mail
 * gateways come from the environment (outboxAdaptersFromEnv); with one configured, pending
 * outbox messages are delivered every 30 s by this process (the primary, with workers).
 *
 * @example
 * await serveUntilStopped(storage, { env: process.env, onListening: (url) => console.log(url) })
 */
export async function serveUntilStopped(
  storage: Storage,
  options: {
    env: Readonly<Record<string, string | undefined>>
    keys?: { dir: string; passphrase: string }
    extra?: Partial<AppDeps>
    /** Server processes (node:cluster) sharing the port; default 1 (this process serves). */
    workers?: number
    /** `storesCodes`: a channel has no gateway, so its one-time codes stay in the outbox table. */
    onListening: (url: string, delivery: { storesCodes: boolean }) => void
  },
): Promise<void> {
  let listenOptions
  let delivery: ConfiguredDelivery
  try {
    listenOptions = listenOptionsFromEnv(options.env)
    delivery = outboxAdaptersFromEnv(options.env)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    throw new CliExit(2)
  }
  const workers = options.workers ?? 1
  const delivering =
    delivery.sends && !isServerWorker()
      ? startOutboxDelivery(storage, delivery.adapters, {
          now: () => new Date(),
          onRound: (r) =>
            process.stderr.write(
              'error' in r
                ? `outbox delivery failed: ${(r.error as Error).message}\n`
                : `outbox: ${r.sent} delivered, ${r.failed} failed\n`,
            ),
        })
      : undefined
  try {
    await serveWith(storage, options, listenOptions, delivery, workers)
  } finally {
    await delivering?.stop()
    delivery.close()
  }
}

async function serveWith(
  storage: Storage,
  options: Parameters<typeof serveUntilStopped>[1],
  listenOptions: ReturnType<typeof listenOptionsFromEnv>,
  delivery: ConfiguredDelivery,
  workers: number,
): Promise<void> {
  const info = { storesCodes: delivery.storesCodes }
  if (workers > 1 && !isServerWorker()) {
    if (storage.kind === 'sqlite' && /^(sqlite:)?:memory:$/.test(options.env.DATABASE_URL ?? '')) {
      process.stderr.write('error: an in-memory database cannot be shared by several workers\n')
      throw new CliExit(2)
    }
    try {
      await runWorkerPrimary({ workers, onListening: (url) => options.onListening(url, info), log: (line) => process.stderr.write(`${line}\n`) })
    } catch (err) {
      process.stderr.write(`error: ${(err as Error).message}\n`)
      throw new CliExit(1)
    }
    return
  }
  const deps = await composeAppDeps(storage, {
    env: options.env,
    now: () => new Date(),
    ...(options.keys ? { keys: options.keys } : {}),
    outboxAdapters: delivery.adapters,
  })
  const webRoot = resolveWebRoot(options.env)
  // Rate-limit counters live in each process's memory and the primary deals connections out
  // round-robin: each of N workers allows 1/N of the per-IP limit, so the server as a whole never
  // allows more than the limit (a client on one keep-alive connection gets 1/N of it).
  const perProcess = serverWorkerCount()
  const app = await buildApp({
    ...deps,
    ...(perProcess > 1 ? { limits: { rateMax: Math.ceil(DEFAULT_LIMITS.rateMax / perProcess) } } : {}),
    ...options.extra,
    logger: { level: options.env.LOG_LEVEL ?? 'info' },
    ...(webRoot ? { webRoot } : {}),
    secureCookies: options.env.VAXPASS_SECURE_COOKIES === '1',
  })
  const url = await listen(app, listenOptions)
  if (isServerWorker()) announceListening(url)
  else options.onListening(url, info)
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      done()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await app.close()
  // A cluster worker's IPC channel would keep it alive: let it exit once its work is closed.
  if (isServerWorker()) process.disconnect?.()
}

/** Reads `--workers` / WEB_CONCURRENCY, printing a usage error (exit 2) when it is not 1-64. */
export function workersOption(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): number {
  try {
    return resolveWorkerCount(flag, env)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    throw new CliExit(2)
  }
}

/**
 * `vaxpass serve`: serves the API (and the web apps when built) over the configured database,
 * without any demo step. The key passphrase comes from the environment.
 *
 * @example
 * registerServe(program)
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and web apps on PORT (default 8080), HOST (default 127.0.0.1)')
    .option('--json', 'print the address as JSON')
    .option('--workers <n>', 'server processes sharing the port (default WEB_CONCURRENCY or 1)')
    .action(async (opts: { json?: boolean; workers?: string }) => {
      const workers = workersOption(opts.workers, process.env)
      const storage = await openDatabase(process.env)
      try {
        await serveUntilStopped(storage, {
          env: process.env,
          workers,
          onListening: (url, { storesCodes }) => {
            // Say where the codes are, every time the server is up without a gateway (README,
            // Security). Said once listening, so that a start-up error comes first.
            if (storesCodes) {
              process.stderr.write(
                'warning: SMS or e-mail has no gateway configured (VAXPASS_SMS_URL, VAXPASS_SMTP_URL): its one-time codes are kept in the outbox table in clear\n',
              )
            }
            process.stdout.write(
              opts.json === true
                ? JSON.stringify({ url, workers }) + '\n'
                : `vaxpass listening on ${url} (API docs at ${url}/docs${workers > 1 ? `, ${workers} worker processes` : ''})\n`,
            )
          },
        })
      } finally {
        await storage.close()
      }
    })
}
