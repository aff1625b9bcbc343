import type { Kysely } from 'kysely'

/**
 * An index for "my correction requests": citizens list their own declarations by `filed_by`,
 * newest first, and without it each request scans the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('declarations_filed_by')
    .ifNotExists()
    .on('declarations')
    .columns(['filed_by', 'id'])
    .execute()
}
