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
 * A slice of candidates to build and sign, packed: the slice's part of `IssuanceBatch.wire`
 * (one record per person, read with `readWireRecord`) and where each record ends. Both buffers
 * are transferred, not copied, and hold no JavaScript object.
 */
export interface WorkerRequest {
  readonly id: number
  readonly now: number
  /** The slice's first person's position in its batch (UVCIs sort in batch order). */
  readonly first: number
  readonly wire: Uint8Array
  readonly ends: Uint32Array
}

/**
 * What a worker did with one slice; person indexes are positions in the slice. The new
 * certificates come back packed in two transferred buffers (no string crosses the thread
 * boundary, and the main thread's heap never holds a batch of HC1 strings): see
 * {@link readIssuedCertificate}.
 */
export interface WorkerResult {
  /** CWT iat and exp (epoch ms) shared by every certificate of the slice (0 when none). */
  readonly iat: number
  readonly exp: number
  /** New certificates in this slice. */
  readonly count: number
  /**
   * {@link ISSUED_STRIDE} numbers per new certificate: the person index, then the end offsets in
   * `bytes` of its UVCI, content hash and HC1 (each starts where the previous one ends; the first
   * certificate's UVCI at 0).
   */
  readonly index: Uint32Array
  /** UTF-8 of every certificate's UVCI, content hash and HC1, back to back. */
  readonly bytes: Uint8Array
  /** Flat, per failure: person index, error code. */
  readonly failures: Array<string | number>
  readonly unchanged: number
}

/** Numbers per new certificate in {@link WorkerResult.index}. */
export const ISSUED_STRIDE = 4

export interface WorkerResponse {
  readonly id: number
  readonly result: WorkerResult
}

/**
 * Calls `visit` with each new certificate of a worker result, in order: its UVCI and content hash
 * as strings, its HC1 as a view on the result's UTF-8 bytes (the main thread stores those bytes
 * as text without ever making a string of them).
 *
 * @example
 * unpackIssued(result, (person, uvci, contentHash, hc1) => rows.push({ person, uvci, contentHash, hc1 }))
 */
export function unpackIssued(
  result: WorkerResult,
  visit: (person: number, uvci: string, contentHash: string, hc1: Uint8Array) => void,
): void {
  const { index, count } = result
  const bytes = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength)
  // Plain Uint8Array views (a Buffer's subarray would build a Buffer object per certificate).
  const view = new Uint8Array(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength)
  let start = 0
  for (let i = 0; i < count * ISSUED_STRIDE; i += ISSUED_STRIDE) {
    const uvciEnd = index[i + 1]!
    const hashEnd = index[i + 2]!
    const hc1End = index[i + 3]!
    visit(
      index[i]!,
      bytes.toString('utf8', start, uvciEnd),
      bytes.toString('utf8', uvciEnd, hashEnd),
      view.subarray(hashEnd, hc1End),
    )
    start = hc1End
  }
}
