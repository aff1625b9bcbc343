import type { Kysely } from 'kysely'

/**
 * Outbox delivery attempts: a message a gateway refused is tried again later (`next_attempt_at`,
 * ISO time; null: at once) until `attempts` reaches the limit, then it stays `failed`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('outbox').addColumn('next_attempt_at', 'text').execute()
}
