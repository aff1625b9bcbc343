import type { Kysely } from 'kysely'
import type { DeclarationStatus } from '../../domain/declarations/declaration-types.js'
import type { Database } from '../schema.js'

/** One correction request as its filer sees it. */
export interface FiledDeclaration {
  readonly id: number
  readonly filedAt: string
  readonly status: DeclarationStatus
  /** When a reviewer decided; null while pending. */
  readonly decidedAt: string | null
  /** The reviewer's reason, only when rejected. */
  readonly rejectReason: string | null
  /** Doses declared. */
  readonly doses: number
}

/**
 * The latest correction requests filed by `filedBy` (e.g. `person:42`), newest first.
 *
 * @example
 * const mine = await listFiledDeclarations(storage.db, 'person:42', 20)
 */
export async function listFiledDeclarations(
  db: Kysely<Database>,
  filedBy: string,
  limit: number,
): Promise<FiledDeclaration[]> {
  const rows = await db
    .selectFrom('declarations')
    .select(['id', 'filed_at', 'status', 'reviewed_at', 'decision_reason', 'doses_json'])
    .where('filed_by', '=', filedBy)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    filedAt: r.filed_at,
    status: r.status as DeclarationStatus,
    decidedAt: r.status === 'pending' ? null : r.reviewed_at,
    rejectReason: r.status === 'rejected' ? r.decision_reason : null,
    doses: countDoses(r.doses_json),
  }))
}

function countDoses(json: string): number {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.length : 0
  } catch {
    return 0
  }
}
