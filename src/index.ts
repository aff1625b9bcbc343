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
// EU DCC payload rules (src/core/dcc)
export {
  COUNTRY_2_CODES,
  DISEASE_AGENT_TARGETED,
  INACTIVE_CODES,
  TEST_MANF,
  TEST_RESULT,
  TEST_TYPE,
  VACCINE_ENCODING,
  VACCINE_MAH_MANF,
  VACCINE_MEDICINAL_PRODUCT,
  VACCINE_PROPHYLAXIS,
  VIETNAM_VACCINES,
  checkVaccineConsistency,
  dccToEvents,
  dccToHolder,
  isRfc3339Date,
  isRfc3339DateTime,
  validateDcc,
  validateDccSchema,
} from './core/dcc/index.js'
export type {
  DccIssue,
  DccIssueCode,
  DccMode,
  DccValidation,
  VaccineConsistency,
  VaccineEncoding,
  ValueSet,
  VietnamVaccine,
} from './core/dcc/index.js'
// synthetic data (src/domain/seed)
export {
  DOSES_CSV_HEADER,
  REGISTER_CSV_HEADER,
  SITE_REPORTS_CSV_HEADER,
  createPrng,
  createSiteReportTally,
  createWeightedPicker,
  doseCsvLine,
  generatePeople,
  listAllSites,
  listSitesForProvince,
  registerCsvLine,
  siteCodesForProvince,
  siteReportCsvLine,
} from './domain/seed/index.js'
export type {
  Prng,
  SeedDefect,
  SeedDose,
  SeedDoseRow,
  SeedOptions,
  SeedPerson,
  SeedRegisterRow,
  SeedSite,
  SiteDailyReport,
  SiteReportTally,
  WeightedPicker,
} from './domain/seed/index.js'
// QR codes in and out (src/core/qr)
export {
  configureQrReader,
  qrMatrix,
  readQrCode,
  readQrCodes,
  renderQrPng,
  renderQrSvg,
  sniffImage,
} from './core/qr/index.js'
export type {
  ImageHeader,
  QrErrorCorrection,
  QrMatrix,
  QrMatrixOptions,
  QrReaderWasmSource,
  ReadQrOptions,
  RenderQrPngOptions,
  RenderQrSvgOptions,
  RgbaImage,
} from './core/qr/index.js'
// paper certificate (src/pdf)
export { renderCertificatePdf } from './pdf/index.js'
export type { CertificateView, RenderCertificatePdfOptions } from './pdf/index.js'
