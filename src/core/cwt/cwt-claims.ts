import { decodeCbor, encodeCbor, toJsonValue } from '../cbor/cbor.js'
import { NOT_FAST, decodeHcertClaimsFast } from '../cbor/decode-cbor-fast.js'
import { VaxpassError } from '../errors.js'

/** CWT claim keys used by HCERT. */
export const CWT_ISS = 1
export const CWT_EXP = 4
export const CWT_IAT = 6
export const CWT_HCERT = -260
export const HCERT_DCC = 1

/** The claims of an HCERT CWT. Times are seconds since the epoch. */
export interface CwtClaims {
  readonly iss?: string
  readonly iat?: number
  readonly exp?: number
  /** The DCC payload (claim -260 / 1) as plain JSON data. */
  readonly dcc: unknown
}

/**
 * Encodes HCERT CWT claims `{1: iss, 4: exp, 6: iat, -260: {1: dcc}}` in one CBOR pass.
 *
 * @example
 * encodeCwtClaims({ iss: 'VN', iat: 1640995200, exp: 1672531200, dcc })
 */
export function encodeCwtClaims(claims: CwtClaims): Uint8Array {
  const m = new Map<number, unknown>()
  if (claims.iss !== undefined) m.set(CWT_ISS, claims.iss)
  if (claims.exp !== undefined) m.set(CWT_EXP, claims.exp)
  if (claims.iat !== undefined) m.set(CWT_IAT, claims.iat)
  m.set(CWT_HCERT, new Map([[HCERT_DCC, claims.dcc]]))
  return encodeCbor(m)
}

/**
 * Decodes HCERT CWT claims. Lenient where real passes differ (float or tagged times, text keys
 * "1"/"4"/"6"); strict on the shape. Errors: `ERR_CBOR*`, `ERR_CWT_CLAIMS`, `ERR_DCC_MISSING`.
 *
 * @example
 * const { iss, iat, exp, dcc } = parseCwtClaims(cose.payload)
 */
export function parseCwtClaims(bytes: Uint8Array): CwtClaims {
  // Usual claims in one pass, the DCC straight to JSON; anything unusual: the general path.
  const fast = decodeHcertClaimsFast(bytes)
  const m = fast === NOT_FAST ? decodeCbor(bytes) : fast
  if (!(m instanceof Map)) throw new VaxpassError('ERR_CWT_CLAIMS', 'CWT claims must be a CBOR map')
  const iss = m.get(CWT_ISS)
  if (iss !== undefined && typeof iss !== 'string') {
    throw new VaxpassError('ERR_CWT_CLAIMS', 'claim iss (1) must be a text string')
  }
  const iat = readTime(m.get(CWT_IAT), 'iat (6)')
  const exp = readTime(m.get(CWT_EXP), 'exp (4)')
  const hcert = m.get(CWT_HCERT)
  if (!(hcert instanceof Map) || !hcert.has(HCERT_DCC)) {
    throw new VaxpassError('ERR_DCC_MISSING', 'claim -260 / 1 (the DCC) is missing')
  }
  const out: { iss?: string; iat?: number; exp?: number; dcc: unknown } = {
    dcc: fast === NOT_FAST ? toJsonValue(hcert.get(HCERT_DCC)) : hcert.get(HCERT_DCC),
  }
  if (iss !== undefined) out.iss = iss
  if (iat !== undefined) out.iat = iat
  if (exp !== undefined) out.exp = exp
  return out
}

function readTime(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime() / 1000
  throw new VaxpassError('ERR_CWT_CLAIMS', `claim ${name} must be a number`)
}
