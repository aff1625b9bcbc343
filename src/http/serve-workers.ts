import cluster, { type Worker } from 'node:cluster'

/** Environment variable through which the primary tells each worker how many there are. */
export const WORKER_COUNT_ENV = 'VAXPASS_WORKER_COUNT'

const LISTENING = 'vaxpass:listening'
const MAX_WORKERS = 64

/**
 * The number of server processes: `--workers N`, else `WEB_CONCURRENCY`, else 1. Throws a
 * RangeError (a usage error) for anything but an integer 1-64.
 *
 * @example
 * resolveWorkerCount(undefined, { WEB_CONCURRENCY: '2' }) // 2
 */
export function resolveWorkerCount(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): number {
  const raw = flag ?? env.WEB_CONCURRENCY
  if (raw === undefined || raw.trim() === '') return 1
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new RangeError(`--workers / WEB_CONCURRENCY must be an integer from 1 to ${MAX_WORKERS}`)
  }
  return n
}

/**
 * True in a process forked by {@link runWorkerPrimary}: it serves, and leaves the one-off work
 * (migrations, demo seed, issuing) to the primary.
 *
 * @example
 * if (isServerWorker()) await serveUntilStopped(storage, options)
 */
export function isServerWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_COUNT_ENV] !== undefined
}

/**
 * How many server processes share the port (1 outside a cluster). Per-process state such as the
 * in-memory rate-limit counters is sized with it.
 *
 * @example
 * const perProcess = Math.ceil(600 / serverWorkerCount())
 */
export function serverWorkerCount(): number {
  const n = Number(process.env[WORKER_COUNT_ENV] ?? 1)
  return Number.isInteger(n) && n >= 1 ? n : 1
}

/**
 * In a worker: tells the primary that this worker listens at `url`.
 *
 * @example
 * announceListening('http://127.0.0.1:8080')
 */
export function announceListening(url: string): void {
  process.send?.({ type: LISTENING, url })
}

/**
 * The primary of a multi-process server (node:cluster): forks `workers` copies of this command,
 * each building its own app over the same database and sharing the listening socket (the primary
 * hands connections out round-robin). Calls `onListening` once every worker listens; restarts a
 * worker that dies after it was up; stops with an error when one dies before listening (a start-up
 * failure such as a wrong key passphrase, already explained on stderr by the worker). Resolves
 * after SIGINT/SIGTERM once every worker has closed.
 *
 * @example
 * await runWorkerPrimary({ workers: 2, onListening: (url) => console.log(url), log: console.error })
 */
export async function runWorkerPrimary(options: {
  readonly workers: number
  readonly onListening: (url: string) => void
  readonly log: (line: string) => void
}): Promise<void> {
  let stopping = false
  let announced = false
  const up = new Set<number>()
  const alive = new Set<Worker>()

  await new Promise<void>((resolve, reject) => {
    const stopAll = (error?: Error) => {
      if (stopping) return
      stopping = true
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      for (const w of alive) w.process.kill('SIGTERM')
      const force = setTimeout(() => {
        for (const w of alive) w.process.kill('SIGKILL')
      }, 10_000)
      force.unref()
      allExited = () => {
        clearTimeout(force)
        if (error) reject(error)
        else resolve()
      }
      if (alive.size === 0) allExited()
    }
    let allExited = () => {}
    const onSignal = () => stopAll()
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)

    const fork = () => {
      const worker = cluster.fork({ [WORKER_COUNT_ENV]: String(options.workers) })
      alive.add(worker)
      worker.on('message', (m: { type?: string; url?: string }) => {
        if (m?.type !== LISTENING || typeof m.url !== 'string') return
        up.add(worker.id)
        if (!announced && up.size >= options.workers) {
          announced = true
          options.onListening(m.url)
        }
      })
      worker.on('exit', (code, signal) => {
        alive.delete(worker)
        const wasUp = up.delete(worker.id)
        if (stopping) {
          if (alive.size === 0) allExited()
          return
        }
        if (!wasUp) {
          stopAll(new Error(`a server worker stopped during start-up (exit ${code ?? signal})`))
          return
        }
        options.log(`server worker ${worker.id} stopped (exit ${code ?? signal}); starting another`)
        fork()
      })
    }
    for (let i = 0; i < options.workers; i++) fork()
  })
}
