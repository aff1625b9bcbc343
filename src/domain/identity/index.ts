// The identity concept: provinces, CCCD rules, names, birth dates, and linkage to the register.
export { VN_PROVINCES, findProvince, isProvinceCode } from './provinces.js'
export type { Province } from './provinces.js'
export { LINK_STATUSES } from './types.js'
export type { LinkFailureReason, LinkStatus, RegisterEntry, Sex } from './types.js'
export { centurySexDigit, validateCccd } from './validate-cccd.js'
export type {
  CccdProblem,
  CccdValidation,
  InvalidId,
  ValidCccd,
  ValidCmnd,
} from './validate-cccd.js'
export { cccdAgreesWith } from './cccd-agrees-with.js'
export type { CccdAgreement, CccdDisagreement } from './cccd-agrees-with.js'
export { canonicaliseName, normaliseName } from './normalise-name.js'
export { compareNames } from './compare-names.js'
export type { NameComparison, NameDifference, NameDifferenceKind } from './compare-names.js'
export { MAX_TRANSLITERATED_LENGTH, transliterateName } from './transliterate-name.js'
export { splitVietnameseName } from './split-vietnamese-name.js'
export { compareDob, parseDob } from './compare-dob.js'
export type { DobComparison, DobMatch } from './compare-dob.js'
export { linkIdentity } from './link-identity.js'
export type { IdentityRecord, LinkDifference, LinkResult } from './link-identity.js'
