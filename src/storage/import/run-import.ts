import { createHash } from 'node:crypto'
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs'
import { VaxpassError } from '../../core/errors.js'
import type { RejectReason } from '../../domain/registry/reject-reason.js'
import type { Storage } from '../storage.js'
import type { BatchProvenance, JobProgress } from './bulk-loader.js'
import type { ImportInput, ImportOptions, ImportProgress, ImportResult } from './import-types.js'
import {
  formatCsvLine,
  readCsvRecords,
  type CsvLimits,
  type CsvRecord,
} from './read-csv-records.js'

/** A row the kind-specific step rejected, or one found to be a duplicate. */
export interface RowVerdict<T> {
  readonly accepted: T[]
  readonly rejected: Array<{ readonly record: CsvRecord; readonly reason: RejectReason }>
  /**
   * Rows repeated within the batch, or already stored (known before inserting): counted as
   * duplicates and written to rejects, never sent to the database.
   */
  readonly repeated: CsvRecord[]
}

/** What differs between the dose and register imports. */
export interface ImportKind<T extends { sourceRow: number }> {
  readonly kind: 'doses' | 'register'
  readonly columns: readonly string[]
  /** Validates a batch of readable records (order checks may query the database). */
  check(records: readonly CsvRecord[]): Promise<RowVerdict<T>>
  commit(
    rows: readonly T[],
    provenance: BatchProvenance,
    finish: (ins: ReadonlySet<number>) => Promise<JobProgress>,
  ): Promise<void>
  /**
   * Reads and checks the file somewhere else (a worker thread) while this thread only commits;
   * returns undefined to read and check here. Only offered for a file path.
   */
  offThread?(from: ReadFrom): OffThreadCheck<unknown> | undefined
}

/** Where reading starts: the file, and what an interrupted job had already committed. */
export interface ReadFrom {
  readonly path: string
  readonly offset: number
  /** Data rows before `offset` (-1: none, the header is still to come). */
  readonly startRow: number
  readonly limits: CsvLimits
  readonly maxBytes: number
  readonly batchSize: number
}

/**
 * One checked batch, ready to commit: what to insert (`payload`, in the shape the committer
 * takes), the source rows of those rows in order, and the rejects lines already formatted.
 */
export interface CheckedBatch<P> {
  /** File offset where the batch's first record starts, and just after its last one. */
  readonly start: number
  readonly end: number
  readonly firstRow: number
  readonly lastRow: number
  /** Records in the batch (readable or not). */
  readonly read: number
  readonly payload: P
  /** How many rows `payload` holds, and the source row of the i-th. */
  readonly accepted: number
  acceptedRow(i: number): number
  /** Rows rejected (unreadable or refused by the check), and repeated (known duplicates). */
  readonly rejected: number
  readonly repeated: number
  /** Rejects lines of those rows, in row order. */
  readonly lines: ReadonlyArray<readonly [number, string]>
  /** The original fields of an accepted row (only asked for when the insert found it stored). */
  fieldsOf(row: number): Promise<readonly string[] | undefined>
}

/** A reader-checker running elsewhere, and how its batches are committed here. */
export interface OffThreadCheck<P> {
  readonly batches: AsyncIterable<CheckedBatch<P>>
  commit(
    payload: P,
    provenance: BatchProvenance,
    finish: (ins: ReadonlySet<number>) => Promise<JobProgress>,
  ): Promise<void>
  /** Called after each committed batch: its doses are now visible to other connections. */
  committed(): void
  close(): Promise<void>
}

const DEFAULTS = {
  batchSize: 20_000,
  maxFileBytes: 64 * 1024 ** 3,
  maxLineBytes: 16 * 1024,
  maxFieldChars: 1024,
}

const CHUNK = 1 << 20

/**
 * The file's bytes from `start`, 1 MiB at a time, read synchronously: the import is CPU-bound
 * and a page-cache read is faster inline than through the thread pool. Constant memory.
 */
export function* readFileChunks(path: string, start: number): Generator<Buffer> {
  const fd = openSync(path, 'r')
  try {
    let pos = start
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK)
      const n = readSync(fd, buf, 0, CHUNK, pos)
      if (n === 0) return
      pos += n
      yield n === CHUNK ? buf : buf.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}

function hashFile(path: string): string {
  const h = createHash('sha256')
  for (const chunk of readFileChunks(path, 0)) h.update(chunk)
  return h.digest('hex')
}

export async function* limitBytes(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  max: number,
): AsyncGenerator<Buffer | string> {
  let total = 0
  for await (const chunk of source) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
    if (total > max) {
      throw new VaxpassError('ERR_IMPORT_FILE_TOO_LARGE', `input is larger than ${max} bytes`, {
        details: { maxBytes: max },
      })
    }
    yield chunk
  }
}

/**
 * The bulk import engine shared by dose and register imports: reads the CSV in constant memory,
 * validates, commits in batches (each batch and its job progress in one transaction), writes
 * rejects, and resumes an interrupted job for the same file (SHA-256 and size) from its last
 * committed batch.
 */
export async function runImport<T extends { sourceRow: number }>(
  storage: Storage,
  input: ImportInput,
  kind: ImportKind<T>,
  options: ImportOptions,
): Promise<ImportResult> {
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? DEFAULTS.batchSize))
  const limits = {
    maxLineBytes: options.maxLineBytes ?? DEFAULTS.maxLineBytes,
    maxFieldChars: options.maxFieldChars ?? DEFAULTS.maxFieldChars,
  }
  const maxFileBytes = options.maxFileBytes ?? DEFAULTS.maxFileBytes
  const now = options.now ?? (() => new Date())
  const enteredBy = options.enteredBy ?? 'system:import'

  let fileName = '<stream>'
  let fileHash: string | null = null
  let fileSize: number | null = null
  if (typeof input === 'string') {
    fileName = input.split(/[\\/]/).pop() ?? input
    try {
      fileSize = statSync(input).size
    } catch (cause) {
      throw new VaxpassError('ERR_IMPORT_IO', `cannot read ${fileName}`, { cause })
    }
    if (fileSize > maxFileBytes) {
      throw new VaxpassError(
        'ERR_IMPORT_FILE_TOO_LARGE',
        `${fileName} is ${fileSize} bytes, more than the limit of ${maxFileBytes}`,
        { details: { size: fileSize, maxBytes: maxFileBytes } },
      )
    }
    try {
      fileHash = hashFile(input)
    } catch (cause) {
      throw new VaxpassError('ERR_IMPORT_IO', `cannot read ${fileName}`, { cause })
    }
  }

  // An unfinished job for the same file resumes; anything else starts a new job.
  const previous =
    fileHash === null
      ? undefined
      : await storage.db
          .selectFrom('import_jobs')
          .selectAll()
          .where('kind', '=', kind.kind)
          .where('file_hash', '=', fileHash)
          .where('file_size', '=', fileSize)
          .where('status', '=', 'running')
          .orderBy('id', 'desc')
          .executeTakeFirst()
  const startedAt = now().toISOString()
  let jobId: number
  let counts = { read: 0, inserted: 0, duplicate: 0, rejected: 0 }
  let offset = 0
  let committedRow = 0
  let rejectsBytes = 0
  if (previous !== undefined) {
    jobId = Number(previous.id)
    counts = {
      read: Number(previous.read),
      inserted: Number(previous.inserted),
      duplicate: Number(previous.duplicate),
      rejected: Number(previous.rejected),
    }
    offset = Number(previous.committed_offset)
    committedRow = Number(previous.committed_row)
    rejectsBytes = Number(previous.rejects_bytes)
  } else {
    const row = await storage.db
      .insertInto('import_jobs')
      .values({
        kind: kind.kind,
        file_name: fileName,
        file_hash: fileHash,
        file_size: fileSize,
        status: 'running',
        entered_by: enteredBy,
        started_at: startedAt,
        updated_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    jobId = Number(row.id)
  }
  const resumedFromRow = committedRow
  const resumed = offset > 0

  // Rejects file: on resume, cut back to what the last committed batch had written.
  let rejectsFd: number | undefined
  if (options.rejectsPath !== undefined) {
    try {
      if (resumed) {
        rejectsFd = openSync(options.rejectsPath, 'a+')
        if (fstatSync(rejectsFd).size >= rejectsBytes) ftruncateSync(rejectsFd, rejectsBytes)
        else {
          // Not the file the interrupted run wrote: start it afresh from this batch on.
          ftruncateSync(rejectsFd, 0)
          const header = formatCsvLine(['reason', 'row', ...kind.columns])
          writeSync(rejectsFd, header)
          rejectsBytes = Buffer.byteLength(header)
        }
      } else {
        rejectsFd = openSync(options.rejectsPath, 'w')
        const header = formatCsvLine(['reason', 'row', ...kind.columns])
        writeSync(rejectsFd, header)
        rejectsBytes = Buffer.byteLength(header)
      }
    } catch (cause) {
      throw new VaxpassError('ERR_IMPORT_IO', 'cannot write the rejects file', { cause })
    }
  }

  const t0 = performance.now()
  const readAtStart = counts.read
  let lastReport = 0
  let lastEnd = offset
  const report = (bytes: number, force: boolean) => {
    if (options.onProgress === undefined) return
    const t = performance.now()
    if (!force && t - lastReport < 500) return
    lastReport = t
    const seconds = (t - t0) / 1000
    const rate = seconds > 0 ? (counts.read - readAtStart) / seconds : 0
    const bytesRate = seconds > 0 ? (bytes - offset) / seconds : 0
    const eta =
      fileSize !== null && bytesRate > 0 ? Math.max(0, (fileSize - bytes) / bytesRate) : null
    const p: ImportProgress = { ...counts, bytes, totalBytes: fileSize, rowsPerSecond: rate, etaSeconds: eta }
    options.onProgress(p)
  }

  // Commits one checked batch: its rows, its rejects lines and the job progress, atomically.
  const commitBatch = async <P>(
    b: CheckedBatch<P>,
    commit: (
      payload: P,
      provenance: BatchProvenance,
      finish: (ins: ReadonlySet<number>) => Promise<JobProgress>,
    ) => Promise<void>,
  ) => {
    const at = now()
    let nextCounts = counts
    let nextRejectsBytes = rejectsBytes
    await commit(b.payload, { jobId, enteredBy, enteredAt: at.toISOString() }, async (inserted) => {
      let duplicate = b.repeated
      let lines = b.lines
      if (inserted.size < b.accepted) {
        // Stored meanwhile by another writer: duplicates too (rare, so fields are fetched late).
        const more = [...lines]
        for (let i = 0; i < b.accepted; i++) {
          const row = b.acceptedRow(i)
          if (inserted.has(row)) continue
          duplicate++
          const fields = (await b.fieldsOf(row)) ?? []
          more.push([row, formatCsvLine(['duplicate', String(row), ...fields])])
        }
        // In file order, so the rejects read alongside the source.
        more.sort((x, y) => x[0] - y[0])
        lines = more
      }
      let out = ''
      for (const [, line] of lines) out += line
      if (rejectsFd !== undefined && out !== '') {
        // Written before COMMIT; the job row records the size, so a resume can cut it back.
        const bytes = Buffer.from(out, 'utf8')
        writeSync(rejectsFd, bytes)
        nextRejectsBytes = rejectsBytes + bytes.length
      }
      const batch = { read: b.read, inserted: inserted.size, duplicate, rejected: b.rejected }
      nextCounts = {
        read: counts.read + batch.read,
        inserted: counts.inserted + batch.inserted,
        duplicate: counts.duplicate + batch.duplicate,
        rejected: counts.rejected + batch.rejected,
      }
      return {
        committedOffset: b.end,
        committedRow: b.lastRow,
        rejectsBytes: nextRejectsBytes,
        ...nextCounts,
        audit: {
          actor: enteredBy,
          action: `${kind.kind}.import.batch`,
          entity: 'import_job',
          entityId: jobId,
          after: { firstRow: b.firstRow, lastRow: b.lastRow, ...batch },
          at,
        },
      }
    })
    counts = nextCounts
    rejectsBytes = nextRejectsBytes
    lastEnd = b.end
  }

  const startRow = resumed ? committedRow : -1
  const off =
    typeof input === 'string' && kind.offThread !== undefined
      ? kind.offThread({
          path: input,
          offset,
          startRow,
          limits,
          maxBytes: maxFileBytes - offset,
          batchSize,
        })
      : undefined
  const source =
    off !== undefined ? undefined : typeof input === 'string' ? readFileChunks(input, offset) : input
  try {
    if (off !== undefined) {
      for await (const b of off.batches) {
        await commitBatch(b, off.commit)
        off.committed()
        report(lastEnd, false)
      }
    } else {
      const batches = checkInThread(
        limitBytes(source as NonNullable<typeof source>, maxFileBytes - offset),
        kind,
        { offset, startRow, limits, batchSize },
      )
      for await (const b of batches) {
        await commitBatch(b, kind.commit)
        report(lastEnd, false)
      }
    }
    const doneAt = now().toISOString()
    await storage.db
      .updateTable('import_jobs')
      .set({ status: 'done', finished_at: doneAt, updated_at: doneAt })
      .where('id', '=', jobId)
      .execute()
    report(lastEnd, true)
  } catch (err) {
    if (rejectsFd !== undefined) {
      // Drop rejects of a batch that did not commit.
      try {
        ftruncateSync(rejectsFd, rejectsBytes)
      } catch {}
    }
    if (err instanceof VaxpassError) throw err
    throw new VaxpassError(
      'ERR_IMPORT_BATCH',
      'a batch failed and was rolled back; committed batches are kept, re-run to resume',
      { cause: err, details: { jobId, committedRow: counts.read } },
    )
  } finally {
    if (rejectsFd !== undefined) closeSync(rejectsFd)
    if (typeof input === 'string' && source !== undefined) (source as Generator<Buffer>).return(undefined)
    await off?.close()
  }
  return { ...counts, jobId, resumedFromRow }
}

/** Throws unless `header` is exactly `columns`. */
export function checkHeader(record: CsvRecord, columns: readonly string[]): void {
  const header = record.fields
  if (
    header === null ||
    record.problem !== undefined ||
    header.length !== columns.length ||
    header.some((h, i) => h !== columns[i])
  ) {
    throw new VaxpassError('ERR_IMPORT_HEADER', `the header must be exactly: ${columns.join(',')}`, {
      details: { expected: columns.join(',') },
    })
  }
}

/** The error for a file without even a header. */
export function emptyFileError(columns: readonly string[]): VaxpassError {
  return new VaxpassError(
    'ERR_IMPORT_HEADER',
    `the file is empty; expected the header ${columns.join(',')}`,
  )
}

/**
 * Rejects lines, in row order, for a batch's unreadable records and the check's verdict
 * (refused rows and known duplicates).
 */
export function rejectLines(
  records: readonly CsvRecord[],
  verdict: Pick<RowVerdict<unknown>, 'rejected' | 'repeated'>,
): { lines: Array<[number, string]>; rejected: number } {
  const lines: Array<[number, string]> = []
  let rejected = 0
  for (const r of records) {
    if (r.problem !== undefined || r.fields === null) {
      rejected++
      lines.push([r.row, formatCsvLine([r.problem ?? 'column_count', String(r.row), ...(r.fields ?? [])])])
    }
  }
  for (const { record, reason } of verdict.rejected) {
    rejected++
    lines.push([record.row, formatCsvLine([reason, String(record.row), ...(record.fields ?? [])])])
  }
  for (const r of verdict.repeated) {
    lines.push([r.row, formatCsvLine(['duplicate', String(r.row), ...(r.fields ?? [])])])
  }
  lines.sort((a, b) => a[0] - b[0])
  return { lines, rejected }
}

/**
 * Reads records in batches, checks the header, and yields each batch checked by `kind.check`
 * (in the calling thread: the main thread, or the import worker).
 *
 * @example
 * for await (const b of checkInThread(chunks, kind, { offset: 0, startRow: -1, limits, batchSize: 20_000 })) {}
 */
export async function* checkInThread<T extends { sourceRow: number }>(
  source: AsyncIterable<Buffer | string>,
  kind: Pick<ImportKind<T>, 'columns' | 'check'>,
  from: { offset: number; startRow: number; limits: CsvLimits; batchSize: number },
): AsyncGenerator<CheckedBatch<T[]>> {
  let headerSeen = from.startRow >= 0
  let start = from.offset
  let pending: CsvRecord[] = []
  const checked = async (records: CsvRecord[]): Promise<CheckedBatch<T[]>> => {
    const readable = records.filter((r) => r.fields !== null && r.problem === undefined)
    const verdict = await kind.check(readable)
    const { lines, rejected } = rejectLines(records, verdict)
    const last = records[records.length - 1] as CsvRecord
    const batch: CheckedBatch<T[]> = {
      start,
      end: last.end,
      firstRow: (records[0] as CsvRecord).row,
      lastRow: last.row,
      read: records.length,
      payload: verdict.accepted,
      accepted: verdict.accepted.length,
      acceptedRow: (i) => (verdict.accepted[i] as T).sourceRow,
      rejected,
      repeated: verdict.repeated.length,
      lines,
      async fieldsOf(row) {
        return readable.find((r) => r.row === row)?.fields ?? undefined
      },
    }
    start = last.end
    return batch
  }
  for await (const records of readCsvRecords(source, from.limits, from.offset, from.startRow)) {
    for (const r of records) {
      if (!headerSeen) {
        headerSeen = true
        checkHeader(r, kind.columns)
        start = r.end
        continue
      }
      pending.push(r)
      if (pending.length >= from.batchSize) {
        const batch = pending
        pending = []
        yield await checked(batch)
      }
    }
  }
  if (!headerSeen) throw emptyFileError(kind.columns)
  if (pending.length > 0) yield await checked(pending)
}
