/**
 * Codes raised by issuance: keys, certificate building, lifecycle, bulk issuing.
 * The HTTP layer maps them to status codes in one place.
 */
export type IssuanceErrorCode =
  // keystore
  | 'ERR_KEYSTORE_MISSING'
  | 'ERR_KEYSTORE_EXISTS'
  | 'ERR_KEYSTORE_CORRUPT'
  | 'ERR_KEY_NO_ACTIVE_DSC'
  // building a certificate
  | 'ERR_ISSUE_INVALID_PERSON'
  | 'ERR_ISSUE_NO_DOSES'
  | 'ERR_ISSUE_INVALID_DOSE'
  | 'ERR_ISSUE_INCONSISTENT_VACCINE'
  | 'ERR_ISSUE_NOT_ELIGIBLE'
  | 'ERR_UVCI'
  // lifecycle
  | 'ERR_CERT_NOT_FOUND'
  | 'ERR_CERT_NOT_ACTIVE'
  | 'ERR_REVOKE_REASON'
