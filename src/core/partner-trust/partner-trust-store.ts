import type { PassFormat } from '../verify/report.js'
import type { Jwk } from '../jws/jwk.js'

/** One DSC entry as the DCC gateway publishes them (`/trustList/DSC`). */
export interface GatewayDscEntry {
  readonly kid: string
  readonly country: string
  readonly certificateType?: string
  /** Base64 DER of the certificate. */
  readonly rawData: string
  readonly thumbprint?: string
  readonly timestamp?: string
  readonly signature?: string
}

/** A SMART Health Card issuer revocation list (`/.well-known/crl/<kid>.json`). */
export interface ShcCrl {
  readonly kid: string
  readonly method: string
  readonly ctr: number
  /** Revoked ids, each `rid` or `rid.timestamp` (revoked when issued before the timestamp). */
  readonly rids: readonly string[]
}

/** A SMART Health Cards issuer: its `iss` URL, its JWKS and its revocation lists. */
export interface ShcIssuer {
  readonly iss: string
  readonly name?: string
  readonly keys: readonly Jwk[]
  readonly crls?: readonly ShcCrl[]
}

/** A W3C DID document (did:web), as NZ COVID Pass issuers publish it. */
export interface DidDocument {
  readonly id: string
  readonly verificationMethod?: ReadonlyArray<{
    readonly id: string
    readonly type?: string
    readonly controller?: string
    readonly publicKeyJwk?: Jwk
  }>
  readonly assertionMethod?: readonly unknown[]
  readonly [member: string]: unknown
}

/** A country signing CA certificate (ICAO VDS-NC anchor), base64 DER. */
export interface CscaAnchor {
  readonly certificate: string
  /** Informational label, e.g. the subject; the certificate itself is authoritative. */
  readonly label?: string
}

/** What Vietnam trusts of one partner country. */
export interface PartnerCountry {
  /** ISO 3166-1 alpha-2. */
  readonly country: string
  readonly name?: string
  /** Formats this partner issues; a pass of another format from it is not accepted. */
  readonly formats: readonly PassFormat[]
  readonly dscs?: readonly GatewayDscEntry[]
  readonly shcIssuers?: readonly ShcIssuer[]
  readonly didDocuments?: readonly DidDocument[]
  readonly cscas?: readonly CscaAnchor[]
}

/** All partner countries. Plain data: it serialises to JSON and can be shipped to a browser. */
export interface PartnerTrustStore {
  readonly countries: readonly PartnerCountry[]
}

/**
 * An empty partner trust store.
 *
 * @example
 * const store = createPartnerTrustStore()
 */
export function createPartnerTrustStore(
  countries: readonly PartnerCountry[] = [],
): PartnerTrustStore {
  return { countries }
}
