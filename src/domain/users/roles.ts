/** Staff roles: site staff enter doses for their site, reviewers work the queue, admins manage. */
export const ROLES = ['site_staff', 'reviewer', 'admin'] as const

/** One staff role. */
export type Role = (typeof ROLES)[number]

/**
 * True when `value` names a staff role.
 *
 * @example
 * isRole('admin') // true
 */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
