import type { Kysely } from 'kysely'

/** One schema step. Migrations only go forward: a fix is a new migration. */
export interface Migration {
  /** `NNNN-<area>`, unique and sorted. */
  readonly name: string
  up(db: Kysely<any>): Promise<void>
}
