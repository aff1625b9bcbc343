import { VaxpassError } from '../../core/errors.js'
import { isRole, type Role } from './roles.js'

/** A staff account as an admin asks for it. */
export interface NewUser {
  readonly username: string
  readonly role: Role
  /** Required for site staff (the site they enter doses for), refused for others. */
  readonly siteCode: string | null
}

/**
 * Checks a new account's fields and returns them normalised; throws `ERR_USER_INVALID`.
 * Passwords must be at least 12 characters.
 *
 * @example
 * validateNewUser({ username: 'lan', role: 'site_staff', siteCode: 'BV-BACHMAI' }, 'long enough pw')
 */
export function validateNewUser(
  input: { username: string; role: string; siteCode?: string | null | undefined },
  password: string,
): NewUser {
  const username = input.username.trim().toLowerCase()
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(username)) {
    throw new VaxpassError('ERR_USER_INVALID', 'username must be 2-63 characters: a-z 0-9 . _ -')
  }
  if (!isRole(input.role)) {
    throw new VaxpassError('ERR_USER_INVALID', 'role must be site_staff, reviewer or admin')
  }
  const siteCode = input.siteCode?.trim() || null
  if (input.role === 'site_staff' && siteCode === null) {
    throw new VaxpassError('ERR_USER_INVALID', 'site staff must be bound to a site (--site)')
  }
  if (input.role !== 'site_staff' && siteCode !== null) {
    throw new VaxpassError('ERR_USER_INVALID', 'only site staff are bound to a site')
  }
  if (password.length < 12 || password.length > 1024) {
    throw new VaxpassError('ERR_USER_INVALID', 'password must be 12 to 1024 characters')
  }
  return { username, role: input.role, siteCode }
}
