import type { Dsc } from '../dsc/parse-dsc.js'
import type { VerificationReport } from './report.js'

type Issuer = NonNullable<VerificationReport['issuer']>

/**
 * The report's issuer once a DSC verified the signature: the DSC as trust anchor, and its
 * country when the claims named none. The same object as
 * `{ ...issuer, trustAnchor }` then `{ ...issuer, country }`, written as literals: on the
 * verify path each object spread cost ~0.8 us. The literals cover what the HC1 verifier makes
 * (no issuer, `{}`, `{ id, country }`); any other shape takes the spreads.
 *
 * @example
 * issuerWithDsc({ id: 'VN', country: 'VN' }, dsc) // { id: 'VN', country: 'VN', trustAnchor: '...' }
 */
export function issuerWithDsc(issuer: Issuer | undefined, dsc: Dsc): Issuer {
  const trustAnchor = `${dsc.kidBase64} ${dsc.subject}`.trim()
  if (issuer === undefined || isEmpty(issuer)) {
    return dsc.country === undefined ? { trustAnchor } : { trustAnchor, country: dsc.country }
  }
  // A country already there: the DSC's is not looked at.
  if (isIdCountry(issuer)) return { id: issuer.id, country: issuer.country, trustAnchor }
  const out = { ...issuer, trustAnchor }
  return out.country === undefined && dsc.country !== undefined
    ? { ...out, country: dsc.country }
    : out
}

// No own property a spread would copy.
function isEmpty(o: object): boolean {
  return Object.keys(o).length === 0 && Object.getOwnPropertySymbols(o).length === 0
}

// Exactly { id, country } (both text) in that order, without symbols.
function isIdCountry(o: Issuer): o is Issuer & { id: string; country: string } {
  const keys = Object.keys(o)
  if (Object.getOwnPropertySymbols(o).length !== 0) return false
  return (
    keys.length === 2 &&
    keys[0] === 'id' &&
    keys[1] === 'country' &&
    typeof o.id === 'string' &&
    typeof o.country === 'string'
  )
}
