/**
 * Lifetimes and limits of sign-ins, sessions and one-time codes. One place, so that the HTTP layer,
 * the storage and the tests agree.
 */
export const AUTH_POLICY = {
  /** A staff session lasts one working day. */
  staffSessionMs: 8 * 60 * 60 * 1000,
  /** A citizen session is only for fetching a certificate or filing a correction. */
  citizenSessionMs: 30 * 60 * 1000,
  /** A one-time code is valid for five minutes... */
  otpTtlMs: 5 * 60 * 1000,
  /** ...and for this many tries, after which the challenge is dead. */
  otpMaxAttempts: 5,
  /** Failed lookups (or codes, or sign-ins) allowed per ID or username within the window... */
  maxFailures: 5,
  /** ...and per IP address, higher because carrier-grade NAT puts many phones behind one. */
  maxFailuresPerIp: 20,
  failureWindowMs: 15 * 60 * 1000,
  /** ...after which the key is locked for this long. */
  lockMs: 15 * 60 * 1000,
} as const
