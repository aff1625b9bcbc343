import { createHash } from 'node:crypto'

/** The three hash types of the EU DCC revocation list. */
export type RevocationHashType = 'UCI' | 'COUNTRYCODEUCI' | 'SIGNATURE'

/** A revoked certificate with what its hashes are computed from. */
export interface RevocationInput {
  /** `v[0].ci`. */
  readonly uci: string
  /** Issuing country (`co`), e.g. `VN`. */
  readonly country: string
  /** base64 kid of the DSC that signed it. */
  readonly kid: string
  /** The COSE_Sign1 signature bytes. */
  readonly signature: Uint8Array
  readonly alg: 'ES256' | 'PS256'
  /** The certificate's `exp` (ISO 8601): the entry can be dropped after it. */
  readonly exp: string
}

/** A revocation batch (the DCC gateway shape). */
export interface RevocationBatch {
  readonly country: string
  readonly expires: string
  readonly kid: string
  readonly hashType: RevocationHashType
  readonly entries: ReadonlyArray<{ readonly hash: string }>
}

/** The published revocation list: batches per kid and hash type. */
export interface RevocationList {
  readonly country: string
  readonly generatedAt: string
  readonly hashTypes: readonly RevocationHashType[]
  readonly batches: readonly RevocationBatch[]
}

function hash16(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest().subarray(0, 16).toString('base64')
}

/**
 * The revocation hash of a certificate for one hash type: the first 16 bytes of SHA-256,
 * base64. UCI hashes the `ci` string; COUNTRYCODEUCI the country code followed by `ci`;
 * SIGNATURE the COSE signature bytes, only `r` (the first half) for ECDSA.
 *
 * @example
 * computeRevocationHash('UCI', { uci: 'URN:UVCI:01:VN:...', ... })
 */
export function computeRevocationHash(
  type: RevocationHashType,
  input: Pick<RevocationInput, 'uci' | 'country' | 'signature' | 'alg'>,
): string {
  if (type === 'UCI') return hash16(input.uci)
  if (type === 'COUNTRYCODEUCI') return hash16(input.country + input.uci)
  const sig = input.alg === 'ES256' ? input.signature.subarray(0, input.signature.length / 2) : input.signature
  return hash16(sig)
}

/**
 * Builds the revocation list in the EU DCC revocation shape: for each DSC kid and each hash
 * type, a batch `{country, expires, kid, hashType, entries: [{hash}]}` whose `expires` is the
 * latest `exp` of its certificates.
 *
 * @example
 * const list = buildRevocationList(inputs, { country: 'VN', now: new Date() })
 */
export function buildRevocationList(
  inputs: readonly RevocationInput[],
  options: { country: string; now: Date; hashTypes?: readonly RevocationHashType[] },
): RevocationList {
  const hashTypes = options.hashTypes ?? (['UCI', 'COUNTRYCODEUCI', 'SIGNATURE'] as const)
  const byKid = new Map<string, RevocationInput[]>()
  for (const i of inputs) {
    const list = byKid.get(i.kid)
    if (list === undefined) byKid.set(i.kid, [i])
    else list.push(i)
  }
  const batches: RevocationBatch[] = []
  for (const [kid, list] of [...byKid].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const expires = list.reduce((max, i) => (i.exp > max ? i.exp : max), list[0]!.exp)
    for (const hashType of hashTypes) {
      batches.push({
        country: options.country,
        expires,
        kid,
        hashType,
        entries: list.map((i) => ({ hash: computeRevocationHash(hashType, i) })),
      })
    }
  }
  return { country: options.country, generatedAt: options.now.toISOString(), hashTypes, batches }
}
