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
  loadQrReader,
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
// Other pass formats, partner trust and entry rules (src/core/{shc,nzcp,vds-nc,jws,jcs,partner-trust,rules})
export { verifyShc, MAX_SHC_PAYLOAD_BYTES } from './core/shc/verify-shc.js'
export type { VerifyShcOptions } from './core/shc/verify-shc.js'
export { readShcInput, isShcInput } from './core/shc/read-shc-input.js'
export type { ShcInput, ShcInputForm } from './core/shc/read-shc-input.js'
export { decodeShcNumeric, encodeShcNumeric } from './core/shc/decode-shc-numeric.js'
export { normalizeFhirBundle } from './core/shc/normalize-fhir-bundle.js'
export { CVX_COVID_PRODUCTS } from './core/shc/cvx-products.js'
export type { CvxProduct } from './core/shc/cvx-products.js'
export { verifyNzcp, parseNzcpClaims, isNzcpInput, MAX_NZCP_LENGTH } from './core/nzcp/verify-nzcp.js'
export type { VerifyNzcpOptions, NzcpClaims } from './core/nzcp/verify-nzcp.js'
export { decodeBase32, encodeBase32 } from './core/nzcp/decode-base32.js'
export { verifyVdsNc, isVdsNcInput, MAX_VDS_NC_LENGTH } from './core/vds-nc/verify-vds-nc.js'
export type { VerifyVdsNcOptions } from './core/vds-nc/verify-vds-nc.js'
export { normalizeVdsNcMessage } from './core/vds-nc/normalize-vds-nc-message.js'
export { convertAlpha3ToAlpha2 } from './core/vds-nc/alpha3-to-alpha2.js'
export { canonicalizeJson } from './core/jcs/canonicalize-json.js'
export { parseJsonBounded } from './core/jcs/parse-json-bounded.js'
export type { JsonLimits } from './core/jcs/parse-json-bounded.js'
export { decodeBase64url, encodeBase64url } from './core/jws/base64url.js'
export { computeJwkThumbprint, importEs256PublicJwk, verifyEs256 } from './core/jws/jwk.js'
export type { Jwk } from './core/jws/jwk.js'
export { parseCompactJws, MAX_JWS_LENGTH } from './core/jws/parse-compact-jws.js'
export type { CompactJws } from './core/jws/parse-compact-jws.js'
export { createPartnerTrustStore } from './core/partner-trust/partner-trust-store.js'
export type {
  CscaAnchor,
  DidDocument,
  GatewayDscEntry,
  PartnerCountry,
  PartnerTrustStore,
  ShcCrl,
  ShcIssuer,
} from './core/partner-trust/partner-trust-store.js'
export { findShcIssuer, findDidDocument, listCscaAnchors } from './core/partner-trust/find-partner-anchor.js'
export { readPartnerTrustDocument } from './core/partner-trust/read-partner-trust-document.js'
export type { PartnerDocumentHints } from './core/partner-trust/read-partner-trust-document.js'
export { mergePartnerCountry, mergePartnerTrust } from './core/partner-trust/merge-partner-country.js'
export {
  defaultPartnerTrustDir,
  loadPartnerTrustFolder,
  savePartnerTrustFolder,
} from './storage/partner-trust/partner-trust-folder.js'
export { applyEntryRules } from './core/rules/apply-entry-rules.js'
export { evaluateEntryRules } from './core/rules/evaluate-entry-rules.js'
export { buildRuleData } from './core/rules/build-rule-data.js'
export type { RuleContext } from './core/rules/build-rule-data.js'
export { parseEntryRules } from './core/rules/parse-entry-rules.js'
export { normalizeProductCode } from './core/rules/normalize-product-code.js'
export {
  vietnamEntryRules,
  VN_RECOGNISED_PRODUCTS,
  SINGLE_DOSE_PRODUCTS,
} from './core/rules/vietnam-entry-rules.js'
export type { EntryRule, EntryRuleSet, RuleOutcome } from './core/rules/entry-rule.js'
// reconciliation (src/domain/reconciliation)
export { summariseReconciliation } from './domain/reconciliation/summarise-reconciliation.js'
export type {
  ReconciliationCounts,
  ReconciliationReport,
  SiteCounts,
} from './domain/reconciliation/summarise-reconciliation.js'
// declarations and review (src/domain/declarations)
export {
  DECLARATION_LIMITS,
  authoriseReview,
  compareDeclaration,
  planApproval,
  validateDeclaration,
} from './domain/declarations/index.js'
export type {
  Actor,
  Correction,
  Declaration,
  DeclarationComparison,
  DeclarationErrorCode,
  DeclarationEvidence,
  DeclarationInput,
  DeclarationProblem,
  DeclarationStatus,
  DeclaredDose,
  DoseComparison,
  DoseFieldDifference,
  DoseRecordFields,
  RecordIdentityDifference,
  RecordedDose,
} from './domain/declarations/index.js'
// EU DCC HC1 core: codecs, COSE, CWT, DSC, trust, verify (src/core/{base45,zlib,cbor,cose,cwt,hc1,kid,dsc,trust,platform,verify})
export { decodeBase45, encodeBase45 } from './core/base45/base45.js'
export {
  DEFAULT_MAX_INFLATE,
  deflateZlib,
  inflateRawBounded,
  inflateZlib,
} from './core/zlib/zlib.js'
export type { BoundedInflateOptions } from './core/zlib/zlib.js'
export { deflateJs } from './core/zlib/deflate-js.js'
export { adler32, inflateJs } from './core/zlib/inflate-js.js'
export { decodeCbor, encodeCbor, isCborTagged, toJsonValue } from './core/cbor/cbor.js'
export type { CborTagged } from './core/cbor/cbor.js'
export { DEFAULT_CBOR_LIMITS, scanCbor } from './core/cbor/scan-cbor.js'
export type { CborLimits } from './core/cbor/scan-cbor.js'
export {
  COSE_SIGN1_TAG,
  CWT_TAG,
  buildSigStructure,
  decodeCoseSign1,
  requireAlgorithm,
  signCoseSign1,
  verifyCoseSign1,
} from './core/cose/cose-sign1.js'
export type { CoseSign1, SignCoseOptions } from './core/cose/cose-sign1.js'
export { COSE_ALG_IDS, algorithmFromCoseId } from './core/cose/signer.js'
export type { Signer } from './core/cose/signer.js'
export { createNodeSigner } from './core/cose/node-signer.js'
export type { NodeSignerOptions } from './core/cose/node-signer.js'
export {
  CWT_EXP,
  CWT_HCERT,
  CWT_IAT,
  CWT_ISS,
  HCERT_DCC,
  encodeCwtClaims,
  parseCwtClaims,
} from './core/cwt/cwt-claims.js'
export type { CwtClaims } from './core/cwt/cwt-claims.js'
export { HC1_PREFIX, decodeHc1, signHc1, stripHc1Prefix } from './core/hc1/hc1.js'
export type { DecodeHc1Options, DecodedHc1, SignHc1Options } from './core/hc1/hc1.js'
export { DGC_EXPECTED_KEYS, checkDgcTestCase } from './core/hc1/check-dgc-test-case.js'
export type {
  CheckDgcOptions,
  DgcExpectedKey,
  DgcKeyResult,
  DgcTestCase,
} from './core/hc1/check-dgc-test-case.js'
export { computeKid } from './core/kid/compute-kid.js'
export { DCC_KEY_USAGE_OIDS, isKeyUsageAllowed, parseDsc } from './core/dsc/parse-dsc.js'
export type { DccCertificateType, Dsc } from './core/dsc/parse-dsc.js'
export { TrustStore } from './core/trust/trust-store.js'
export { loadTrustStore } from './core/trust/load-trust-store.js'
export type { TrustListEntry, TrustSources } from './core/trust/load-trust-store.js'
export {
  base64ToBytes,
  bytesToBase64,
  bytesToHex,
  equalBytes,
  hexToBytes,
} from './core/platform/bytes.js'
export { getDefaultPlatform, setDefaultPlatform } from './core/platform/default-platform.js'
export { nodePlatform } from './core/platform/node.js'
export type {
  InflateOptions,
  ParsedCertificate,
  Platform,
  PublicKeyHandle,
  SignatureAlgorithm,
} from './core/platform/platform.js'
export { MAX_IMAGE_INPUT, MAX_TEXT_INPUT, verify } from './core/verify/verify.js'
export type { VerifyOptions } from './core/verify/verify.js'
export { HC1_CHECK_IDS, verifyHc1 } from './core/verify/verify-hc1.js'
export type { VerifyHc1Options } from './core/verify/verify-hc1.js'
export { CheckRecorder } from './core/verify/check-recorder.js'
export type {
  Check,
  Holder,
  PassFormat,
  VaccinationEvent,
  VerificationReport,
  Warning,
} from './core/verify/report.js'
// declarations, reconciliation and site reports in storage (engineer E)
export {
  approveDeclaration,
  fileDeclaration,
  listReviewQueue,
  loadDeclarationReview,
  rejectDeclaration,
} from './storage/declarations/declaration-store.js'
export type { ReviewQueueItem } from './storage/declarations/declaration-store.js'
export { loadReconciliation } from './storage/reconciliation/load-reconciliation.js'
export { saveSiteReports } from './storage/reconciliation/save-site-reports.js'
// keys, certificate issuance, lifecycle and bulk issuing (engineer F)
export {
  generateSigningKeyPair,
  type SigningAlgorithm as X509SigningAlgorithm,
  type SigningKeyPair,
} from './core/x509/generate-signing-key-pair.js'
export { createCscaCertificate } from './core/x509/create-csca-certificate.js'
export type { CreatedCertificate, CreateCscaOptions } from './core/x509/create-csca-certificate.js'
export { DSC_KEY_USAGE_OIDS, createDscCertificate } from './core/x509/create-dsc-certificate.js'
export type { CreateDscOptions } from './core/x509/create-dsc-certificate.js'
export type { IssuanceErrorCode } from './domain/issuance/errors.js'
export {
  UVCI_CHECK_CHARSET,
  computeUvciCheckCharacter,
  createUvci,
  generateUvci,
  isValidUvci,
} from './domain/issuance/uvci.js'
export {
  addMonthsUtc,
  buildVaccinationDcc,
  computeContentHash,
  latestDose,
} from './domain/issuance/build-vaccination-dcc.js'
export type {
  BuildVaccinationDccOptions,
  BuiltVaccinationDcc,
  IssuanceConfig,
  IssuanceDose,
  IssuancePerson,
  VaccinationDccPayload,
} from './domain/issuance/build-vaccination-dcc.js'
export { buildTrustList } from './domain/trust/build-trust-list.js'
export type { TrustListInput, TrustListItem } from './domain/trust/build-trust-list.js'
export { buildRevocationList, computeRevocationHash } from './domain/trust/build-revocation-list.js'
export type {
  RevocationBatch,
  RevocationHashType,
  RevocationInput,
  RevocationList,
} from './domain/trust/build-revocation-list.js'
export {
  computeCertificateKid,
  decryptPrivateKeyFile,
  initKeystore,
  keystoreExists,
  listKeys,
  listPublishedDscs,
  loadActiveSigningKey,
  readKeystoreIndex,
  resolveKeysDir,
  rotateDsc,
} from './storage/keystore/keystore.js'
export type {
  ActiveSigningKey,
  InitKeystoreOptions,
  KeyListing,
  KeystoreEntry,
  KeystoreIndex,
  PublishedDsc,
} from './storage/keystore/keystore.js'
export { readKeyPassphrase } from './storage/keystore/read-key-passphrase.js'
export { ensureDemoKeys } from './storage/keystore/ensure-demo-keys.js'
export type { DemoKeys } from './storage/keystore/ensure-demo-keys.js'
export {
  CERTIFICATE_STATUSES,
  countCertificatesByStatus,
  expireCertificates,
  exportCertificates,
  getActiveCertificate,
  getCertificate,
  issueCertificate,
  listCertificateEvents,
  listPersonCertificates,
  listRevokedCertificates,
  renewCertificates,
  revokeCertificate,
  signCandidate,
} from './storage/certificates/certificate-store.js'
export type {
  CertificateEvent,
  CertificateRecord,
  CertificateStatus,
  ExportedCertificate,
  IssueOutcome,
  IssuingKey,
  LifecycleOptions,
  RevokedCertificate,
  SigningLifecycleOptions,
} from './storage/certificates/certificate-store.js'
export { loadRevocationList } from './storage/certificates/load-revocation-list.js'
export {
  loadIssuanceBatch,
  loadIssuanceCandidate,
  loadIssuanceCandidates,
} from './storage/certificates/load-issuance-candidates.js'
export type {
  IssuanceBatch,
  IssuanceCandidate,
  IssuanceCandidatePage,
} from './storage/certificates/load-issuance-candidates.js'
export { writeCertificates, writeIssuedBatch } from './storage/certificates/write-certificates.js'
export { validateIssuedDcc } from './domain/issuance/validate-issued-dcc.js'
export type {
  IssuedBatch,
  NewCertificate,
  WriteCertificatesOptions,
  WriteIssuedBatchOptions,
} from './storage/certificates/write-certificates.js'
export { composeHolderMessages } from './storage/certificates/holder-messages.js'
export type { HolderMessage, HolderMessageTemplate } from './storage/certificates/holder-messages.js'
export { issueAll } from './issue/issue-all.js'
export type { IssueAllOptions, IssueAllSummary, IssueProgress } from './issue/issue-all.js'
export { startIssueWorkerPool } from './issue/worker-pool.js'
export type { IssueWorkerPool } from './issue/worker-pool.js'
export { DEFAULT_ISSUER, loadIssuingKey, readIssuanceConfig } from './issue/load-issuing-key.js'
export {
  TABLE_OUTBOX_ADAPTERS,
  deliverOutbox,
  listOutboxMessages,
} from './storage/certificates/outbox.js'
export type {
  EmailAdapter,
  EmailMessage,
  OutboxAdapters,
  OutboxMessage,
  SmsAdapter,
  SmsMessage,
} from './storage/certificates/outbox.js'
// registry storage and bulk import (src/storage, src/domain/registry)
export { openDatabase } from './storage/open-database.js'
export type { OpenDatabaseOptions } from './storage/open-database.js'
export { parseDatabaseUrl, DEFAULT_SQLITE_PATH } from './storage/parse-database-url.js'
export type { DatabaseTarget } from './storage/parse-database-url.js'
export type { Storage, StorageDriver } from './storage/storage.js'
export type { Database } from './storage/schema.js'
export { migrateToLatest } from './storage/migrations/migrate-to-latest.js'
export { appendAudit } from './storage/audit/append-audit.js'
export type { AuditEntry } from './storage/audit/append-audit.js'
export { importDoses, FIRST_DOSE_DATE } from './storage/import/import-doses.js'
export { importRegister } from './storage/import/import-register.js'
export type {
  ImportInput,
  ImportOptions,
  ImportProgress,
  ImportResult,
  ImportSummary,
} from './storage/import/import-types.js'
export {
  createRegisterLookup,
  linkDoseRecords,
  linkIdentities,
} from './storage/registry/link-dose-records.js'
export type { LinkOptions, LinkOutcome, LinkSummary } from './storage/registry/link-dose-records.js'
export { recordSiteDailyReport } from './storage/registry/record-site-daily-report.js'
export type { SiteDailyReportInput } from './storage/registry/record-site-daily-report.js'
export { REJECT_REASONS } from './domain/registry/reject-reason.js'
export type { RejectReason } from './domain/registry/reject-reason.js'
export { DOSE_CSV_COLUMNS } from './domain/registry/validate-dose-row.js'
export { REGISTER_CSV_COLUMNS } from './domain/registry/validate-register-row.js'
export { generateSites, PILOT_SITES } from './domain/registry/generate-sites.js'
export type { VaccinationSite } from './domain/registry/generate-sites.js'
export type { RegisterLookup } from './domain/registry/register-lookup.js'
