import type { Dsc } from '../dsc/parse-dsc.js'
import type { VerificationReport } from './report.js'

type Issuer = NonNullable<VerificationReport['issuer']>

/**
 * The report's issuer before the signature check: the claims' iss as id and country, or `{}`.
 *
 * @example
 * issuerOfClaims('VN') // { id: 'VN', country: 'VN' }
 */
export function issuerOfClaims(iss: string | undefined): Issuer {
  return iss === undefined ? {} : { id: iss, country: iss }
}

/**
 * The report's issuer once a DSC verified the signature: {@link issuerOfClaims} with the DSC as
 * trust anchor, and the DSC's country when the claims named none. The object that
 * `{ ...issuer, trustAnchor }` then `{ ...issuer, country }` made, written as literals: on the
 * verify path each object spread cost ~0.8 us.
 *
 * @example
 * issuerWithDsc('VN', dsc) // { id: 'VN', country: 'VN', trustAnchor: 'kid CN=...' }
 */
export function issuerWithDsc(iss: string | undefined, dsc: Dsc): Issuer {
  const trustAnchor = trustAnchorOf(dsc)
  if (iss !== undefined) return { id: iss, country: iss, trustAnchor }
  return dsc.country === undefined ? { trustAnchor } : { trustAnchor, country: dsc.country }
}

// The text of the last DSC seen: the same few DSCs sign pass after pass, and the text is a
// concatenation plus a trim (a fresh flat string) each time. A Dsc is read-only.
let lastDsc: Dsc | undefined
let lastTrustAnchor = ''

function trustAnchorOf(dsc: Dsc): string {
  if (dsc !== lastDsc) {
    lastTrustAnchor = `${dsc.kidBase64} ${dsc.subject}`.trim()
    lastDsc = dsc
  }
  return lastTrustAnchor
}
