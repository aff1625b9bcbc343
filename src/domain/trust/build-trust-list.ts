import { createHash } from 'node:crypto'

/** A DSC to publish. */
export interface TrustListInput {
  /** base64 kid. */
  readonly kid: string
  readonly der: Uint8Array
  /** When it was created or uploaded (ISO 8601). */
  readonly timestamp: string
  /** base64 signature of the DER by the CSCA (trust anchor), when known. */
  readonly signature?: string | null
}

/** One item of the DCC gateway trust list (`/trustList/DSC` shape). */
export interface TrustListItem {
  readonly kid: string
  readonly timestamp: string
  readonly country: string
  readonly certificateType: 'DSC'
  /** SHA-256 of the DER, lower-case hex. */
  readonly thumbprint: string
  readonly signature: string
  /** base64 DER. */
  readonly rawData: string
}

/**
 * Builds the DSC trust list in the EU DCC gateway JSON shape: items
 * `{kid, timestamp, country, certificateType, thumbprint, signature, rawData}`.
 *
 * @example
 * const items = buildTrustList(listPublishedDscs(dir, now).map((d) =>
 *   ({ kid: d.kid, der: d.der, timestamp: d.createdAt, signature: d.signature })), { country: 'VN' })
 */
export function buildTrustList(
  dscs: readonly TrustListInput[],
  options: { country: string },
): TrustListItem[] {
  return dscs.map((d) => ({
    kid: d.kid,
    timestamp: d.timestamp,
    country: options.country,
    certificateType: 'DSC',
    thumbprint: createHash('sha256').update(d.der).digest('hex'),
    signature: d.signature ?? '',
    rawData: Buffer.from(d.der).toString('base64'),
  }))
}
