import type { SignatureAlgorithm } from '../platform/platform.js'

/**
 * What COSE signing needs from a key: its algorithm, its kid (8 bytes for HCERT) and a
 * synchronous sign function returning the COSE signature (ES256: raw r||s, 64 bytes; PS256:
 * RSA-PSS with SHA-256 and a 32-byte salt). Kept small so that a node:crypto key, an HSM or
 * a test key can stand behind it.
 */
export interface Signer {
  readonly alg: SignatureAlgorithm
  readonly kid: Uint8Array
  sign(data: Uint8Array): Uint8Array
}

/** COSE algorithm identifiers (RFC 9053) of the HCERT algorithms. */
export const COSE_ALG_IDS: Readonly<Record<SignatureAlgorithm, number>> = { ES256: -7, PS256: -37 }

/**
 * The HCERT algorithm name of a COSE alg id, or undefined when unsupported.
 *
 * @example
 * algorithmFromCoseId(-7) // 'ES256'
 */
export function algorithmFromCoseId(id: unknown): SignatureAlgorithm | undefined {
  return id === -7 ? 'ES256' : id === -37 ? 'PS256' : undefined
}
