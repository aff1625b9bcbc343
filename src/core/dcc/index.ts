// EU DCC payload rules: validation (schema 1.0.x-1.3.x, issue and read modes), value sets,
// the vaccines used in Vietnam, and normalisers for the verification report.
export { validateDcc, validateDccSchema, isRfc3339Date, isRfc3339DateTime } from './validate-dcc.js'
export type { DccIssue, DccIssueCode, DccMode, DccValidation } from './validate-dcc.js'
export { checkVaccineConsistency } from './check-vaccine-consistency.js'
export type { VaccineConsistency } from './check-vaccine-consistency.js'
export { VIETNAM_VACCINES } from './vietnam-vaccines.js'
export type { VietnamVaccine } from './vietnam-vaccines.js'
export { VACCINE_ENCODING } from './vaccine-encoding.js'
export type { VaccineEncoding } from './vaccine-encoding.js'
export {
  COUNTRY_2_CODES,
  DISEASE_AGENT_TARGETED,
  INACTIVE_CODES,
  TEST_MANF,
  TEST_RESULT,
  TEST_TYPE,
  VACCINE_MAH_MANF,
  VACCINE_MEDICINAL_PRODUCT,
  VACCINE_PROPHYLAXIS,
} from './value-sets.js'
export type { ValueSet } from './value-sets.js'
export { dccToHolder } from './dcc-to-holder.js'
export { dccToEvents } from './dcc-to-events.js'
