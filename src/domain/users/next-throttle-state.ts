import { AUTH_POLICY } from './auth-policy.js'

/** Failure count of one throttle key (an IP hash, an ID hash, a username hash). */
export interface ThrottleState {
  readonly failures: number
  /** Epoch ms when the current counting window began. */
  readonly windowStart: number
  /** Epoch ms until which the key is locked; 0 when it is not. */
  readonly lockedUntil: number
}

/**
 * True while the key is locked at `now`.
 *
 * @example
 * isThrottled({ failures: 5, windowStart: 0, lockedUntil: 10_000 }, new Date(5_000)) // true
 */
export function isThrottled(state: ThrottleState | undefined, now: Date): boolean {
  return state !== undefined && state.lockedUntil > now.getTime()
}

/**
 * The state after one more failure at `now`: failures count within a window; reaching
 * `maxFailures` locks the key, and a lock that has run out starts a fresh window.
 *
 * @example
 * nextThrottleState(undefined, new Date(0)) // { failures: 1, windowStart: 0, lockedUntil: 0 }
 */
export function nextThrottleState(
  state: ThrottleState | undefined,
  now: Date,
  maxFailures: number = AUTH_POLICY.maxFailures,
): ThrottleState {
  const t = now.getTime()
  const fresh =
    state === undefined ||
    t - state.windowStart > AUTH_POLICY.failureWindowMs ||
    (state.lockedUntil !== 0 && state.lockedUntil <= t)
  const failures = fresh ? 1 : state.failures + 1
  const windowStart = fresh ? t : state.windowStart
  const lockedUntil = failures >= maxFailures ? t + AUTH_POLICY.lockMs : 0
  return { failures, windowStart, lockedUntil }
}
