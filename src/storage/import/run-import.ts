import { createHash } from 'node:crypto'
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs'
import { VaxpassError } from '../../core/errors.js'
import type { RejectReason } from '../../domain/registry/reject-reason.js'
import type { Storage } from '../storage.js'
import type { BatchProvenance, JobProgress } from './bulk-loader.js'
import type { ImportInput, ImportOptions, ImportProgress, ImportResult } from './import-types.js'
import { formatCsvLine, readCsvRecords, type CsvRecord } from './read-csv-records.js'

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
    finish: (ins: ReadonlySet<number>) => JobProgress,
  ): Promise<void>
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
function* readFileChunks(path: string, start: number): Generator<Buffer> {
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

async function* limitBytes(
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

  const source = typeof input === 'string' ? readFileChunks(input, offset) : input
  const t0 = performance.now()
  const readAtStart = counts.read
  let lastReport = 0
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

  let headerSeen = resumed
  let pending: CsvRecord[] = []
  let lastEnd = offset

  const flush = async (records: CsvRecord[]) => {
    if (records.length === 0) return
    const readable = records.filter((r) => r.fields !== null && r.problem === undefined)
    const verdict = await kind.check(readable)
    const at = now()
    const batchEnd = (records[records.length - 1] as CsvRecord).end
    const lastRow = (records[records.length - 1] as CsvRecord).row
    pendingRejectsBytes = rejectsBytes
    await kind.commit(verdict.accepted, { jobId, enteredBy, enteredAt: at.toISOString() }, (inserted) => {
      const lines: Array<[number, string]> = []
      let rejected = 0
      let duplicate = verdict.repeated.length
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
      // Only needed to write duplicates out, which are rare on a first import.
      const byRow = new Map<number, CsvRecord>()
      if (inserted.size < verdict.accepted.length) for (const r of readable) byRow.set(r.row, r)
      for (const r of verdict.repeated) {
        lines.push([r.row, formatCsvLine(['duplicate', String(r.row), ...(r.fields ?? [])])])
      }
      for (const a of verdict.accepted) {
        if (!inserted.has(a.sourceRow)) {
          duplicate++
          const r = byRow.get(a.sourceRow)
          lines.push([a.sourceRow, formatCsvLine(['duplicate', String(a.sourceRow), ...(r?.fields ?? [])])])
        }
      }
      // In file order, so the rejects read alongside the source.
      lines.sort((a, b) => a[0] - b[0])
      let out = ''
      for (const [, line] of lines) out += line
      if (rejectsFd !== undefined && out !== '') {
        // Written before COMMIT; the job row records the size, so a resume can cut it back.
        const b = Buffer.from(out, 'utf8')
        writeSync(rejectsFd, b)
        pendingRejectsBytes = rejectsBytes + b.length
      }
      const batch = {
        read: records.length,
        inserted: inserted.size,
        duplicate,
        rejected,
      }
      const next = {
        read: counts.read + batch.read,
        inserted: counts.inserted + batch.inserted,
        duplicate: counts.duplicate + batch.duplicate,
        rejected: counts.rejected + batch.rejected,
      }
      pendingCounts = next
      return {
        committedOffset: batchEnd,
        committedRow: lastRow,
        rejectsBytes: pendingRejectsBytes,
        ...next,
        audit: {
          actor: enteredBy,
          action: `${kind.kind}.import.batch`,
          entity: 'import_job',
          entityId: jobId,
          after: { firstRow: (records[0] as CsvRecord).row, lastRow, ...batch },
          at,
        },
      }
    })
    counts = pendingCounts
    rejectsBytes = pendingRejectsBytes
    lastEnd = batchEnd
  }
  let pendingCounts = counts
  let pendingRejectsBytes = rejectsBytes

  try {
    for await (const records of readCsvRecords(limitBytes(source, maxFileBytes - offset), limits, offset, resumed ? committedRow : -1)) {
      for (const r of records) {
        if (!headerSeen) {
          headerSeen = true
          const header = r.fields
          if (
            header === null ||
            r.problem !== undefined ||
            header.length !== kind.columns.length ||
            header.some((h, i) => h !== kind.columns[i])
          ) {
            throw new VaxpassError(
              'ERR_IMPORT_HEADER',
              `the header must be exactly: ${kind.columns.join(',')}`,
              { details: { expected: kind.columns.join(',') } },
            )
          }
          continue
        }
        pending.push(r)
        if (pending.length >= batchSize) {
          const batch = pending
          pending = []
          await flush(batch)
          report(lastEnd, false)
        }
      }
    }
    if (!headerSeen) {
      throw new VaxpassError('ERR_IMPORT_HEADER', `the file is empty; expected the header ${kind.columns.join(',')}`)
    }
    await flush(pending)
    pending = []
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
    if (typeof input === 'string') (source as Generator<Buffer>).return(undefined)
  }
  return { ...counts, jobId, resumedFromRow }
}
