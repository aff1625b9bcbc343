import type { Readable } from 'node:stream'

/** The result every import prints (`--json` prints exactly these four keys). */
export interface ImportSummary {
  /** Data rows read (header excluded), over the whole file, resumed runs included. */
  readonly read: number
  readonly inserted: number
  /** Rows already stored (same natural key) or repeated in the file. */
  readonly duplicate: number
  readonly rejected: number
}

/** Progress reported while importing. */
export interface ImportProgress extends ImportSummary {
  /** Bytes of the file consumed so far (resumed offset included). */
  readonly bytes: number
  /** File size when known. */
  readonly totalBytes: number | null
  /** Rows per second in this run. */
  readonly rowsPerSecond: number
  /** Seconds left, when the size is known. */
  readonly etaSeconds: number | null
}

/** Where the CSV comes from: a file path (resumable) or a stream (not resumable). */
export type ImportInput = string | Readable

/** Options of `importDoses` / `importRegister`. */
export interface ImportOptions {
  /** Rejected rows go here as CSV with `reason,row,` before the original fields. */
  readonly rejectsPath?: string
  /** Rows per committed batch (default 20,000). */
  readonly batchSize?: number
  /** Stored as `entered_by` and the audit actor (default `system:import`). */
  readonly enteredBy?: string
  /** The clock (tests fix it); called for each batch's timestamp. */
  readonly now?: () => Date
  /** Called about twice a second and once at the end. */
  readonly onProgress?: (p: ImportProgress) => void
  /** Largest file accepted, bytes (default 64 GiB). */
  readonly maxFileBytes?: number
  /** Longest record accepted, bytes (default 16 KiB). */
  readonly maxLineBytes?: number
  /** Longest field accepted, characters (default 1,024). */
  readonly maxFieldChars?: number
}

/** What an import returns: the summary plus the job it ran as. */
export interface ImportResult extends ImportSummary {
  readonly jobId: number
  /** Data rows skipped because an earlier run had committed them (0 on a fresh run). */
  readonly resumedFromRow: number
}
