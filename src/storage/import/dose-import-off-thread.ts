import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { VaxpassError } from '../../core/errors.js'
import { createDoseWireLoader } from '../sqlite/bulk-loader.js'
import type { Storage } from '../storage.js'
import {
  DOSE_WIRE_SOURCE_ROW,
  DOSE_WIRE_WIDTH,
  type DoseWireBatch,
  type DoseWorkerMessage,
  type DoseWorkerSetup,
} from './dose-worker-protocol.js'
import { readCsvRecords } from './read-csv-records.js'
import type { CheckedBatch, OffThreadCheck, ReadFrom } from './run-import.js'
import { readFileChunks } from './run-import.js'

/**
 * SQLite page cache for the import, KiB (`VAXPASS_IMPORT_CACHE_MB`, default 1 GiB): at 10
 * million rows the dose indexes take ~1 GB, and rows arrive in random key order, so a smaller
 * cache turns most index inserts into page reads. SQLite only allocates pages it uses.
 */
const IMPORT_CACHE_KIB = 1024 * Number(process.env.VAXPASS_IMPORT_CACHE_MB ?? 1024)
/** WAL pages between checkpoints during an import (64 MiB of 4 KiB pages, ~8 batches). */
const IMPORT_CHECKPOINT_PAGES = 16_384
/** The reader's cache (register and natural-key lookups), KiB. */
const READER_CACHE_KIB = 1024 * Number(process.env.VAXPASS_IMPORT_READER_CACHE_MB ?? 512)
/** Young generation of the reader: rows are short-lived garbage. */
const YOUNG_GENERATION_MB = 64

function workerUrl(): { url: URL | string; eval: boolean } {
  const fromSource = import.meta.url.endsWith('.ts')
  const url = new URL(
    fromSource ? './dose-import-worker.ts' : './dose-import-worker.js',
    import.meta.url,
  )
  if (!fromSource) return { url, eval: false }
  // `--import tsx` in execArgv does not reach a worker's loader on Node 20: a source-tree worker
  // starts from a bootstrap that registers tsx, then imports the worker module.
  const require = createRequire(import.meta.url)
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href
  return {
    url: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`,
    eval: true,
  }
}

/** What the dose worker checks rows against (the same as the in-thread check). */
export interface DoseWorkerChecks {
  readonly products: ReadonlySet<string>
  readonly sites: ReadonlySet<string>
  readonly allowedSites: ReadonlySet<string> | undefined
  readonly firstDate: string
  readonly today: string
  readonly link: boolean
  readonly columns: readonly string[]
}

/**
 * Starts the dose import's reader on a worker thread (SQLite files only; undefined otherwise, and
 * the import reads in its own thread): the worker reads the CSV, checks and links rows with its
 * own read-only connection, and this thread only inserts and commits, so both cores work. The
 * commits, job progress, rejects file and resume are the ones of the in-thread import.
 *
 * @example
 * const off = startDoseImportWorker(storage, from, checks)
 */
export function startDoseImportWorker(
  storage: Storage,
  from: ReadFrom,
  checks: DoseWorkerChecks,
): OffThreadCheck<DoseWireBatch> | undefined {
  if (storage.driver.kind !== 'sqlite') return undefined
  const dbPath = storage.driver.path
  if (dbPath === ':memory:' || dbPath === '') return undefined
  const handle = storage.driver.sqlite
  const shared = new SharedArrayBuffer(8)
  const flags = new Int32Array(shared)
  const setup: DoseWorkerSetup = {
    path: from.path,
    offset: from.offset,
    startRow: from.startRow,
    limits: from.limits,
    maxBytes: from.maxBytes,
    batchSize: from.batchSize,
    dbPath,
    columns: checks.columns,
    products: [...checks.products],
    sites: [...checks.sites],
    allowedSites: checks.allowedSites === undefined ? null : [...checks.allowedSites],
    firstDate: checks.firstDate,
    today: checks.today,
    link: checks.link,
    cacheKib: READER_CACHE_KIB,
    shared,
  }
  const previousCache = handle.pragma('cache_size', { simple: true }) as number
  if (previousCache > -IMPORT_CACHE_KIB) handle.pragma(`cache_size = -${IMPORT_CACHE_KIB}`)
  // Checkpoints every 64 MiB of WAL, on this connection right after a commit: the WAL then
  // starts over and stays that size. Checkpointing from the worker after every commit (the
  // third session) never let it start over (this thread was already writing the next batch), so
  // the WAL grew by the whole import, each commit extended the file, and hot index pages were
  // copied once per batch: 30% more checkpoint writes and ~10% of the worker's CPU at 1M rows.
  // Restored on close.
  const previousAutoCheckpoint = handle.pragma('wal_autocheckpoint', { simple: true }) as number
  handle.pragma(`wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`)
  const { url, eval: isEval } = workerUrl()
  const worker = new Worker(url, {
    eval: isEval,
    workerData: setup,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  })

  // Messages wait here until the import loop asks for them.
  const queue: Array<DoseWorkerMessage | { type: 'failed'; error: unknown }> = []
  let wake: (() => void) | undefined
  let finished = false
  const push = (m: DoseWorkerMessage | { type: 'failed'; error: unknown }) => {
    queue.push(m)
    wake?.()
  }
  worker.on('message', (m: DoseWorkerMessage) => push(m))
  worker.on('error', (error) => push({ type: 'failed', error }))
  worker.on('exit', (code) => {
    if (!finished) push({ type: 'failed', error: new Error(`the import reader stopped (${code})`) })
  })

  const loader = createDoseWireLoader(storage)
  const fieldsOf = async (b: DoseWireBatch, row: number) => {
    // Re-read the batch's bytes: only needed when another writer stored a row meanwhile.
    for await (const records of readCsvRecords(
      readFileChunks(from.path, b.start),
      from.limits,
      b.start,
      b.firstRow - 1,
    )) {
      for (const r of records) {
        if (r.row === row) return r.fields ?? undefined
        if (r.row > row || r.end > b.end) return undefined
      }
    }
    return undefined
  }
  const toChecked = (b: DoseWireBatch): CheckedBatch<DoseWireBatch> => ({
    start: b.start,
    end: b.end,
    firstRow: b.firstRow,
    lastRow: b.lastRow,
    read: b.read,
    payload: b,
    accepted: b.ints.length / DOSE_WIRE_WIDTH,
    acceptedRow: (i) => b.firstRow + (b.ints[i * DOSE_WIRE_WIDTH + DOSE_WIRE_SOURCE_ROW] as number),
    rejected: b.rejected,
    repeated: b.repeated,
    lines: b.lineRows.map((row, i) => [row, b.lineText[i] as string] as const),
    fieldsOf: (row) => fieldsOf(b, row),
  })

  async function* batches(): AsyncGenerator<CheckedBatch<DoseWireBatch>> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
      const m = queue.shift() as DoseWorkerMessage | { type: 'failed'; error: unknown }
      if (m.type === 'batch') yield toChecked(m)
      else if (m.type === 'done') {
        finished = true
        return
      } else if (m.type === 'error') {
        finished = true
        if (m.code !== undefined) {
          throw new VaxpassError(
            m.code,
            m.message,
            m.details === undefined ? {} : { details: m.details },
          )
        }
        throw new Error(m.message)
      } else {
        finished = true
        throw m.error
      }
    }
  }

  return {
    batches: batches(),
    commit: (payload, provenance, finish) => loader.commit(payload, provenance, finish),
    committed() {
      Atomics.add(flags, 0, 1)
      Atomics.notify(flags, 0)
    },
    async close() {
      finished = true
      Atomics.store(flags, 1, 1)
      Atomics.notify(flags, 0)
      await worker.terminate()
      if (handle.open) {
        handle.pragma(`cache_size = ${previousCache}`)
        handle.pragma(`wal_autocheckpoint = ${previousAutoCheckpoint}`)
      }
    },
  }
}
