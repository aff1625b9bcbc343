import { VaxpassError } from '../errors.js'
import { parseJsonBounded } from '../jcs/parse-json-bounded.js'
import { decodeBase64url } from './base64url.js'

/** A compact JWS split into its parts; the payload is still raw bytes (it may be compressed). */
export interface CompactJws {
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Uint8Array
  readonly signature: Uint8Array
  /** The ASCII bytes `base64url(header) + '.' + base64url(payload)` that the signature covers. */
  readonly signingInput: Uint8Array
}

/** Longest compact JWS we read (SMART Health Cards cap the QR form near 20 kB). */
export const MAX_JWS_LENGTH = 200_000

/**
 * Splits a compact JWS (`header.payload.signature`) and decodes its parts strictly. It does not
 * verify anything.
 *
 * @throws VaxpassError ERR_JWS, ERR_INPUT_TOO_LARGE
 * @example
 * const jws = parseCompactJws(text); jws.header.alg // 'ES256'
 */
export function parseCompactJws(text: string): CompactJws {
  if (text.length > MAX_JWS_LENGTH) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', `JWS longer than ${MAX_JWS_LENGTH} characters`)
  }
  const parts = text.split('.')
  if (parts.length !== 3) {
    throw new VaxpassError('ERR_JWS', `a compact JWS has 3 parts, found ${parts.length}`)
  }
  const [h, p, s] = parts as [string, string, string]
  if (h === '' || p === '') throw new VaxpassError('ERR_JWS', 'empty JWS header or payload')
  const headerBytes = decodeBase64url(h)
  let header: unknown
  try {
    header = parseJsonBounded(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes), {
      maxLength: 4096,
      maxDepth: 4,
    })
  } catch (cause) {
    throw new VaxpassError('ERR_JWS', 'JWS header is not a JSON object', { cause })
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new VaxpassError('ERR_JWS', 'JWS header is not a JSON object')
  }
  return {
    header: header as Record<string, unknown>,
    payload: decodeBase64url(p),
    signature: decodeBase64url(s),
    signingInput: new TextEncoder().encode(`${h}.${p}`),
  }
}
