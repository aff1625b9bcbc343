import type { Kysely } from 'kysely'

/**
 * Indexes the one-time-code challenges by person and time (the count of codes sent to a person
 * within the last hour, on every matching lookup) and by expiry (expired challenges are deleted
 * as lookups come in), so that neither scans a table that takes a row per lookup.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('auth_otp_challenges_person')
    .ifNotExists()
    .on('auth_otp_challenges')
    .columns(['person_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('auth_otp_challenges_expires')
    .ifNotExists()
    .on('auth_otp_challenges')
    .column('expires_at')
    .execute()
}
