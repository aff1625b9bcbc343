import type { SignatureAlgorithm } from '../core/platform/platform.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'

/** Given once to each worker: the signing key (decrypted, in this process only) and settings. */
export interface WorkerSetup {
  readonly privateKeyPkcs8: Uint8Array
  readonly alg: SignatureAlgorithm
  readonly kidBytes: Uint8Array
  readonly config: IssuanceConfig
}

/**
 * A slice of candidates to build and sign, flat so that crossing the thread boundary copies one
 * array of primitives instead of an object graph per person. Per person, in order: cccd,
 * fullName, dob, the active certificate's content hash ('' when none), the dose count, then per
 * dose: product, date, dose number (see `IssuanceBatch.wire`).
 */
export interface WorkerRequest {
  readonly id: number
  readonly now: number
  readonly people: number
  readonly wire: ReadonlyArray<string | number>
}

/** What a worker did with one slice; person indexes are positions in the slice. */
export interface WorkerResult {
  /** CWT iat and exp (epoch ms) shared by every certificate of the slice (0 when none). */
  readonly iat: number
  readonly exp: number
  /** Flat, per new certificate: person index, uvci, content hash, hc1. */
  readonly issued: Array<string | number>
  /** Flat, per failure: person index, error code. */
  readonly failures: Array<string | number>
  readonly unchanged: number
}

export interface WorkerResponse {
  readonly id: number
  readonly result: WorkerResult
}
