import type { FastifyRequest } from 'fastify'

/** Name of the session cookie (staff and citizen sessions alike). */
export const SESSION_COOKIE = 'vaxpass_session'

/**
 * The session token of a request: `Authorization: Bearer <token>` first, else the session cookie.
 *
 * @example
 * const token = readSessionToken(request)
 */
export function readSessionToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization
  if (typeof auth === 'string') {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(auth)
    if (m) return m[1]
  }
  const cookie = request.headers.cookie
  if (typeof cookie === 'string') {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=')
      if (eq < 0) continue
      if (part.slice(0, eq).trim() === SESSION_COOKIE) {
        const value = part.slice(eq + 1).trim()
        if (/^[A-Za-z0-9_-]{20,200}$/.test(value)) return value
      }
    }
  }
  return undefined
}

/**
 * The national-app API key of a request (`X-Api-Key` header).
 *
 * @example
 * const key = readApiKey(request)
 */
export function readApiKey(request: FastifyRequest): string | undefined {
  const key = request.headers['x-api-key']
  return typeof key === 'string' && /^[A-Za-z0-9_-]{20,200}$/.test(key) ? key : undefined
}

/**
 * A `Set-Cookie` value for a session: HttpOnly, SameSite=Strict, path-wide; `maxAgeS` 0 clears it.
 *
 * @example
 * reply.header('set-cookie', sessionCookie(token, 8 * 3600, false))
 */
export function sessionCookie(token: string, maxAgeS: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`]
  if (secure) parts.push('Secure')
  return parts.join('; ')
}
