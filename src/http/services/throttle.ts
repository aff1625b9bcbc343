import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { hashToken } from '../../domain/users/create-token.js'
import { isThrottled, nextThrottleState } from '../../domain/users/next-throttle-state.js'
import type { AuthDb } from '../../storage/users/auth-tables.js'
import { readThrottle, writeThrottle } from '../../storage/users/throttle-store.js'

/** One throttle key and the failures it allows within the window. */
export interface ThrottleKey {
  readonly key: string
  readonly limit: number
}

/**
 * Throttle keys of one kind of attempt from `ip`, about `subject` (an ID number or a username)
 * when given: the IP alone, the subject from this IP, and the subject from every IP, each with
 * its own limit (AUTH_POLICY). A stranger failing on someone's subject from one address locks
 * only that pair; locking the subject itself takes failures from many addresses. The IP and
 * subject are hashed, so the table never holds them in clear.
 *
 * @example
 * const keys = throttleKeys('citizen', request.ip, body.idNumber)
 */
export function throttleKeys(kind: string, ip: string, subject?: string): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `${kind}-ip:${hashToken(ip)}`, limit: AUTH_POLICY.maxFailuresPerIp }]
  if (subject !== undefined) {
    keys.push(
      { key: `${kind}-subject-ip:${hashToken(`${subject}\n${ip}`)}`, limit: AUTH_POLICY.maxFailures },
      { key: `${kind}-subject:${hashToken(subject)}`, limit: AUTH_POLICY.maxFailuresPerSubject },
    )
  }
  return keys
}

/**
 * Throws `ERR_TOO_MANY_FAILURES` when any key is locked at `now`.
 *
 * @example
 * await assertNotThrottled(db, keys, now)
 */
export async function assertNotThrottled(db: AuthDb, keys: readonly ThrottleKey[], now: Date): Promise<void> {
  for (const { key } of keys) {
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
export async function recordFailure(db: AuthDb, keys: readonly ThrottleKey[], now: Date): Promise<void> {
  for (const { key, limit } of keys) {
    await writeThrottle(db, key, nextThrottleState(await readThrottle(db, key), now, limit))
  }
}
