import type { KnownDose } from '../../domain/registry/check-dose-order.js'
import type { ValidDoseRow } from '../../domain/registry/validate-dose-row.js'
import type { ValidRegisterRow } from '../../domain/registry/validate-register-row.js'
import type { AuditEntry } from '../audit/append-audit.js'
import type { LinkOutcome } from '../registry/link-dose-records.js'

/** A validated dose row with where it came from, linked already when the import links. */
export interface DoseInsert extends ValidDoseRow {
  readonly sourceRow: number
  link?: LinkOutcome
}

/** A validated register row with where it came from. */
export interface RegisterInsert extends ValidRegisterRow {
  readonly sourceRow: number
}

/** Provenance written on every row of a batch. */
export interface BatchProvenance {
  readonly jobId: number
  readonly enteredBy: string
  readonly enteredAt: string
}

/** What the job row becomes when a batch commits, plus the batch's audit entry. */
export interface JobProgress {
  readonly committedOffset: number
  readonly committedRow: number
  readonly rejectsBytes: number
  readonly read: number
  readonly inserted: number
  readonly duplicate: number
  readonly rejected: number
  readonly audit: AuditEntry
}

/**
 * Called inside the batch transaction once rows are inserted, with the source rows that were
 * new (the others were duplicates); returns the job progress to store in the same transaction.
 */
export type FinishBatch = (inserted: ReadonlySet<number>) => Promise<JobProgress> | JobProgress

/**
 * The database side of a bulk import, one per dialect (same file name in sqlite/ and postgres/):
 * each batch is inserted and the job progress recorded in ONE transaction.
 */
export interface BulkLoader<T> {
  commit(rows: readonly T[], provenance: BatchProvenance, finish: FinishBatch): Promise<void>
  close(): Promise<void>
}

/** The dose loader also answers which doses the database already holds for some people. */
export interface DoseLoader extends BulkLoader<DoseInsert> {
  knownDoses(personKeys: readonly string[]): Promise<Map<string, KnownDose[]>>
}
