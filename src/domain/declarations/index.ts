// Declarations by people, and their review against the register and the dose records.
export { authoriseReview } from './authorise-review.js'
export { compareDeclaration } from './compare-declaration.js'
export type {
  DeclarationComparison,
  DoseComparison,
  DoseFieldDifference,
  RecordIdentityDifference,
} from './compare-declaration.js'
export type {
  Actor,
  Declaration,
  DeclarationEvidence,
  DeclarationInput,
  DeclarationStatus,
  DeclaredDose,
  RecordedDose,
} from './declaration-types.js'
export type { DeclarationErrorCode } from './errors.js'
export { planApproval } from './plan-approval.js'
export type { Correction, DoseRecordFields } from './plan-approval.js'
export { DECLARATION_LIMITS, validateDeclaration } from './validate-declaration.js'
export type { DeclarationProblem } from './validate-declaration.js'
