/**
 * One error class for the whole project, with a literal, stable `code`.
 *
 * Each layer declares its own union of codes (core here, registry and issuance in their own
 * folders); `src/errors.ts` joins them into `ErrorCode`, the union that the HTTP layer maps to
 * status codes in one place. Callers switch on `code`, never on the message.
 *
 * @example
 * throw new VaxpassError('ERR_HC1_PREFIX', 'input does not start with HC1:')
 */
export class VaxpassError<C extends string = string> extends Error {
  readonly code: C
  /** Extra, non-personal facts for reports (field names, limits, offsets). */
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(
    code: C,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'VaxpassError'
    this.code = code
    this.details = options?.details
  }
}

/** True when `err` is a {@link VaxpassError}, optionally with the given code. */
export function isVaxpassError<C extends string>(err: unknown, code?: C): err is VaxpassError<C> {
  return err instanceof VaxpassError && (code === undefined || err.code === code)
}

/** Codes raised by `src/core` (codecs, crypto, formats). Add new ones here, keep them sorted by area. */
export type CoreErrorCode =
  // input
  | 'ERR_INPUT_EMPTY'
  | 'ERR_INPUT_TOO_LARGE'
  | 'ERR_INPUT_FORMAT'
  // HC1 / base45 / zlib
  | 'ERR_HC1_PREFIX'
  | 'ERR_BASE45'
  | 'ERR_ZLIB'
  | 'ERR_ZLIB_TOO_LARGE'
  // CBOR / COSE / CWT
  | 'ERR_CBOR'
  | 'ERR_CBOR_TOO_DEEP'
  | 'ERR_COSE_STRUCTURE'
  | 'ERR_COSE_ALG'
  | 'ERR_COSE_KID'
  | 'ERR_COSE_SIGNATURE'
  | 'ERR_CWT_CLAIMS'
  | 'ERR_CWT_NOT_YET_VALID'
  | 'ERR_CERT_EXPIRED'
  // DCC payload
  | 'ERR_DCC_MISSING'
  | 'ERR_DCC_SCHEMA'
  | 'ERR_DCC_VALUE_SET'
  | 'ERR_DCC_TYPE'
  // DSC / trust
  | 'ERR_DSC_PARSE'
  | 'ERR_DSC_UNKNOWN_KID'
  | 'ERR_DSC_VALIDITY'
  | 'ERR_DSC_KEY_USAGE'
  | 'ERR_TRUST_LIST'
  | 'ERR_TRUST_THUMBPRINT'
  | 'ERR_TRUST_CHAIN'
  // revocation
  | 'ERR_REVOKED'
  | 'ERR_REVOCATION_LIST'
  // keys
  | 'ERR_KEY_PARSE'
  | 'ERR_KEY_PASSPHRASE'
  // QR
  | 'ERR_QR_NOT_FOUND'
  | 'ERR_QR_IMAGE'
  | 'ERR_QR_TOO_LARGE'
  // other formats (SHC, NZCP, VDS-NC)
  | 'ERR_SHC'
  | 'ERR_SHC_CHUNKS'
  | 'ERR_SHC_REVOKED'
  | 'ERR_JWS'
  | 'ERR_JWS_ALG'
  | 'ERR_JWS_SIGNATURE'
  | 'ERR_NZCP'
  | 'ERR_VDS'
  | 'ERR_VDS_CERT'
  | 'ERR_VDS_SIGNATURE'
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_NOT_YET_VALID'
  | 'ERR_UNTRUSTED'
  | 'ERR_RULES'
  | 'ERR_RULE_FAILED'
  // anything unexpected, wrapped so that nothing escapes as a stack trace
  | 'ERR_INTERNAL'
