import { randomUUID } from 'node:crypto'
import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { checkOtp, createOtp } from '../../domain/users/create-otp.js'
import { createToken } from '../../domain/users/create-token.js'
import { matchLookup, type LookupClaim } from '../../domain/users/match-lookup.js'
import type { AuthDb } from '../../storage/users/auth-tables.js'
import {
  countCodesSent,
  deleteExpiredChallenges,
  insertOtpChallenge,
  markOtpUsed,
  takeOtpAttempt,
} from '../../storage/users/otp-store.js'
import { insertSession } from '../../storage/users/session-store.js'
import type { CitizenDirectory, Outbox } from '../app-deps.js'
import { assertNotThrottled, recordFailure, throttleKeys } from './throttle.js'

/** The one answer a lookup ever gives, whether the person was found or not. */
export interface LookupAnswer {
  readonly challengeId: string
  readonly expiresAt: string
  readonly message: string
}

const LOOKUP_MESSAGE =
  'If these details match our records, a one-time code has been sent to the phone or e-mail registered.'

/**
 * Starts a citizen lookup. When all five fields match, a six-digit code goes to the registered
 * phone (else e-mail) through the outbox; otherwise a decoy challenge is stored that no code can
 * pass. Both give the same answer. Failures count per IP, per ID number from that IP and per ID
 * number (all hashed). A person is sent at most {@link AUTH_POLICY.maxCodesPerPerson} codes an
 * hour: a matching lookup beyond that stores a decoy too, and its answer is the same again.
 *
 * @example
 * const answer = await startLookup({ db, citizens, outbox }, claim, request.ip, now)
 */
export async function startLookup(
  deps: { db: AuthDb; citizens: CitizenDirectory; outbox: Outbox },
  claim: LookupClaim,
  ip: string,
  now: Date,
): Promise<LookupAnswer> {
  const keys = throttleKeys('citizen', ip, claim.idNumber)
  await assertNotThrottled(deps.db, keys, now)
  const windowStart = new Date(now.getTime() - AUTH_POLICY.codeWindowMs)
  await deleteExpiredChallenges(deps.db, windowStart)
  const record = await deps.citizens.findByIdNumber(claim.idNumber)
  const found = record !== undefined && matchLookup(claim, record) && (record.phone || record.email)
  const matched =
    found && (await countCodesSent(deps.db, record.personId, windowStart)) < AUTH_POLICY.maxCodesPerPerson
  const otp = createOtp()
  const challengeId = randomUUID()
  const expiresAt = new Date(now.getTime() + AUTH_POLICY.otpTtlMs)
  await insertOtpChallenge(
    deps.db,
    {
      id: challengeId,
      personId: matched ? record.personId : null,
      codeSalt: otp.salt,
      codeHash: otp.hash,
      expiresAt,
    },
    now,
  )
  if (matched) {
    const body = `vaxpass: your code is ${otp.code}. It is valid for 5 minutes. Never share it.`
    await deps.outbox.enqueue(
      record.phone
        ? { channel: 'sms', to: record.phone, subject: 'vaxpass code', body }
        : { channel: 'email', to: record.email ?? '', subject: 'vaxpass code', body },
      now,
    )
  } else if (!found) {
    await recordFailure(deps.db, keys, now)
  }
  return { challengeId, expiresAt: expiresAt.toISOString(), message: LOOKUP_MESSAGE }
}

/**
 * Checks a one-time code and opens a citizen session for the person it was sent to. Every
 * challenge allows {@link AUTH_POLICY.otpMaxAttempts} tries; wrong codes also count per IP.
 *
 * @example
 * const { token } = await confirmLookupCode(db, challengeId, '123456', request.ip, now)
 */
export async function confirmLookupCode(
  db: AuthDb,
  challengeId: string,
  code: string,
  ip: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const keys = throttleKeys('citizen', ip)
  await assertNotThrottled(db, keys, now)
  const challenge = await takeOtpAttempt(db, challengeId)
  if (challenge !== undefined && challenge.attempts >= AUTH_POLICY.otpMaxAttempts) {
    throw new VaxpassError('ERR_OTP_ATTEMPTS', 'too many wrong codes; start the lookup again')
  }
  const ok =
    challenge !== undefined &&
    challenge.personId !== null &&
    !challenge.used &&
    challenge.expiresAt.getTime() > now.getTime() &&
    checkOtp(code, challenge.codeSalt, challenge.codeHash)
  if (!ok || !(await markOtpUsed(db, challengeId, now))) {
    await recordFailure(db, keys, now)
    throw new VaxpassError('ERR_OTP_INVALID', 'wrong or expired code')
  }
  const { token, hash } = createToken()
  const expiresAt = new Date(now.getTime() + AUTH_POLICY.citizenSessionMs)
  await insertSession(db, hash, { kind: 'citizen', personId: challenge.personId!, expiresAt }, now)
  return { token, expiresAt }
}
