import type { Kysely } from 'kysely'

/**
 * Drops `dose_records_linked_cccd`: a record has a `linked_cccd` only when its `link_status` is
 * `linked`, and `dose_records_issuance` (linked_cccd, date, dose_number, product WHERE
 * link_status = 'linked') already serves every lookup by linked ID that says so. One B-tree
 * less to update per imported row: at 10 million rows its random inserts cost ~15% of the
 * import's insert time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dose_records_linked_cccd').ifExists().execute()
}
