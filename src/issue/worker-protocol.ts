import type { SignatureAlgorithm } from '../core/platform/platform.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import type { IssuanceCandidate } from '../storage/certificates/load-issuance-candidates.js'

/** Given once to each worker: the signing key (decrypted, in this process only) and settings. */
export interface WorkerSetup {
  readonly privateKeyPkcs8: Uint8Array
  readonly alg: SignatureAlgorithm
  readonly kidBytes: Uint8Array
  readonly config: IssuanceConfig
}

/** A slice of candidates to build and sign. */
export interface WorkerRequest {
  readonly id: number
  readonly now: number
  readonly candidates: readonly IssuanceCandidate[]
}

/** A signed certificate as it crosses the thread boundary (dates as epoch ms). */
export interface WorkerCertificate {
  readonly uvci: string
  readonly personCccd: string
  readonly contentHash: string
  readonly iat: number
  readonly exp: number
  readonly hc1: string
  readonly supersedes: string | null
  readonly phone: string | null
  readonly email: string | null
}

export interface WorkerResponse {
  readonly id: number
  readonly result: {
    readonly certs: WorkerCertificate[]
    readonly unchanged: number
    readonly failures: Array<{ cccd: string; code: string }>
  }
}
