import type { Kysely } from 'kysely'

/** Row shapes of the tables created by migration 0002-auth. Times are epoch ms. */
export interface AuthTables {
  auth_users: {
    id: string
    username: string
    password_hash: string
    role: string
    site_code: string | null
    disabled: number
    created_at: number | string
  }
  auth_sessions: {
    token_hash: string
    kind: string
    user_id: string | null
    person_id: string | null
    created_at: number | string
    expires_at: number | string
  }
  auth_api_keys: {
    id: string
    app_name: string
    key_hash: string
    scope: string
    created_at: number | string
    revoked_at: number | string | null
  }
  auth_otp_challenges: {
    id: string
    person_id: string | null
    code_salt: string
    code_hash: string
    attempts: number
    created_at: number | string
    expires_at: number | string
    used_at: number | string | null
  }
  auth_throttle: {
    key: string
    failures: number
    window_start: number | string
    locked_until: number | string
  }
}

/** The project's database seen through the auth tables only (whatever else it holds). */
export type AuthDb = Kysely<AuthTables>

/**
 * Narrows any project database handle to the auth tables. PostgreSQL returns bigint as strings,
 * so readers convert with `Number()`.
 *
 * @example
 * const users = await listUsers(asAuthDb(db))
 */
export function asAuthDb(db: Kysely<any>): AuthDb {
  return db as AuthDb
}
