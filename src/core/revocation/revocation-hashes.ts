import { getDefaultPlatform } from '../platform/default-platform.js'
import { bytesToBase64 } from '../platform/bytes.js'
import type { Platform } from '../platform/platform.js'

/** The hash types of EU DCC revocation lists. */
export type RevocationHashType = 'UCI' | 'COUNTRYCODEUCI' | 'SIGNATURE'

/** What a revocation hash is computed from. */
export interface RevocationSubject {
  /** The certificate identifier (`v[0].ci`, `t[0].ci` or `r[0].ci`). */
  readonly uci: string
  /** The issuing country code (CWT `iss`, else the entry's `co`). */
  readonly country: string
  /** The COSE_Sign1 signature bytes. */
  readonly signature: Uint8Array
  readonly alg: 'ES256' | 'PS256' | string
}

/**
 * The three revocation hashes of a certificate: the first 16 bytes of SHA-256, base64, over the
 * UCI (UTF-8), the country code followed by the UCI, and the signature (for ECDSA only its `r`
 * half, so that the hash survives re-encoding of `s`).
 *
 * @example
 * const { UCI } = await computeRevocationHashes({ uci, country: 'VN', signature, alg: 'ES256' })
 */
export async function computeRevocationHashes(
  subject: RevocationSubject,
  platform: Platform = getDefaultPlatform(),
): Promise<Record<RevocationHashType, string>> {
  const text = new TextEncoder()
  const first16 = async (bytes: Uint8Array): Promise<string> =>
    bytesToBase64((await platform.sha256(bytes)).subarray(0, 16))
  const signed =
    subject.alg === 'ES256'
      ? subject.signature.subarray(0, subject.signature.length / 2)
      : subject.signature
  return {
    UCI: await first16(text.encode(subject.uci)),
    COUNTRYCODEUCI: await first16(text.encode(subject.country + subject.uci)),
    SIGNATURE: await first16(signed),
  }
}
