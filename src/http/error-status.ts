import { isVaxpassError } from '../core/errors.js'
import type { ErrorCode } from '../errors.js'

/**
 * The one place where error codes become HTTP status codes. A code that is not listed is a 400
 * when it comes from input checks (the core's codes) and a 500 otherwise.
 */
export const ERROR_STATUS: Partial<Record<ErrorCode | (string & {}), number>> = {
  // http shell
  ERR_VALIDATION: 400,
  ERR_NOT_FOUND: 404,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_RATE_LIMITED: 429,
  ERR_NOT_AVAILABLE: 503,
  // users
  ERR_AUTH_REQUIRED: 401,
  ERR_AUTH_INVALID: 401,
  ERR_API_KEY_INVALID: 401,
  ERR_FORBIDDEN: 403,
  ERR_USER_INVALID: 400,
  ERR_USER_EXISTS: 409,
  ERR_OTP_INVALID: 401,
  ERR_OTP_ATTEMPTS: 429,
  ERR_TOO_MANY_FAILURES: 429,
  // core input problems
  ERR_INPUT_EMPTY: 400,
  ERR_INPUT_TOO_LARGE: 413,
  ERR_INPUT_FORMAT: 400,
  ERR_QR_TOO_LARGE: 413,
  ERR_QR_IMAGE: 400,
  ERR_QR_NOT_FOUND: 422,
  // storage: a failed import file problem is the caller's; connection problems are ours
  ERR_IMPORT_HEADER: 400,
  ERR_IMPORT_FILE_TOO_LARGE: 413,
  ERR_IMPORT_LINE_TOO_LONG: 400,
  ERR_IMPORT_FIELD_TOO_LONG: 400,
  ERR_DB_CONNECT: 503,
  // issuance: the person's records cannot be certified, or the certificate is in the wrong state
  ERR_ISSUE_INVALID_PERSON: 422,
  ERR_ISSUE_NO_DOSES: 422,
  ERR_ISSUE_INVALID_DOSE: 422,
  ERR_ISSUE_INCONSISTENT_VACCINE: 422,
  ERR_ISSUE_NOT_ELIGIBLE: 422,
  ERR_UVCI: 400,
  ERR_CERT_NOT_FOUND: 404,
  ERR_CERT_NOT_ACTIVE: 409,
  ERR_REVOKE_REASON: 400,
  ERR_IMPORT_IO: 400,
  ERR_IMPORT_BATCH: 500,
  // declarations and review
  ERR_DECLARATION_INVALID: 400,
  ERR_DECLARATION_NOT_FOUND: 404,
  ERR_DECLARATION_STATE: 409,
  ERR_DECLARATION_NOT_LINKED: 422,
  ERR_DECLARATION_CONFLICT: 409,
  ERR_REVIEW_FORBIDDEN: 403,
  ERR_REVIEW_OWN_DECLARATION: 403,
  ERR_REVIEW_REASON: 400,
  // keys and the database are the operator's problems, never the caller's
  ERR_KEYSTORE_MISSING: 503,
  ERR_KEY_NO_ACTIVE_DSC: 503,
  ERR_KEYSTORE_CORRUPT: 500,
  ERR_KEYSTORE_EXISTS: 500,
  ERR_DB_URL: 500,
  ERR_DELIVERY_CONFIG: 500,
  ERR_DELIVERY_FAILED: 500,
  ERR_DB_MIGRATION: 500,
  ERR_KEY_PASSPHRASE: 500,
  ERR_INTERNAL: 500,
}

/** The JSON error body of every failed request. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string }
}

// Fastify's own errors for malformed requests.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'ERR_PAYLOAD_TOO_LARGE', message: 'request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
    message: 'unsupported content type',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'ERR_VALIDATION', message: 'body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'ERR_VALIDATION', message: 'body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'ERR_VALIDATION', message: 'bad content length' },
}

/**
 * Turns anything thrown by a route into a status and a body `{error: {code, message}}`. Unknown
 * errors become 500 `ERR_INTERNAL` with a fixed message: no stack, no driver text.
 *
 * @example
 * errorResponseFor(new VaxpassError('ERR_FORBIDDEN', 'admins only')) // { status: 403, body: ... }
 */
export function errorResponseFor(err: unknown): { status: number; body: ErrorBody } {
  if (isVaxpassError(err)) {
    const mapped = ERROR_STATUS[err.code]
    const status = mapped ?? (isCoreInputCode(err.code) ? 400 : 500)
    if (status < 500) return { status, body: { error: { code: err.code, message: err.message } } }
    // Server-side failures say nothing of their cause to the caller.
    const code = mapped === undefined ? 'ERR_INTERNAL' : err.code
    const message = err.code === 'ERR_NOT_AVAILABLE' ? err.message : 'internal error'
    return { status, body: { error: { code, message } } }
  }
  const e = err as { code?: unknown; validation?: unknown; message?: unknown; statusCode?: unknown }
  if (e !== null && typeof e === 'object') {
    if (e.validation !== undefined) {
      return {
        status: 400,
        body: { error: { code: 'ERR_VALIDATION', message: String(e.message ?? 'invalid request') } },
      }
    }
    if (typeof e.code === 'string') {
      const known = FASTIFY_CODES[e.code]
      if (known) return { status: known.status, body: { error: { code: known.code, message: known.message } } }
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return { status: 400, body: { error: { code: 'ERR_VALIDATION', message: 'invalid request' } } }
    }
  }
  return { status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error' } } }
}

// The core's codes (codecs, formats) all describe bad input.
function isCoreInputCode(code: string): boolean {
  return /^ERR_(HC1|BASE45|ZLIB|CBOR|COSE|CWT|DCC|SHC|JWS|NZCP|VDS|QR)/.test(code)
}

/**
 * What the log says of a request that failed on the server's side (status >= 500): the route, the
 * code, the error's name and its stack without the first line (the message may quote input).
 *
 * @example
 * log.error(failureLogFields('/api/public/verify', 'ERR_INTERNAL', err), 'request failed')
 */
export function failureLogFields(
  route: string | undefined,
  code: string,
  err: unknown,
): { route: string | undefined; code: string; errName: string; frames: string } {
  const frames = err instanceof Error && err.stack ? err.stack.split('\n').slice(1, 8).join('\n') : ''
  return { route, code, errName: err instanceof Error ? err.name : typeof err, frames }
}
