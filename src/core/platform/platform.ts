/**
 * The few primitives that core needs from its host (Node.js or a browser). Keeping them behind
 * this interface lets the verification code be bundled for the offline web verifier with a
 * WebCrypto / DecompressionStream implementation in place of `node.ts`.
 */

/** Signature algorithms of HCERT (COSE alg -7 and -37). */
export type SignatureAlgorithm = 'ES256' | 'PS256'

/** An imported public key, opaque to core (a node KeyObject, a WebCrypto CryptoKey, ...). */
export interface PublicKeyHandle {
  /** 'EC' or 'RSA': which signature algorithms the key can check. */
  readonly type: 'EC' | 'RSA' | 'OTHER'
  readonly native: unknown
}

/** Fields of an X.509 certificate that core reads. Dates are instants. */
export interface ParsedCertificate {
  readonly der: Uint8Array
  readonly subject: string
  readonly issuer: string
  readonly serialNumber: string
  readonly notBefore: Date
  readonly notAfter: Date
  /** Extended key usage OIDs (empty when the extension is absent). */
  readonly extendedKeyUsage: readonly string[]
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array
}

/** Options of a bounded inflate. */
export interface InflateOptions {
  /** Output larger than this many bytes is refused before it is produced. */
  readonly maxOutputLength: number
}

/** Host primitives used by core. All may throw; callers map errors to stable codes. */
export interface Platform {
  sha256(data: Uint8Array): Promise<Uint8Array>
  /** zlib (RFC 1950) compression, as fast as possible for small inputs. */
  deflate(data: Uint8Array): Uint8Array
  /** zlib (RFC 1950) decompression; throws a RangeError-like error when the limit is passed. */
  inflate(data: Uint8Array, options: InflateOptions): Promise<Uint8Array>
  /** Raw DEFLATE (RFC 1951) decompression, bounded the same way (SMART Health Cards). */
  inflateRaw(data: Uint8Array, options: InflateOptions): Promise<Uint8Array>
  parseCertificate(der: Uint8Array): ParsedCertificate
  importPublicKey(spki: Uint8Array): Promise<PublicKeyHandle>
  /** Verifies an ES256 (raw r||s) or PS256 (salt 32) signature. Never throws on a bad signature. */
  verifySignature(
    alg: SignatureAlgorithm,
    key: PublicKeyHandle,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>
  /**
   * The same verdict as {@link Platform.verifySignature}, synchronously, where the host can give
   * it (node:crypto): the HC1 verifier then checks a pass without an await and with scratch
   * buffers that no other call can touch in between. Optional; WebCrypto has none.
   */
  readonly verifySignatureSync?: (
    alg: SignatureAlgorithm,
    key: PublicKeyHandle,
    data: Uint8Array,
    signature: Uint8Array,
  ) => boolean
}
