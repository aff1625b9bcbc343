import type { CsvLimits } from './read-csv-records.js'

/**
 * Values per accepted row in {@link DoseWireBatch.rows}: person key, cccd (null: none; 0: the
 * person key), full name, dob, sex*, product*, lot*, date*, dose number, site code*, source row,
 * then the linkage columns: linked cccd (0: the cccd), status*, reason, diff (all null when the
 * import does not link). Starred values are indexes into the batch's `dict`: the receiving thread
 * then reuses one string instead of allocating one per row. One flat array per batch: cheaper to
 * pass between threads than an object per row.
 */
export const DOSE_WIRE_WIDTH = 15
/** Index of the source row within a row's values. */
export const DOSE_WIRE_SOURCE_ROW = 10

/** What the dose import worker is started with. */
export interface DoseWorkerSetup {
  readonly path: string
  readonly offset: number
  readonly startRow: number
  readonly limits: CsvLimits
  readonly maxBytes: number
  readonly batchSize: number
  /** The SQLite file, opened read-only by the worker. */
  readonly dbPath: string
  readonly columns: readonly string[]
  readonly products: readonly string[]
  readonly sites: readonly string[]
  readonly allowedSites: readonly string[] | null
  readonly firstDate: string
  readonly today: string
  readonly link: boolean
  /** Run the WAL checkpoints in the worker (the main connection's are off meanwhile). */
  readonly checkpoint: boolean
  /** Page cache of the worker's connection, KiB. */
  readonly cacheKib: number
  /**
   * Int32 slots: [0] batches committed by the main thread, [1] 1 when the main thread stops.
   * The worker stays at most {@link DOSE_WORKER_AHEAD} batches ahead of the commits.
   */
  readonly shared: SharedArrayBuffer
}

/** Batches the worker may have sent and not yet seen committed. */
export const DOSE_WORKER_AHEAD = 2

/** One checked batch, as the worker posts it. */
export interface DoseWireBatch {
  readonly type: 'batch'
  readonly start: number
  readonly end: number
  readonly firstRow: number
  readonly lastRow: number
  readonly read: number
  readonly rows: Array<string | number | null>
  /** The distinct strings of the starred columns (see {@link DOSE_WIRE_WIDTH}). */
  readonly dict: string[]
  readonly rejected: number
  readonly repeated: number
  /** Rejects lines in row order: their rows and their text. */
  readonly lineRows: number[]
  readonly lineText: string[]
}

/** Messages from the worker. */
export type DoseWorkerMessage =
  | DoseWireBatch
  | { readonly type: 'done' }
  | {
      readonly type: 'error'
      /** A VaxpassError's code (header, size), or undefined for anything else. */
      readonly code: string | undefined
      readonly message: string
      readonly details: Record<string, unknown> | undefined
    }
