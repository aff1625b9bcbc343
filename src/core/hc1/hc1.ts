import { decodeBase45, encodeBase45 } from '../base45/base45.js'
import { decodeCoseSign1, signCoseSign1, type CoseSign1 } from '../cose/cose-sign1.js'
import type { Signer } from '../cose/signer.js'
import { encodeCwtClaims, parseCwtClaims, type CwtClaims } from '../cwt/cwt-claims.js'
import { VaxpassError } from '../errors.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'
import { DEFAULT_MAX_INFLATE, inflateZlib } from '../zlib/zlib.js'

/** The context identifier of EU DCC strings. */
export const HC1_PREFIX = 'HC1:'

/** Options of {@link signHc1}. */
export interface SignHc1Options {
  readonly signer: Signer
  /** CWT `iss`: the issuing country, e.g. 'VN'. */
  readonly issuer: string
  readonly iat: Date
  readonly exp: Date
  readonly platform?: Platform
}

/**
 * Signs a DCC payload and packs it as an `HC1:` string: CWT claims -> COSE_Sign1 (tag 18) ->
 * zlib -> Base45 -> prefix. The payload is encoded once; nothing is re-encoded or copied twice.
 *
 * @example
 * const hc1 = signHc1(dcc, { signer, issuer: 'VN', iat: now, exp: inOneYear })
 */
export function signHc1(payload: unknown, options: SignHc1Options): string {
  const cwt = encodeCwtClaims({
    iss: options.issuer,
    iat: Math.floor(options.iat.getTime() / 1000),
    exp: Math.floor(options.exp.getTime() / 1000),
    dcc: payload,
  })
  const cose = signCoseSign1(cwt, options.signer)
  const platform = options.platform ?? getDefaultPlatform()
  return HC1_PREFIX + encodeBase45(platform.deflate(cose))
}

/** The layers of a decoded `HC1:` string. */
export interface DecodedHc1 {
  readonly base45: string
  readonly compressed: Uint8Array
  readonly coseBytes: Uint8Array
  readonly cose: CoseSign1
  readonly claims: CwtClaims
}

/** Options of {@link decodeHc1}. */
export interface DecodeHc1Options {
  readonly maxInflate?: number
  readonly platform?: Platform
}

/**
 * Removes the `HC1:` prefix. Errors: `ERR_HC1_PREFIX`.
 *
 * @example
 * stripHc1Prefix('HC1:NCF...') // 'NCF...'
 */
export function stripHc1Prefix(text: string): string {
  if (!text.startsWith(HC1_PREFIX)) {
    throw new VaxpassError('ERR_HC1_PREFIX', 'input does not start with HC1:')
  }
  return text.slice(HC1_PREFIX.length)
}

/**
 * Decodes an `HC1:` string down to its CWT claims, without checking the signature.
 * Errors: `ERR_HC1_PREFIX`, `ERR_BASE45`, `ERR_ZLIB`, `ERR_ZLIB_TOO_LARGE`, `ERR_CBOR*`,
 * `ERR_COSE_STRUCTURE`, `ERR_CWT_CLAIMS`, `ERR_DCC_MISSING`.
 *
 * @example
 * const { claims, cose } = await decodeHc1('HC1:NCF...')
 */
export async function decodeHc1(text: string, options: DecodeHc1Options = {}): Promise<DecodedHc1> {
  const base45 = stripHc1Prefix(text.trim())
  const compressed = decodeBase45(base45)
  const coseBytes = await inflateZlib(compressed, {
    maxOutputLength: options.maxInflate ?? DEFAULT_MAX_INFLATE,
    platform: options.platform,
  })
  const cose = decodeCoseSign1(coseBytes)
  const claims = parseCwtClaims(cose.payload)
  return { base45, compressed, coseBytes, cose, claims }
}
