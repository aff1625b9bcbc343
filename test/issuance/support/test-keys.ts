import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNodeSigner } from '../../../src/core/cose/node-signer.js'
import { loadTrustStore } from '../../../src/core/trust/load-trust-store.js'
import type { TrustStore } from '../../../src/core/trust/trust-store.js'
import { buildTrustList } from '../../../src/domain/trust/build-trust-list.js'
import type { IssuingKey } from '../../../src/storage/certificates/certificate-store.js'
import {
  initKeystore,
  listPublishedDscs,
  loadActiveSigningKey,
  type ActiveSigningKey,
} from '../../../src/storage/keystore/keystore.js'

export const PASSPHRASE = 'test passphrase 123'

/** A fresh keystore in a temp folder, its active key and a trust store built from its trust list. */
export async function makeTestKeys(
  now: Date,
  alg: 'ES256' | 'PS256' = 'ES256',
): Promise<{ dir: string; active: ActiveSigningKey; key: IssuingKey; trust: () => Promise<TrustStore> }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'vaxpass-keys-')), 'keys')
  await initKeystore({ dir, passphrase: PASSPHRASE, now, alg })
  const active = loadActiveSigningKey({ dir, passphrase: PASSPHRASE, now })
  const signer = createNodeSigner({
    privateKey: active.privateKey,
    alg: active.alg,
    kid: new Uint8Array(Buffer.from(active.kid, 'base64')),
  })
  const trust = async () =>
    loadTrustStore({
      trustList: buildTrustList(
        listPublishedDscs(dir, now).map((d) => ({
          kid: d.kid,
          der: d.der,
          timestamp: d.createdAt,
          signature: d.signature,
        })),
        { country: 'VN' },
      ),
    })
  return { dir, active, key: { signer, kid: active.kid }, trust }
}
