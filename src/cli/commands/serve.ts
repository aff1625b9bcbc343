import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import type { AppDeps } from '../../http/app-deps.js'
import { buildApp } from '../../http/build-app.js'
import { composeAppDeps } from '../../http/compose-app-deps.js'
import { listen, listenOptionsFromEnv } from '../../http/server.js'
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
 * resolves when SIGINT or SIGTERM has closed the server and the database.
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
    onListening: (url: string) => void
  },
): Promise<void> {
  let listenOptions
  try {
    listenOptions = listenOptionsFromEnv(options.env)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    throw new CliExit(2)
  }
  const deps = await composeAppDeps(storage, {
    env: options.env,
    now: () => new Date(),
    ...(options.keys ? { keys: options.keys } : {}),
  })
  const webRoot = resolveWebRoot(options.env)
  const app = await buildApp({
    ...deps,
    ...options.extra,
    logger: { level: options.env.LOG_LEVEL ?? 'info' },
    ...(webRoot ? { webRoot } : {}),
    secureCookies: options.env.VAXPASS_SECURE_COOKIES === '1',
  })
  const url = await listen(app, listenOptions)
  options.onListening(url)
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
    .action(async (opts: { json?: boolean }) => {
      const storage = await openDatabase(process.env)
      try {
        await serveUntilStopped(storage, {
          env: process.env,
          onListening: (url) =>
            process.stdout.write(opts.json === true ? JSON.stringify({ url }) + '\n' : `vaxpass listening on ${url} (API docs at ${url}/docs)\n`),
        })
      } finally {
        await storage.close()
      }
    })
}
