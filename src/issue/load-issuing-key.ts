import { createNodeSigner } from '../core/cose/node-signer.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import type { IssuingKey } from '../storage/certificates/certificate-store.js'
import { readKeyPassphrase } from '../storage/keystore/read-key-passphrase.js'
import {
  loadActiveSigningKey,
  resolveKeysDir,
  type ActiveSigningKey,
} from '../storage/keystore/keystore.js'

/** Default `v[0].is`. */
export const DEFAULT_ISSUER = 'Ministry of Health of Viet Nam'

/**
 * Issuer settings from the environment: `VAXPASS_ISSUER` (`v[0].is`), `VAXPASS_COUNTRY`
 * (default VN).
 *
 * @example
 * const config = readIssuanceConfig(process.env)
 */
export function readIssuanceConfig(env: NodeJS.ProcessEnv = process.env): IssuanceConfig {
  return {
    issuer: env.VAXPASS_ISSUER?.trim() || DEFAULT_ISSUER,
    country: env.VAXPASS_COUNTRY?.trim() || 'VN',
  }
}

/**
 * Unlocks the active DSC of the keystore named by the environment (VAXPASS_KEYS_DIR,
 * VAXPASS_KEY_PASSPHRASE or VAXPASS_KEY_PASSPHRASE_FILE) and wraps it as a signer.
 * Errors: ERR_KEY_PASSPHRASE, ERR_KEYSTORE_MISSING, ERR_KEY_NO_ACTIVE_DSC.
 *
 * @example
 * const { key, active } = loadIssuingKey(process.env, new Date())
 */
export function loadIssuingKey(
  env: NodeJS.ProcessEnv,
  now: Date,
): { key: IssuingKey; active: ActiveSigningKey } {
  const dir = resolveKeysDir(env)
  const passphrase = readKeyPassphrase(env)
  const active = loadActiveSigningKey({ dir, passphrase, now })
  const signer = createNodeSigner({
    privateKey: active.privateKey,
    alg: active.alg,
    kid: new Uint8Array(Buffer.from(active.kid, 'base64')),
  })
  return { key: { signer, kid: active.kid }, active }
}
