import { algorithmFromCoseId } from '../../core/cose/signer.js'
import { decodeHc1 } from '../../core/hc1/hc1.js'
import {
  buildRevocationList,
  type RevocationInput,
  type RevocationList,
} from '../../domain/trust/build-revocation-list.js'
import type { Storage } from '../storage.js'
import { listRevokedCertificates } from './certificate-store.js'

/**
 * The current revocation list from the store: every revoked certificate not yet expired, its
 * signature read back from its stored `HC1:` string.
 *
 * @example
 * const list = await loadRevocationList(storage, { country: 'VN', now: new Date() })
 */
export async function loadRevocationList(
  storage: Storage,
  options: { country: string; now: Date },
): Promise<RevocationList> {
  const revoked = await listRevokedCertificates(storage, options.now)
  const inputs: RevocationInput[] = []
  for (const r of revoked) {
    const decoded = await decodeHc1(r.hc1)
    inputs.push({
      uci: r.uvci,
      country: options.country,
      kid: r.kid,
      signature: decoded.cose.signature,
      alg: algorithmFromCoseId(decoded.cose.alg) ?? 'ES256',
      exp: r.exp,
    })
  }
  return buildRevocationList(inputs, options)
}
