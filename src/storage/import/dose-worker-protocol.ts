import type { ReadFrom } from './run-import.js'

/**
 * Int32 values per accepted row in {@link DoseWireBatch.ints}: person key*, cccd* (-1: none; -2:
 * the person key), dob*, full name°, sex†, product†, lot†, date†, dose number, site code†, source
 * row minus the batch's `firstRow`, then the linkage columns: linked cccd* (-1: none; -2: the cccd), status†
 * (-1: none), reason° (-1: none), diff° (-1: none). Starred values are lengths of the next slice
 * of `ids`, ° of `texts`; † are indexes into `dict` (the receiving thread then reuses one string
 * instead of allocating one per row). A batch travels as two strings, one transferred Int32Array
 * and a small dictionary: far cheaper to pass between threads than an array of mixed values,
 * which the receiver has to rebuild element by element.
 */
export const DOSE_WIRE_WIDTH = 15
/** Index of the source row (minus the batch's first row) within a row's values. */
export const DOSE_WIRE_SOURCE_ROW = 10
/** Marks a missing value (SQL NULL), and a value equal to another column of the row. */
export const DOSE_WIRE_NULL = -1
export const DOSE_WIRE_SAME = -2

/** What the dose import worker is started with. */
export interface DoseWorkerSetup extends ReadFrom {
  /** The SQLite file, opened read-only by the worker. */
  readonly dbPath: string
  readonly columns: readonly string[]
  readonly products: readonly string[]
  readonly sites: readonly string[]
  readonly allowedSites: readonly string[] | null
  readonly firstDate: string
  readonly today: string
  readonly link: boolean
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
  /** {@link DOSE_WIRE_WIDTH} values per accepted row (transferred, not copied). */
  readonly ints: Int32Array<ArrayBuffer>
  /** Person keys, cccds, dobs and linked cccds of the accepted rows, back to back. */
  readonly ids: string
  /** Full names, link reasons and link diffs, back to back (names may be non-ASCII). */
  readonly texts: string
  /** The distinct strings of the low-cardinality columns (see {@link DOSE_WIRE_WIDTH}). */
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
