import type { ThrottleState } from '../../domain/users/next-throttle-state.js'
import type { AuthDb } from './auth-tables.js'

/**
 * The throttle state of a key (already hashed by the caller: keys name IPs and ID numbers).
 *
 * @example
 * const s = await readThrottle(db, 'lookup-id:' + hashToken(cccd))
 */
export async function readThrottle(db: AuthDb, key: string): Promise<ThrottleState | undefined> {
  const row = await db.selectFrom('auth_throttle').selectAll().where('key', '=', key).executeTakeFirst()
  if (!row) return undefined
  return {
    failures: Number(row.failures),
    windowStart: Number(row.window_start),
    lockedUntil: Number(row.locked_until),
  }
}

/**
 * Writes a key's throttle state (insert or replace).
 *
 * @example
 * await writeThrottle(db, key, nextThrottleState(await readThrottle(db, key), now))
 */
export async function writeThrottle(db: AuthDb, key: string, state: ThrottleState): Promise<void> {
  const values = {
    failures: state.failures,
    window_start: state.windowStart,
    locked_until: state.lockedUntil,
  }
  await db
    .insertInto('auth_throttle')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute()
}

/**
 * Forgets a key's failures (after a success).
 *
 * @example
 * await clearThrottle(db, key)
 */
export async function clearThrottle(db: AuthDb, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute()
}
