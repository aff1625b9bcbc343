import type { AuthDb } from './auth-tables.js'

/** A one-time-code challenge as stored (the code itself only as a salted hash). */
export interface OtpChallenge {
  readonly id: string
  /** Null for a decoy (the lookup did not match): no code can ever pass it. */
  readonly personId: string | null
  readonly codeSalt: string
  readonly codeHash: string
  readonly attempts: number
  readonly expiresAt: Date
  readonly used: boolean
}

/**
 * Stores a new challenge.
 *
 * @example
 * await insertOtpChallenge(db, { id, personId, codeSalt, codeHash, expiresAt }, now)
 */
export async function insertOtpChallenge(
  db: AuthDb,
  c: { id: string; personId: string | null; codeSalt: string; codeHash: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db
    .insertInto('auth_otp_challenges')
    .values({
      id: c.id,
      person_id: c.personId,
      code_salt: c.codeSalt,
      code_hash: c.codeHash,
      attempts: 0,
      created_at: now.getTime(),
      expires_at: c.expiresAt.getTime(),
      used_at: null,
    })
    .execute()
}

/**
 * Counts one attempt against a challenge and returns it as it was before this attempt, or
 * undefined when unknown. Counting first means parallel guesses cannot exceed the limit.
 *
 * @example
 * const c = await takeOtpAttempt(db, challengeId)
 */
export async function takeOtpAttempt(db: AuthDb, id: string): Promise<OtpChallenge | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('auth_otp_challenges').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) return undefined
    await trx
      .updateTable('auth_otp_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute()
    return {
      id: row.id,
      personId: row.person_id,
      codeSalt: row.code_salt,
      codeHash: row.code_hash,
      attempts: Number(row.attempts),
      expiresAt: new Date(Number(row.expires_at)),
      used: row.used_at !== null,
    }
  })
}

/**
 * Marks a challenge used, so its code cannot open a second session. False if it already was.
 *
 * @example
 * if (!(await markOtpUsed(db, id, now))) throw ...
 */
export async function markOtpUsed(db: AuthDb, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('auth_otp_challenges')
    .set({ used_at: now.getTime() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * How many codes were sent to a person (challenges that can be passed) since `since`.
 *
 * @example
 * const sent = await countCodesSent(db, personId, new Date(now.getTime() - AUTH_POLICY.codeWindowMs))
 */
export async function countCodesSent(db: AuthDb, personId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('auth_otp_challenges')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('person_id', '=', personId)
    .where('created_at', '>', since.getTime())
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Deletes challenges that expired before `before`: the table keeps only what a lookup, a code
 * check or the count of codes sent can still need.
 *
 * @example
 * await deleteExpiredChallenges(db, new Date(now.getTime() - AUTH_POLICY.codeWindowMs))
 */
export async function deleteExpiredChallenges(db: AuthDb, before: Date): Promise<void> {
  await db.deleteFrom('auth_otp_challenges').where('expires_at', '<', before.getTime()).execute()
}
