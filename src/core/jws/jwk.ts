import { VaxpassError } from '../errors.js'
import { canonicalizeJson } from '../jcs/canonicalize-json.js'
import { decodeBase64url, encodeBase64url } from './base64url.js'

/** A public JSON Web Key as partners publish it (only the members we read). */
export interface Jwk {
  readonly kty: string
  readonly crv?: string
  readonly x?: string
  readonly y?: string
  readonly n?: string
  readonly e?: string
  readonly kid?: string
  readonly alg?: string
  readonly use?: string
  readonly x5c?: readonly string[]
  readonly crlVersion?: number
  readonly [member: string]: unknown
}

/** JWK members that carry private key material (RFC 7518): never accepted in a trust store. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/**
 * Computes the RFC 7638 thumbprint of a public EC P-256 key: SHA-256 over the canonical JSON of
 * its required members, base64url. SMART Health Cards require the `kid` to equal it.
 *
 * @throws VaxpassError ERR_KEY_PARSE when the key is not an EC key with crv, x and y
 * @example
 * await computeJwkThumbprint({ kty: 'EC', crv: 'P-256', x: '...', y: '...' })
 */
export async function computeJwkThumbprint(jwk: Jwk): Promise<string> {
  const cached = thumbprints.get(jwk)
  if (cached !== undefined) return cached
  const value = await computeThumbprintUncached(jwk)
  thumbprints.set(jwk, value)
  return value
}

// Trust store keys are long-lived objects: remember their thumbprints and imported keys (by
// object identity, so a changed store never reuses a stale entry).
const thumbprints = new WeakMap<Jwk, string>()
const importedKeys = new WeakMap<Jwk, CryptoKey>()

async function computeThumbprintUncached(jwk: Jwk): Promise<string> {
  let members: Record<string, unknown>
  if (jwk.kty === 'EC') members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
  else if (jwk.kty === 'RSA') members = { e: jwk.e, kty: jwk.kty, n: jwk.n }
  else throw new VaxpassError('ERR_KEY_PARSE', `unsupported JWK key type ${String(jwk.kty)}`)
  for (const [name, value] of Object.entries(members)) {
    if (typeof value !== 'string') {
      throw new VaxpassError('ERR_KEY_PARSE', `JWK is missing the member ${name}`)
    }
  }
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(canonicalizeJson(members)),
  )
  return encodeBase64url(new Uint8Array(digest))
}

/**
 * Imports a public EC P-256 JWK for ES256 verification, refusing private members and any other
 * curve: a trust store holds public keys only.
 *
 * @throws VaxpassError ERR_KEY_PARSE
 * @example
 * const key = await importEs256PublicJwk(jwks.keys[0])
 */
export async function importEs256PublicJwk(jwk: Jwk): Promise<CryptoKey> {
  const cached = jwk !== null && typeof jwk === 'object' ? importedKeys.get(jwk) : undefined
  if (cached !== undefined) return cached
  const key = await importUncached(jwk)
  importedKeys.set(jwk, key)
  return key
}

async function importUncached(jwk: Jwk): Promise<CryptoKey> {
  if (jwk === null || typeof jwk !== 'object') {
    throw new VaxpassError('ERR_KEY_PARSE', 'JWK is not an object')
  }
  for (const member of PRIVATE_MEMBERS) {
    if (member in jwk) throw new VaxpassError('ERR_KEY_PARSE', 'JWK carries private key material')
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new VaxpassError('ERR_KEY_PARSE', 'JWK is not an EC P-256 public key')
  }
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new VaxpassError('ERR_KEY_PARSE', 'JWK is missing x or y')
  }
  try {
    if (decodeBase64url(jwk.x).length !== 32 || decodeBase64url(jwk.y).length !== 32) {
      throw new Error('coordinate length')
    }
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    )
  } catch (cause) {
    throw new VaxpassError('ERR_KEY_PARSE', 'JWK is not a valid P-256 point', { cause })
  }
}

/**
 * Verifies a raw r||s ES256 signature over `data` with a key from {@link importEs256PublicJwk}.
 *
 * @example
 * const ok = await verifyEs256(key, signature, bytes)
 */
export async function verifyEs256(
  key: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false
  // Copies give WebCrypto plain ArrayBuffer-backed views, whatever the caller passed.
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new Uint8Array(signature),
    new Uint8Array(data),
  )
}
