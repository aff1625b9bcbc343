import type { CoreErrorCode } from './core/errors.js'
import type { StorageErrorCode } from './storage/storage-error-code.js'

export { VaxpassError, isVaxpassError } from './core/errors.js'
export type { CoreErrorCode } from './core/errors.js'
export type { StorageErrorCode } from './storage/storage-error-code.js'

/** Every error code of the project; the HTTP layer maps these to status codes in one place. */
export type ErrorCode = CoreErrorCode | StorageErrorCode
