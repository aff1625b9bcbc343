import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { VaxpassError } from '../../core/errors.js'
import { hashToken } from '../../domain/users/create-token.js'
import type { Role } from '../../domain/users/roles.js'
import { findApiKey, type ApiKeyScope } from '../../storage/users/api-key-store.js'
import { asAuthDb } from '../../storage/users/auth-tables.js'
import { findSession } from '../../storage/users/session-store.js'
import { findUserById } from '../../storage/users/user-store.js'
import type { AppDeps, StaffActor } from '../app-deps.js'
import { readApiKey, readSessionToken } from './read-credentials.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by {@link requireRole} on staff routes. */
    staff?: StaffActor
    /** Set by {@link requireCitizen} on citizen routes: the person the session was opened for. */
    citizenPersonId?: string
    /** Set by {@link requireApiKey}: the national app calling. */
    apiApp?: string
  }
  interface FastifyContextConfig {
    /** Roles allowed on a staff route; every `/api/staff/` route except sign-in must declare it. */
    roles?: readonly Role[]
    /** Kind of caller a route is for, for the OpenAPI document and the route audit test. */
    audience?: 'public' | 'staff' | 'citizen' | 'app'
  }
}

/**
 * An `onRequest` hook that admits only a live staff session whose role is one of `roles`:
 * 401 `ERR_AUTH_REQUIRED` without one, 403 `ERR_FORBIDDEN` for another role or a citizen session.
 * It runs before the body is read, so strangers cannot make the server parse uploads.
 *
 * @example
 * app.post('/api/staff/users', { onRequest: requireRole(deps, 'admin'), config: { roles: ['admin'] } }, h)
 */
export function requireRole(deps: AppDeps, ...roles: Role[]): onRequestAsyncHookHandler {
  const db = asAuthDb(deps.db)
  return async (request: FastifyRequest) => {
    const token = readSessionToken(request)
    if (token === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'sign in first')
    const session = await findSession(db, hashToken(token), deps.now())
    if (session === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'session expired or unknown')
    if (session.kind !== 'staff') throw new VaxpassError('ERR_FORBIDDEN', 'staff only')
    const user = await findUserById(db, session.userId)
    if (user === undefined || user.disabled) throw new VaxpassError('ERR_AUTH_REQUIRED', 'account disabled')
    if (!roles.includes(user.role)) {
      throw new VaxpassError('ERR_FORBIDDEN', `this needs the role ${roles.join(' or ')}`)
    }
    request.staff = { userId: user.id, username: user.username, role: user.role, siteCode: user.siteCode }
  }
}

/**
 * An `onRequest` hook that admits only a live citizen session (after a one-time code).
 *
 * @example
 * app.get('/api/citizen/certificate', { onRequest: requireCitizen(deps) }, h)
 */
export function requireCitizen(deps: AppDeps): onRequestAsyncHookHandler {
  const db = asAuthDb(deps.db)
  return async (request: FastifyRequest) => {
    const token = readSessionToken(request)
    if (token === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'confirm your one-time code first')
    const session = await findSession(db, hashToken(token), deps.now())
    if (session === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'session expired or unknown')
    if (session.kind !== 'citizen') throw new VaxpassError('ERR_FORBIDDEN', 'citizen sessions only')
    request.citizenPersonId = session.personId
  }
}

/**
 * An `onRequest` hook that admits a live national-app API key holding `scope`.
 *
 * @example
 * app.get('/api/apps/certificates/:idNumber', { onRequest: requireApiKey(deps, 'certificate:read') }, h)
 */
export function requireApiKey(deps: AppDeps, scope: ApiKeyScope): onRequestAsyncHookHandler {
  const db = asAuthDb(deps.db)
  return async (request: FastifyRequest) => {
    const key = readApiKey(request)
    if (key === undefined) throw new VaxpassError('ERR_API_KEY_INVALID', 'an X-Api-Key header is required')
    const record = await findApiKey(db, hashToken(key))
    if (record === undefined) throw new VaxpassError('ERR_API_KEY_INVALID', 'unknown or revoked API key')
    if (record.scope !== scope) throw new VaxpassError('ERR_FORBIDDEN', 'this key does not allow that')
    request.apiApp = record.appName
  }
}
