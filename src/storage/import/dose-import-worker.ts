import { parentPort, workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'
import { VaxpassError } from '../../core/errors.js'
import type { KnownDose } from '../../domain/registry/check-dose-order.js'
import { createSqliteRegisterLookup } from '../registry/link-dose-records.js'
import type { DoseInsert } from './bulk-loader.js'
import { checkDoseBatch } from './check-dose-batch.js'
import {
  DOSE_WIRE_NULL,
  DOSE_WIRE_SAME,
  DOSE_WIRE_WIDTH,
  DOSE_WORKER_AHEAD,
  type DoseWireBatch,
  type DoseWorkerMessage,
  type DoseWorkerSetup,
} from './dose-worker-protocol.js'
import { naturalKeyOrder } from './natural-key-order.js'
import { checkInThread, limitBytes, readFileChunks } from './run-import.js'

// The dose import's reader: reads the CSV, checks rows and links them on its own read-only
// connection, and posts checked batches to the main thread, which only inserts and commits.

const setup = workerData as DoseWorkerSetup
const port = parentPort
if (port === null) throw new TypeError('dose-import-worker runs as a worker thread')
const shared = new Int32Array(setup.shared)

const db = new BetterSqlite3(setup.dbPath, { readonly: true, fileMustExist: true })
db.pragma(`cache_size = -${Math.max(2048, Math.trunc(setup.cacheKib))}`)
// The keys as the outer loop (CROSS JOIN: SQLite keeps that order), one natural-key index search
// each, without the sorted temporary table an `IN (subquery)` builds. A person's doses still come
// in index order. The keys are distinct (a Set's).
const knownStmt = db
  .prepare(
    `SELECT d.person_key, d.dose_number, d.date, d.product
     FROM json_each(?) AS j CROSS JOIN dose_records AS d ON d.person_key = j.value`,
  )
  .raw(true)

// Doses accepted in batches sent but not yet committed: the database cannot show them yet.
// inFlight[i] belongs to batch number `dropped + i`.
const inFlight: Array<Map<string, KnownDose[]>> = []
let dropped = 0
let sent = 0

async function knownDoses(personKeys: readonly string[]): Promise<Map<string, KnownDose[]>> {
  // Batches committed before this query are in the database: forget their copies first.
  const committed = Atomics.load(shared, 0)
  while (dropped < committed && inFlight.length > 0) {
    inFlight.shift()
    dropped++
  }
  const out = new Map<string, KnownDose[]>()
  if (personKeys.length === 0) return out
  type Row = [string, number, string, string]
  for (const r of knownStmt.iterate(JSON.stringify(personKeys)) as Iterable<Row>) {
    let list = out.get(r[0])
    if (list === undefined) out.set(r[0], (list = []))
    list.push({ doseNumber: r[1], date: r[2], product: r[3] })
  }
  for (const batch of inFlight) {
    for (const key of personKeys) {
      const extra = batch.get(key)
      if (extra === undefined) continue
      let list = out.get(key)
      if (list === undefined) out.set(key, (list = []))
      for (const d of extra) {
        // A batch that committed after the counter was read is in both: keep one copy.
        const same = list.some(
          (k) => k.doseNumber === d.doseNumber && k.date === d.date && k.product === d.product,
        )
        if (!same) list.push(d)
      }
    }
  }
  return out
}

/** The accepted rows of a batch in the wire format of {@link DOSE_WIRE_WIDTH}. */
function toWire(
  accepted: readonly DoseInsert[],
  firstRow: number,
): { ints: Int32Array<ArrayBuffer>; ids: string; texts: string; dict: string[] } {
  const ints = new Int32Array(accepted.length * DOSE_WIRE_WIDTH)
  const dict: string[] = []
  const index = new Map<string, number>()
  const code = (s: string): number => {
    let i = index.get(s)
    if (i === undefined) {
      index.set(s, (i = dict.length))
      dict.push(s)
    }
    return i
  }
  let ids = ''
  let texts = ''
  let k = 0
  // In the natural key's order (see naturalKeyOrder): the main thread inserts in wire order.
  const keys = new Array<string>(accepted.length)
  for (let i = 0; i < accepted.length; i++) keys[i] = (accepted[i] as DoseInsert).personKey
  for (const j of naturalKeyOrder(keys)) {
    const r = accepted[j] as DoseInsert
    const link = r.link
    const cccd = r.cccd === '' ? null : r.cccd
    ids += r.personKey
    ints[k++] = r.personKey.length
    if (cccd === null) ints[k++] = DOSE_WIRE_NULL
    else if (cccd === r.personKey) ints[k++] = DOSE_WIRE_SAME
    else {
      ids += cccd
      ints[k++] = cccd.length
    }
    ids += r.dob
    ints[k++] = r.dob.length
    texts += r.fullName
    ints[k++] = r.fullName.length
    ints[k++] = code(r.sex)
    ints[k++] = code(r.product)
    ints[k++] = code(r.lot)
    ints[k++] = code(r.date)
    ints[k++] = r.doseNumber
    ints[k++] = code(r.siteCode)
    ints[k++] = r.sourceRow - firstRow
    if (link === undefined) {
      ints[k++] = DOSE_WIRE_NULL
      ints[k++] = DOSE_WIRE_NULL
      ints[k++] = DOSE_WIRE_NULL
      ints[k++] = DOSE_WIRE_NULL
    } else {
      const linked = link.linkedCccd
      if (linked === null) ints[k++] = DOSE_WIRE_NULL
      else if (linked === cccd) ints[k++] = DOSE_WIRE_SAME
      else {
        ids += linked
        ints[k++] = linked.length
      }
      ints[k++] = code(link.status)
      if (link.reason === null) ints[k++] = DOSE_WIRE_NULL
      else {
        texts += link.reason
        ints[k++] = link.reason.length
      }
      if (link.diff === null) ints[k++] = DOSE_WIRE_NULL
      else {
        texts += link.diff
        ints[k++] = link.diff.length
      }
    }
  }
  return { ints, ids, texts, dict }
}

async function run(): Promise<void> {
  const check = {
    ctx: {
      products: new Set(setup.products),
      sites: new Set(setup.sites),
      firstDate: setup.firstDate,
      today: setup.today,
    },
    ...(setup.allowedSites === null ? {} : { allowedSites: new Set(setup.allowedSites) }),
    knownDoses,
    ...(setup.link ? { lookup: createSqliteRegisterLookup(db) } : {}),
  }
  const kind = {
    columns: setup.columns,
    check: (records: Parameters<typeof checkDoseBatch>[0]) => checkDoseBatch(records, check),
  }
  const source = limitBytes(readFileChunks(setup.path, setup.offset), setup.maxBytes)
  const batches = checkInThread<DoseInsert>(source, kind, {
    offset: setup.offset,
    startRow: setup.startRow,
    limits: setup.limits,
    batchSize: setup.batchSize,
  })
  for await (const b of batches) {
    const mine = new Map<string, KnownDose[]>()
    for (const r of b.payload) {
      const list = mine.get(r.personKey)
      const dose = { doseNumber: r.doseNumber, date: r.date, product: r.product }
      if (list === undefined) mine.set(r.personKey, [dose])
      else list.push(dose)
    }
    inFlight.push(mine)
    const msg: DoseWireBatch = {
      type: 'batch',
      start: b.start,
      end: b.end,
      firstRow: b.firstRow,
      lastRow: b.lastRow,
      read: b.read,
      ...toWire(b.payload, b.firstRow),
      rejected: b.rejected,
      repeated: b.repeated,
      lineRows: b.lines.map((l) => l[0]),
      lineText: b.lines.map((l) => l[1]),
    }
    port!.postMessage(msg, [msg.ints.buffer])
    sent++
    // Stay at most DOSE_WORKER_AHEAD batches ahead of the commits (memory stays bounded).
    while (sent - Atomics.load(shared, 0) >= DOSE_WORKER_AHEAD) {
      if (Atomics.load(shared, 1) !== 0) return
      Atomics.wait(shared, 0, Atomics.load(shared, 0), 1000)
    }
    if (Atomics.load(shared, 1) !== 0) return
  }
}

function closeAll(): void {
  db.close()
}

run().then(
  () => {
    closeAll()
    port.postMessage({ type: 'done' } satisfies DoseWorkerMessage)
  },
  (err: unknown) => {
    closeAll()
    const e = err instanceof Error ? err : new Error(String(err))
    port.postMessage({
      type: 'error',
      code: err instanceof VaxpassError ? err.code : undefined,
      message: e.message,
      details:
        err instanceof VaxpassError && err.details !== undefined ? { ...err.details } : undefined,
    } satisfies DoseWorkerMessage)
  },
)
