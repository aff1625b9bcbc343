import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { WorkerRequest, WorkerResponse, WorkerResult, WorkerSetup } from './worker-protocol.js'

function tsxBootstrap(worker: URL): string {
  const require = createRequire(import.meta.url)
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker.href)}) })`
}

const YOUNG_GENERATION_MB = Number(process.env.VAXPASS_ISSUE_YOUNG_MB ?? 64)

/** A fixed set of issuing workers; each request goes to the least busy one. */
export interface IssueWorkerPool {
  readonly size: number
  /**
   * Builds and signs one packed slice (see {@link WorkerRequest}); `ends.length` people. Both
   * buffers are transferred to the worker: the caller must not use them afterwards. `first` is
   * the slice's first person's position in its batch (default 0): a batch's UVCIs then sort in
   * the order its certificates are stored.
   */
  run(wire: Uint8Array, ends: Uint32Array, now: Date, first?: number): Promise<WorkerResult>
  close(): Promise<void>
}

/**
 * Starts `size` worker threads (default: all cores). From a `.ts` source tree (tests, tsx) the
 * worker is loaded through tsx; from `dist` the compiled `.js` runs directly.
 *
 * @example
 * const pool = startIssueWorkerPool(setup)
 * const { count } = await pool.run(wire, ends, new Date())
 */
export function startIssueWorkerPool(setup: WorkerSetup, size = availableParallelism()): IssueWorkerPool {
  const fromSource = import.meta.url.endsWith('.ts')
  const url = new URL(fromSource ? './issue-worker.ts' : './issue-worker.js', import.meta.url)
  // `--import tsx` in a worker's execArgv does not reach the worker's module loader on Node 20,
  // so a source-tree worker starts from a tiny bootstrap that registers tsx, then imports it.
  const bootstrap = fromSource ? tsxBootstrap(url) : undefined
  const workers: Array<{ worker: Worker; busy: number }> = []
  const waiting = new Map<number, { resolve: (r: WorkerResult) => void; reject: (e: unknown) => void; slot: number }>()
  let nextId = 1
  let failure: unknown
  const n = Math.max(1, Math.trunc(size))
  // Every certificate allocates short-lived payload, CBOR and string garbage: a larger young
  // generation lets most of it die before a scavenge has to copy it.
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }
  for (let i = 0; i < n; i++) {
    const worker =
      bootstrap === undefined
        ? new Worker(url, { workerData: setup, resourceLimits })
        : new Worker(bootstrap, { eval: true, workerData: setup, resourceLimits })
    const slot = i
    worker.on('message', (msg: WorkerResponse) => {
      const w = waiting.get(msg.id)
      if (w === undefined) return
      waiting.delete(msg.id)
      workers[w.slot]!.busy--
      w.resolve(msg.result)
    })
    worker.on('error', (err) => {
      failure = err
      for (const [id, w] of waiting) {
        if (w.slot === slot) {
          waiting.delete(id)
          w.reject(err)
        }
      }
    })
    workers.push({ worker, busy: 0 })
  }
  return {
    size: n,
    run(wire, ends, now, first = 0) {
      if (failure !== undefined) return Promise.reject(failure)
      let best = 0
      for (let i = 1; i < workers.length; i++) if (workers[i]!.busy < workers[best]!.busy) best = i
      const id = nextId++
      const w = workers[best]!
      w.busy++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, slot: best })
        const req: WorkerRequest = { id, now: now.getTime(), first, wire, ends }
        w.worker.postMessage(req, [wire.buffer as ArrayBuffer, ends.buffer as ArrayBuffer])
      })
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()))
    },
  }
}
