import type { CoreErrorCode } from './core/errors.js'
import type { DeclarationErrorCode } from './domain/declarations/errors.js'
import type { UsersErrorCode } from './domain/users/errors.js'
import type { IssuanceErrorCode } from './domain/issuance/errors.js'
import type { HttpErrorCode } from './http/errors.js'
import type { StorageErrorCode } from './storage/storage-error-code.js'

export { VaxpassError, isVaxpassError } from './core/errors.js'
export type { CoreErrorCode } from './core/errors.js'
export type { DeclarationErrorCode } from './domain/declarations/errors.js'
export type { UsersErrorCode } from './domain/users/errors.js'
export type { IssuanceErrorCode } from './domain/issuance/errors.js'
export type { HttpErrorCode } from './http/errors.js'
export type { StorageErrorCode } from './storage/storage-error-code.js'

/** Every error code of the project; the HTTP layer maps these to status codes in one place. */
export type ErrorCode =
  | CoreErrorCode
  | UsersErrorCode
  | HttpErrorCode
  | StorageErrorCode
  | IssuanceErrorCode
  | DeclarationErrorCode
