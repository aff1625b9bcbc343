// Public API of the vaxpass library. Every public name is exported explicitly.
export { VaxpassError, isVaxpassError } from './errors.js'
export type { ErrorCode, CoreErrorCode } from './errors.js'
