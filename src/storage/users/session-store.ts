import type { AuthDb } from './auth-tables.js'

/** A live session: a staff member's or a citizen's (after their one-time code). */
export type SessionRow =
  | { readonly kind: 'staff'; readonly userId: string; readonly expiresAt: Date }
  | { readonly kind: 'citizen'; readonly personId: string; readonly expiresAt: Date }

/**
 * Stores a session under the hash of its token.
 *
 * @example
 * await insertSession(db, hashToken(token), { kind: 'staff', userId, expiresAt }, now)
 */
export async function insertSession(
  db: AuthDb,
  tokenHash: string,
  session: SessionRow,
  now: Date,
): Promise<void> {
  await db
    .insertInto('auth_sessions')
    .values({
      token_hash: tokenHash,
      kind: session.kind,
      user_id: session.kind === 'staff' ? session.userId : null,
      person_id: session.kind === 'citizen' ? session.personId : null,
      created_at: now.getTime(),
      expires_at: session.expiresAt.getTime(),
    })
    .execute()
}

/**
 * The session whose token hashes to `tokenHash`, if it has not expired at `now`.
 *
 * @example
 * const s = await findSession(db, hashToken(bearer), now)
 */
export async function findSession(
  db: AuthDb,
  tokenHash: string,
  now: Date,
): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('auth_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now.getTime())
    .executeTakeFirst()
  if (!row) return undefined
  const expiresAt = new Date(Number(row.expires_at))
  if (row.kind === 'staff' && row.user_id !== null) return { kind: 'staff', userId: row.user_id, expiresAt }
  if (row.kind === 'citizen' && row.person_id !== null) {
    return { kind: 'citizen', personId: row.person_id, expiresAt }
  }
  return undefined
}

/**
 * Ends a session (sign-out) and, on the way, drops sessions that expired before `now`.
 *
 * @example
 * await deleteSession(db, hashToken(token), now)
 */
export async function deleteSession(db: AuthDb, tokenHash: string, now: Date): Promise<void> {
  await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute()
  await db.deleteFrom('auth_sessions').where('expires_at', '<=', now.getTime()).execute()
}
