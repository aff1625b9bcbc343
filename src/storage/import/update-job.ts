import type { Kysely } from 'kysely'
import { appendAudit } from '../audit/append-audit.js'
import type { Database } from '../schema.js'
import type { JobProgress } from './bulk-loader.js'

/**
 * Records a committed batch on its import job and audits it; call inside the batch transaction.
 *
 * @example
 * await updateJob(trx, jobId, progress)
 */
export async function updateJob(
  trx: Kysely<Database>,
  jobId: number,
  p: JobProgress,
): Promise<void> {
  await trx
    .updateTable('import_jobs')
    .set({
      committed_offset: p.committedOffset,
      committed_row: p.committedRow,
      rejects_bytes: p.rejectsBytes,
      read: p.read,
      inserted: p.inserted,
      duplicate: p.duplicate,
      rejected: p.rejected,
      updated_at: p.audit.at.toISOString(),
    })
    .where('id', '=', jobId)
    .execute()
  await appendAudit(trx, p.audit)
}
