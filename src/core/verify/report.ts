import type { CoreErrorCode } from '../errors.js'
import type { RuleOutcome } from '../rules/entry-rule.js'

/** The pass formats a verifier recognises. */
export type PassFormat = 'EU_DCC' | 'SHC' | 'NZCP' | 'VDS_NC'

/**
 * One step of a verification. `ok` is its outcome; `code` is the stable error code when it failed
 * (null when it passed). A step that could not run because an earlier one failed is listed with
 * `skipped: true` and `ok: false`, so a report always names every step of its format.
 */
export interface Check {
  readonly id: string
  readonly ok: boolean
  readonly code: CoreErrorCode | null
  readonly message: string
  readonly skipped?: boolean
}

/** Something worth telling that does not make the pass invalid (lenient reading). */
export interface Warning {
  readonly code: string
  readonly message: string
  /** JSON path in the payload, like `v[0].dn`, where the warning applies. */
  readonly path?: string
}

/** A vaccination event, the same model for every format. */
export interface VaccinationEvent {
  /** Product code or name as the pass gives it (EU `mp`, CVX code, ...). */
  readonly product: string
  /** Human-readable product name where known. */
  readonly productName?: string
  readonly manufacturer?: string
  readonly vaccineType?: string
  readonly disease?: string
  /** Date of vaccination, `YYYY-MM-DD`. */
  readonly date: string
  readonly doseNumber?: number
  /** Doses in the series (EU `sd`). */
  readonly seriesDoses?: number
  /** ISO 3166-1 alpha-2 country of vaccination. */
  readonly country?: string
  readonly certificateId?: string
}

/** The holder as the pass names them. Only what a border officer needs to see. */
export interface Holder {
  readonly name: string
  readonly familyName?: string
  readonly givenName?: string
  /** Date of birth as written in the pass: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (may be empty). */
  readonly dateOfBirth: string
}

/**
 * The result of verifying any pass. `valid` is true only when every check passed.
 * Never thrown: every failure is a check with a stable code.
 */
export interface VerificationReport {
  readonly valid: boolean
  /** Null when the input was not recognised as any format. */
  readonly format: PassFormat | null
  readonly holder?: Holder
  readonly events?: readonly VaccinationEvent[]
  readonly issuer?: {
    /** Country of issue (ISO 3166-1 alpha-2) or issuer URL/DID. */
    readonly id?: string
    readonly country?: string
    /** The trust anchor that accepted the pass (kid, JWKS URL, DID, CSCA subject). */
    readonly trustAnchor?: string
  }
  readonly validity?: {
    readonly issuedAt?: string
    readonly notBefore?: string
    readonly expiresAt?: string
  }
  /** Decoded payload (for EU DCC the DCC JSON object), when decoding got that far. */
  readonly payload?: unknown
  /** Format-specific headers (for COSE: alg, kid as base64, protected and unprotected maps). */
  readonly headers?: Readonly<Record<string, unknown>>
  readonly checks: readonly Check[]
  readonly warnings: readonly Warning[]
  /** Outcome of each entry rule, when rules were applied (arrival country given). */
  readonly rules?: readonly RuleOutcome[]
}
