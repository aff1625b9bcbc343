import { randomUUID } from 'node:crypto'
import { VaxpassError } from '../../core/errors.js'
import type { AuthDb } from './auth-tables.js'

/** What a national-app API key may do. Only one scope exists: fetching a current certificate. */
export type ApiKeyScope = 'certificate:read'

/** A national app's API key record (never the secret). */
export interface ApiKeyRecord {
  readonly id: string
  readonly appName: string
  readonly scope: ApiKeyScope
  readonly revoked: boolean
}

/**
 * Stores a new API key for an app under the hash of its secret; `ERR_USER_EXISTS` when the app
 * already has one.
 *
 * @example
 * const { token, hash } = createToken('vxk_')
 * await insertApiKey(db, 'pc-covid', hash, 'certificate:read', now)
 */
export async function insertApiKey(
  db: AuthDb,
  appName: string,
  keyHash: string,
  scope: ApiKeyScope,
  now: Date,
): Promise<ApiKeyRecord> {
  const existing = await db
    .selectFrom('auth_api_keys')
    .select('id')
    .where('app_name', '=', appName)
    .executeTakeFirst()
  if (existing) throw new VaxpassError('ERR_USER_EXISTS', `app ${appName} already has a key`)
  const id = randomUUID()
  await db
    .insertInto('auth_api_keys')
    .values({ id, app_name: appName, key_hash: keyHash, scope, created_at: now.getTime(), revoked_at: null })
    .execute()
  return { id, appName, scope, revoked: false }
}

/**
 * The live (not revoked) key whose secret hashes to `keyHash`.
 *
 * @example
 * const key = await findApiKey(db, hashToken(header))
 */
export async function findApiKey(db: AuthDb, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const row = await db
    .selectFrom('auth_api_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row ? { id: row.id, appName: row.app_name, scope: row.scope as ApiKeyScope, revoked: false } : undefined
}

/**
 * Every app with a key (live or revoked).
 *
 * @example
 * await listApiKeys(db)
 */
export async function listApiKeys(db: AuthDb): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('auth_api_keys').selectAll().orderBy('app_name').execute()
  return rows.map((r) => ({
    id: r.id,
    appName: r.app_name,
    scope: r.scope as ApiKeyScope,
    revoked: r.revoked_at !== null,
  }))
}
