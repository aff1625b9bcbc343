import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { hashToken } from '../../domain/users/create-token.js'
import { isThrottled, nextThrottleState } from '../../domain/users/next-throttle-state.js'
import type { AuthDb } from '../../storage/users/auth-tables.js'
import { readThrottle, writeThrottle } from '../../storage/users/throttle-store.js'

/**
 * Throttle keys for a kind of attempt. The subjects (IP, ID number, username) are hashed, so the
 * table never holds them in clear.
 *
 * @example
 * const keys = throttleKeys('lookup', { ip: request.ip, id: body.idNumber })
 */
export function throttleKeys(kind: string, subjects: Record<string, string>): string[] {
  return Object.entries(subjects).map(([what, value]) => `${kind}-${what}:${hashToken(value)}`)
}

/**
 * Throws `ERR_TOO_MANY_FAILURES` when any key is locked at `now`.
 *
 * @example
 * await assertNotThrottled(db, keys, now)
 */
export async function assertNotThrottled(db: AuthDb, keys: readonly string[], now: Date): Promise<void> {
  for (const key of keys) {
    if (isThrottled(await readThrottle(db, key), now)) {
      throw new VaxpassError('ERR_TOO_MANY_FAILURES', 'too many failed attempts; try again later')
    }
  }
}

/**
 * Counts one failure against every key.
 *
 * @example
 * await recordFailure(db, keys, now)
 */
export async function recordFailure(db: AuthDb, keys: readonly string[], now: Date): Promise<void> {
  for (const key of keys) {
    const limit = key.includes('-ip:') ? AUTH_POLICY.maxFailuresPerIp : AUTH_POLICY.maxFailures
    await writeThrottle(db, key, nextThrottleState(await readThrottle(db, key), now, limit))
  }
}
