/** Signature algorithms the issuer can sign passes with (COSE names). */
export type SigningAlgorithm = 'ES256' | 'PS256'

/** A freshly generated key pair, both halves exportable (PKCS#8 / SPKI). */
export interface SigningKeyPair {
  readonly alg: SigningAlgorithm
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
}

/** WebCrypto parameters used to create and sign X.509 certificates for each algorithm. */
export function keyAlgorithmFor(alg: SigningAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams {
  // RSA keys are tagged RSASSA-PKCS1-v1_5 for X.509 signatures (sha256WithRSAEncryption, which
  // every verifier reads); the exported PKCS#8 is plain rsaEncryption, so the same key signs
  // COSE PS256 (RSA-PSS) through node:crypto.
  if (alg === 'PS256') {
    return {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 3072,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    }
  }
  return { name: 'ECDSA', namedCurve: 'P-256' }
}

/** The X.509 signature algorithm for certificates signed by a key of `alg`. */
export function certificateSigningAlgorithmFor(alg: SigningAlgorithm): Algorithm | EcdsaParams {
  return alg === 'PS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' }
}

/**
 * Generates an extractable key pair for a CSCA or DSC with WebCrypto (runs in Node and browsers).
 *
 * @example
 * const keys = await generateSigningKeyPair('ES256')
 */
export async function generateSigningKeyPair(
  alg: SigningAlgorithm,
  crypto: Crypto = globalThis.crypto,
): Promise<SigningKeyPair> {
  if (alg !== 'ES256' && alg !== 'PS256') throw new TypeError(`unsupported algorithm ${String(alg)}`)
  const pair = (await crypto.subtle.generateKey(keyAlgorithmFor(alg), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  return { alg, privateKey: pair.privateKey, publicKey: pair.publicKey }
}
