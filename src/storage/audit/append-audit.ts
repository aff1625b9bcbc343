import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** One audit entry. `before`/`after` are stored as JSON; keep them to the fields that changed. */
export interface AuditEntry {
  /** User id, API key id, or `system:<tool>` for batch jobs. */
  readonly actor: string
  /** Dotted verb, e.g. `dose.create`, `declaration.approve`, `doses.import.batch`. */
  readonly action: string
  /** Table or concept, e.g. `dose_record`, `import_job`. */
  readonly entity: string
  readonly entityId: string | number
  readonly before?: unknown
  readonly after?: unknown
  readonly at: Date
}

/**
 * Appends one entry to the append-only audit log. Call it with the transaction that makes the
 * change, so that the change and its audit entry commit or roll back together.
 *
 * @example
 * await storage.db.transaction().execute(async (trx) => {
 *   await trx.updateTable('dose_records').set({ lot: 'AB12' }).where('id', '=', 7).execute()
 *   await appendAudit(trx, { actor: 'u:42', action: 'dose.update', entity: 'dose_record',
 *     entityId: 7, before: { lot: 'AB21' }, after: { lot: 'AB12' }, at: now })
 * })
 */
export async function appendAudit(trx: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute()
}
