import { VaxpassError } from '../../core/errors.js'
import type { Actor, Declaration } from './declaration-types.js'
import type { DeclarationErrorCode } from './errors.js'

/**
 * Checks that `actor` may decide on `declaration`: a reviewer or an admin, never the person who
 * filed it, and only while it is pending. Throws a {@link VaxpassError} with
 * `ERR_REVIEW_FORBIDDEN`, `ERR_REVIEW_OWN_DECLARATION` or `ERR_DECLARATION_STATE`.
 *
 * @example
 * authoriseReview({ userId: 'u2', roles: ['reviewer'] }, declaration) // passes, or throws
 */
export function authoriseReview(
  actor: Actor,
  declaration: Pick<Declaration, 'filedBy' | 'status'>,
): void {
  if (!actor.roles.includes('reviewer') && !actor.roles.includes('admin')) {
    throw new VaxpassError<DeclarationErrorCode>(
      'ERR_REVIEW_FORBIDDEN',
      'only reviewers and admins decide on declarations',
    )
  }
  if (actor.userId === declaration.filedBy) {
    throw new VaxpassError<DeclarationErrorCode>(
      'ERR_REVIEW_OWN_DECLARATION',
      'nobody may decide on a declaration they filed',
    )
  }
  if (declaration.status !== 'pending') {
    throw new VaxpassError<DeclarationErrorCode>(
      'ERR_DECLARATION_STATE',
      `the declaration is already ${declaration.status}`,
    )
  }
}
