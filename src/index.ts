// Public API of the vaxpass library. Every public name is exported explicitly.
export { VaxpassError, isVaxpassError } from './errors.js'
export type { ErrorCode, CoreErrorCode } from './errors.js'
// identity linkage (src/domain/identity)
export {
  LINK_STATUSES,
  MAX_TRANSLITERATED_LENGTH,
  VN_PROVINCES,
  canonicaliseName,
  cccdAgreesWith,
  centurySexDigit,
  compareDob,
  compareNames,
  findProvince,
  isProvinceCode,
  linkIdentity,
  normaliseName,
  parseDob,
  splitVietnameseName,
  transliterateName,
  validateCccd,
} from './domain/identity/index.js'
export type {
  CccdAgreement,
  CccdDisagreement,
  CccdProblem,
  CccdValidation,
  DobComparison,
  DobMatch,
  IdentityRecord,
  InvalidId,
  LinkDifference,
  LinkFailureReason,
  LinkResult,
  LinkStatus,
  NameComparison,
  NameDifference,
  NameDifferenceKind,
  Province,
  RegisterEntry,
  Sex,
  ValidCccd,
  ValidCmnd,
} from './domain/identity/index.js'
