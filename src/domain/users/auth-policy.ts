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
  /** Failed lookups (or sign-ins) allowed per ID or username from one IP within the window... */
  maxFailures: 5,
  /** ...per IP address, whatever the ID (higher: carrier-grade NAT puts many phones behind one)... */
  maxFailuresPerIp: 20,
  /**
   * ...and per ID or username from all addresses together. Higher than `maxFailures`, so that
   * a stranger who knows someone's ID number cannot lock its holder out from one address, yet
   * low enough to stop a guess spread over many addresses.
   */
  maxFailuresPerSubject: 25,
  /**
   * One-time codes sent to one person within `codeWindowMs`. Further matching lookups get the
   * same answer as any other but send nothing: no phone can be flooded, and no more than
   * `maxCodesPerPerson x otpMaxAttempts` codes can be tried per window.
   */
  maxCodesPerPerson: 5,
  codeWindowMs: 60 * 60 * 1000,
  failureWindowMs: 15 * 60 * 1000,
  /** ...after which the key is locked for this long. */
  lockMs: 15 * 60 * 1000,
} as const
