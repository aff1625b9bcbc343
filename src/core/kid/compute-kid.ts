import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'

/**
 * HCERT key identifier: the first 8 bytes of the SHA-256 of the DSC's DER encoding.
 *
 * @example
 * const kid = await computeKid(dscDer) // 8 bytes
 */
export async function computeKid(
  certificateDer: Uint8Array,
  platform: Platform = getDefaultPlatform(),
): Promise<Uint8Array> {
  return (await platform.sha256(certificateDer)).slice(0, 8)
}
