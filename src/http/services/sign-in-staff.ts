import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { createToken, hashToken } from '../../domain/users/create-token.js'
import { hashPassword, verifyPassword } from '../../domain/users/hash-password.js'
import type { AuthDb } from '../../storage/users/auth-tables.js'
import { deleteSession, insertSession } from '../../storage/users/session-store.js'
import { findUserForSignIn, type StaffUser } from '../../storage/users/user-store.js'
import { assertNotThrottled, recordFailure, throttleKeys } from './throttle.js'

// Hashed once, so that an unknown username costs as much as a wrong password.
let dummyHash: Promise<string> | undefined

/**
 * Signs a staff member in: checks the password (throttled per IP, per username from that IP and per username) and opens a
 * session whose token is returned once and stored only hashed.
 *
 * @example
 * const { token, user, expiresAt } = await signInStaff(db, 'lan', pw, request.ip, now)
 */
export async function signInStaff(
  db: AuthDb,
  username: string,
  password: string,
  ip: string,
  now: Date,
): Promise<{ token: string; user: StaffUser; expiresAt: Date }> {
  const keys = throttleKeys('signin', ip, username.trim().toLowerCase())
  await assertNotThrottled(db, keys, now)
  const found = await findUserForSignIn(db, username)
  dummyHash ??= hashPassword('not a real password, only for timing')
  const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash))
  if (found === undefined || !ok || found.user.disabled) {
    await recordFailure(db, keys, now)
    throw new VaxpassError('ERR_AUTH_INVALID', 'wrong username or password')
  }
  const { token, hash } = createToken()
  const expiresAt = new Date(now.getTime() + AUTH_POLICY.staffSessionMs)
  await insertSession(db, hash, { kind: 'staff', userId: found.user.id, expiresAt }, now)
  return { token, user: found.user, expiresAt }
}

/**
 * Ends the session of `token` (sign-out).
 *
 * @example
 * await signOut(db, token, now)
 */
export async function signOut(db: AuthDb, token: string, now: Date): Promise<void> {
  await deleteSession(db, hashToken(token), now)
}
