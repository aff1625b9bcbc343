import { decodeCbor, encodeCbor, toJsonValue } from '../cbor/cbor.js'
import { NOT_FAST, decodeHcertClaimsFast, readHcertClaimsFast } from '../cbor/decode-cbor-fast.js'
import { NOT_WRITTEN, writeCborFast } from '../cbor/encode-cbor-fast.js'
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
  // Large enough for any real pass (a QR holds under 3 KB); larger claims go through cbor-x.
  scratch ??= new Uint8Array(16384)
  const end = writeCwtClaims(claims, scratch, 0)
  if (end !== NOT_WRITTEN) return scratch.slice(0, end)
  return encodeCwtClaimsCborX(claims)
}

// Allocated on first use: a verifier only decodes.
let scratch: Uint8Array | undefined

/**
 * Writes the claims of {@link encodeCwtClaims} into `target` from `offset`, the same bytes, and
 * returns the offset after them; or `NOT_WRITTEN` (-1) when the DCC holds something other than
 * plain JSON-like data or the claims do not fit (then use {@link encodeCwtClaims}).
 *
 * @example
 * const end = writeCwtClaims({ iss: 'VN', iat, exp, dcc }, buf, 64)
 */
export function writeCwtClaims(claims: CwtClaims, target: Uint8Array, offset: number): number {
  if (offset + 12 > target.length) return NOT_WRITTEN
  let o = offset
  const { iss, exp, iat } = claims
  target[o++] =
    0xa1 + (iss !== undefined ? 1 : 0) + (exp !== undefined ? 1 : 0) + (iat !== undefined ? 1 : 0)
  // Keys 1, 4, 6 and -260 are one-byte and three-byte integers; the order is the Map's below.
  if (iss !== undefined) {
    target[o++] = CWT_ISS
    o = writeCborFast(iss, target, o)
    if (o === NOT_WRITTEN || o + 12 > target.length) return NOT_WRITTEN
  }
  if (exp !== undefined) {
    target[o++] = CWT_EXP
    o = writeCborFast(exp, target, o)
    if (o === NOT_WRITTEN || o + 12 > target.length) return NOT_WRITTEN
  }
  if (iat !== undefined) {
    target[o++] = CWT_IAT
    o = writeCborFast(iat, target, o)
    if (o === NOT_WRITTEN || o + 12 > target.length) return NOT_WRITTEN
  }
  // -260: negative integer 259 (0x39 01 03), then the map {1: dcc}.
  target[o++] = 0x39
  target[o++] = 0x01
  target[o++] = 0x03
  target[o++] = 0xa1
  target[o++] = HCERT_DCC
  return writeCborFast(claims.dcc, target, o)
}

/**
 * {@link encodeCwtClaims} through cbor-x with Maps: the reference that the direct writer is
 * held to, and the path for claims it does not take.
 *
 * @example
 * encodeCwtClaimsCborX({ iss: 'VN', iat: 1640995200, exp: 1672531200, dcc })
 */
export function encodeCwtClaimsCborX(claims: CwtClaims): Uint8Array {
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
  // The usual claims read into fields (no Maps); anything else: the Map-based path.
  const c = readHcertClaimsFast(bytes)
  if (c === NOT_FAST) return parseCwtClaimsFromMap(bytes)
  const out: { iss?: string; iat?: number; exp?: number; dcc: unknown } = { dcc: c.dcc }
  if (c.iss !== undefined) out.iss = c.iss
  if (c.iat !== undefined) out.iat = c.iat
  if (c.exp !== undefined) out.exp = c.exp
  return out
}

/**
 * {@link parseCwtClaims} through a Map of the claims: the reference its field-by-field reading
 * is held to, and the path of claims that reading declines (other claims, repeated keys,
 * unusual types, every error).
 *
 * @example
 * const { iss, dcc } = parseCwtClaimsFromMap(cose.payload)
 */
export function parseCwtClaimsFromMap(bytes: Uint8Array): CwtClaims {
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
