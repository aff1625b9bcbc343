import { VaxpassError } from '../core/errors.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import type { ActiveSigningKey } from '../storage/keystore/keystore.js'
import { loadIssuanceBatch, type IssuanceBatch } from '../storage/certificates/load-issuance-candidates.js'
import { writeIssuedBatch } from '../storage/certificates/write-certificates.js'
import type { Storage } from '../storage/storage.js'
import { startIssueWorkerPool, type IssueWorkerPool } from './worker-pool.js'
import { unpackIssued, type WorkerResult } from './worker-protocol.js'

/** Progress of a bulk run, reported about once a second. */
export interface IssueProgress {
  readonly processed: number
  readonly issued: number
  readonly total: number | null
  readonly ratePerSecond: number
  readonly etaSeconds: number | null
}

/** Options of {@link issueAll}. */
export interface IssueAllOptions {
  readonly key: ActiveSigningKey
  readonly config: IssuanceConfig
  readonly actor: string
  /** Worker threads; default all cores. */
  readonly workers?: number
  /**
   * Dose rows per batch (default 16,000), counted as two per person: a batch reads
   * `batchRows / 2` people. One batch is one transaction.
   */
  readonly batchRows?: number
  /** Queue holder messages (default true). */
  readonly notify?: boolean
  /** Count the eligible people first, for the ETA (default true). */
  readonly countTotal?: boolean
  readonly clock?: () => Date
  readonly onProgress?: (p: IssueProgress) => void
  /** Stop after this many batches (tests and benchmarks). */
  readonly maxBatches?: number
  /** An already started pool for this key (benchmarks warm it first); left open. */
  readonly pool?: IssueWorkerPool
}

/** What a bulk run did. */
export interface IssueAllSummary {
  readonly runId: number
  readonly resumed: boolean
  /** People looked at in this invocation. */
  readonly processed: number
  /** New certificates (first ones and supersessions). */
  readonly issued: number
  readonly superseded: number
  readonly unchanged: number
  readonly failed: number
  readonly failuresByCode: Record<string, number>
  readonly seconds: number
  readonly ratePerSecond: number
  readonly done: boolean
}

async function startOrResumeRun(
  storage: Storage,
  actor: string,
  now: Date,
): Promise<{ id: number; cursor: string; resumed: boolean }> {
  const running = await storage.db
    .selectFrom('issue_runs')
    .select(['id', 'cursor'])
    .where('status', '=', 'running')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (running !== undefined) return { id: Number(running.id), cursor: running.cursor, resumed: true }
  const at = now.toISOString()
  const row = await storage.db
    .insertInto('issue_runs')
    .values({ status: 'running', cursor: '', actor, started_at: at, updated_at: at, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: Number(row.id), cursor: '', resumed: false }
}

/** Bytes of the database file a bulk run reads through a memory map (SQLite caps it at ~2 GiB). */
const RUN_MMAP_BYTES = 2 ** 31

/**
 * On SQLite, has the connection read the database through a memory map for the run; returns
 * what restores the previous setting. A batch joins register rows spread all over the file: at
 * 1,000,000 people most are not in SQLite's cache, and each such read otherwise copies a whole
 * page (16 KiB) through a system call (reading and writing 1,000,000 people: 15.2 -> 10.9 us
 * of main-thread CPU per certificate).
 */
function mapDatabaseForRun(storage: Storage): () => void {
  if (storage.driver.kind !== 'sqlite') return () => {}
  const db = storage.driver.sqlite
  const before = Number(db.pragma('mmap_size', { simple: true }))
  db.pragma(`mmap_size = ${RUN_MMAP_BYTES}`)
  return () => {
    if (db.open) db.pragma(`mmap_size = ${before}`)
  }
}

async function countEligible(storage: Storage, after: string): Promise<number> {
  const row = await storage.db
    .selectFrom('dose_records')
    .select((eb) => eb.fn.count<number>('linked_cccd').distinct().as('n'))
    .where('link_status', '=', 'linked')
    .where('linked_cccd', '>', after)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * Issues certificates for every eligible person (linked to the register, with linked doses),
 * in CCCD order, using worker threads for build + sign + encode while the main thread reads and
 * writes. Each batch commits atomically together with the run's resume cursor, and at most one
 * active certificate per person is enforced by the database: after a crash or kill -9 the next
 * call resumes at the cursor, losing no committed certificate and issuing none twice. People
 * whose records are unchanged keep their certificate; changed ones are superseded.
 *
 * @example
 * const summary = await issueAll(storage, { key, config: { issuer: 'Ministry of Health' },
 *   actor: 'system:cli', onProgress: (p) => process.stderr.write(`${p.issued}\r`) })
 */
export async function issueAll(storage: Storage, options: IssueAllOptions): Promise<IssueAllSummary> {
  const clock = options.clock ?? (() => new Date())
  const started = Date.now()
  const run = await startOrResumeRun(storage, options.actor, clock())
  const total = options.countTotal === false ? null : await countEligible(storage, run.cursor)
  const pool =
    options.pool ??
    startIssueWorkerPool(
      {
        privateKeyPkcs8: options.key.privateKeyPkcs8,
        alg: options.key.alg,
        kidBytes: new Uint8Array(Buffer.from(options.key.kid, 'base64')),
        config: options.config,
      },
      options.workers,
    )
  const batchPeople = Math.max(1, Math.ceil((options.batchRows ?? 16_000) / 2))
  let processed = 0
  let issued = 0
  let superseded = 0
  let unchanged = 0
  let failed = 0
  const failuresByCode: Record<string, number> = {}
  let lastReport = 0
  let lastReported = -1
  let batches = 0
  let cursor = run.cursor
  let done = false

  const report = (force: boolean) => {
    if (!options.onProgress) return
    const t = Date.now()
    if (!force && t - lastReport < 1000) return
    if (force && lastReported === processed) return
    lastReport = t
    lastReported = processed
    const seconds = Math.max(0.001, (t - started) / 1000)
    const rate = processed / seconds
    options.onProgress({
      processed,
      issued,
      total,
      ratePerSecond: rate,
      etaSeconds: total === null || rate === 0 ? null : Math.max(0, (total - processed) / rate),
    })
  }

  type InFlight = {
    /** The batch without its worker records, which the workers own now. */
    batch: Omit<IssuanceBatch, 'wire' | 'wireEnds'>
    /** The first person of each slice, and the workers' results for the slices. */
    starts: number[]
    results: Promise<WorkerResult[]>
  }
  const inFlight: InFlight[] = []
  const unmap = mapDatabaseForRun(storage)

  const commit = async (job: InFlight) => {
    const results = await job.results
    const { batch } = job
    const now = clock()
    const uvci: string[] = []
    const personCccd: string[] = []
    const contentHash: string[] = []
    const hc1: Uint8Array[] = []
    const supersedes: Array<string | null> = []
    const phone: Array<string | null> = []
    const email: Array<string | null> = []
    let iat = 0
    let exp = 0
    let batchUnchanged = 0
    let batchFailed = 0
    let batchSuperseded = 0
    for (let r = 0; r < results.length; r++) {
      const res = results[r]!
      const base = job.starts[r]!
      batchUnchanged += res.unchanged
      for (let k = 0; k < res.failures.length; k += 2) {
        const code = res.failures[k + 1] as string
        failuresByCode[code] = (failuresByCode[code] ?? 0) + 1
        batchFailed++
      }
      if (res.count > 0) {
        // Every slice of a batch is built with the same `now`, hence the same iat and exp.
        if (iat === 0) {
          iat = res.iat
          exp = res.exp
        } else if (iat !== res.iat || exp !== res.exp) {
          throw new VaxpassError('ERR_INTERNAL', 'the slices of a batch disagree on iat/exp')
        }
      }
      unpackIssued(res, (person, id, hash, text) => {
        const p = base + person
        uvci.push(id)
        contentHash.push(hash)
        hc1.push(text)
        personCccd.push(batch.cccd[p]!)
        const old = batch.activeUvci[p] ?? null
        if (old !== null) batchSuperseded++
        supersedes.push(old)
        phone.push(batch.phone[p] ?? null)
        email.push(batch.email[p] ?? null)
      })
    }
    const count = uvci.length
    await writeIssuedBatch(
      storage,
      { kid: options.key.kid, iat: new Date(iat), exp: new Date(exp), uvci, personCccd, contentHash, hc1, supersedes, phone, email },
      {
        now,
        actor: options.actor,
        runId: run.id,
        notify: options.notify ?? true,
        alsoInTransaction: async (trx) => {
          await trx
            .updateTable('issue_runs')
            .set((eb) => ({
              cursor: batch.cursor,
              updated_at: now.toISOString(),
              issued: eb('issued', '+', count),
              superseded: eb('superseded', '+', batchSuperseded),
              unchanged: eb('unchanged', '+', batchUnchanged),
              failed: eb('failed', '+', batchFailed),
            }))
            .where('id', '=', run.id)
            .execute()
        },
      },
    )
    processed += batch.people
    issued += count
    superseded += batchSuperseded
    unchanged += batchUnchanged
    failed += batchFailed
    report(false)
  }

  try {
    while (!done) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) break
      const batch = await loadIssuanceBatch(storage, { after: cursor, limit: batchPeople })
      done = batch.done
      cursor = batch.cursor
      batches++
      if (batch.people > 0) {
        // Split the batch across the workers so that all cores sign at once; each slice is one
        // flat array of strings, so crossing the thread boundary copies no object per person.
        const parts = Math.min(pool.size, batch.people)
        const now = clock()
        const starts: number[] = []
        const jobs: Array<Promise<WorkerResult>> = []
        const { wire, wireEnds } = batch
        for (let k = 0; k < parts; k++) {
          const from = Math.floor((k * batch.people) / parts)
          const to = Math.floor(((k + 1) * batch.people) / parts)
          if (to <= from) continue
          starts.push(from)
          // Each slice gets buffers of its own (copies of its bytes), handed over to the worker.
          const start = from === 0 ? 0 : wireEnds[from - 1]!
          const ends = wireEnds.slice(from, to)
          for (let i = 0; i < ends.length; i++) ends[i]! -= start
          jobs.push(pool.run(wire.slice(start, wireEnds[to - 1]), ends, now, from))
        }
        const results = Promise.all(jobs)
        results.catch(() => {}) // awaited in commit; avoid an unhandled rejection meanwhile
        const { cccd, phone, email, activeUvci, people, cursor: batchCursor, done: batchDone } = batch
        inFlight.push({ batch: { cccd, phone, email, activeUvci, people, cursor: batchCursor, done: batchDone }, starts, results })
      }
      // Up to three batches in flight: while the main thread writes the oldest, the workers
      // always have the next one queued behind the one they are signing (no idle core).
      while (inFlight.length >= 3 || (done && inFlight.length > 0)) await commit(inFlight.shift()!)
    }
    while (inFlight.length > 0) await commit(inFlight.shift()!)
  } catch (cause) {
    throw cause instanceof VaxpassError
      ? cause
      : new VaxpassError('ERR_INTERNAL', 'bulk issuing stopped; run it again to resume', { cause })
  } finally {
    unmap()
    if (options.pool === undefined) await pool.close()
  }
  if (done) {
    const at = clock().toISOString()
    await storage.db
      .updateTable('issue_runs')
      .set({ status: 'done', finished_at: at, updated_at: at })
      .where('id', '=', run.id)
      .execute()
  }
  report(true)
  const seconds = (Date.now() - started) / 1000
  return {
    runId: run.id,
    resumed: run.resumed,
    processed,
    issued,
    superseded,
    unchanged,
    failed,
    failuresByCode,
    seconds,
    ratePerSecond: seconds > 0 ? processed / seconds : 0,
    done,
  }
}
