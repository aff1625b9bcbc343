/**
 * Why an imported row was not stored: a stable code, written in the `reason` column of the
 * rejects file and counted in summaries. Never reworded: tools downstream switch on it.
 */
export type RejectReason =
  // the record itself
  | 'column_count'
  | 'encoding'
  | 'quote'
  | 'line_too_long'
  | 'field_too_long'
  | 'control_character'
  // fields
  | 'cccd_malformed'
  | 'name_missing'
  | 'dob_invalid'
  | 'sex_invalid'
  | 'product_unknown'
  | 'lot_invalid'
  | 'date_invalid'
  | 'date_out_of_range'
  | 'dose_number_invalid'
  | 'site_unknown'
  /** A known site the uploader may not enter doses for (site staff upload for their own site). */
  | 'site_not_allowed'
  | 'province_unknown'
  | 'phone_invalid'
  | 'email_invalid'
  // against other rows
  | 'dose_out_of_order'
  | 'dose_number_conflict'
  | 'duplicate'

/** Every {@link RejectReason}, for documentation and reports. */
export const REJECT_REASONS: readonly RejectReason[] = Object.freeze([
  'column_count',
  'encoding',
  'quote',
  'line_too_long',
  'field_too_long',
  'control_character',
  'cccd_malformed',
  'name_missing',
  'dob_invalid',
  'sex_invalid',
  'product_unknown',
  'lot_invalid',
  'date_invalid',
  'date_out_of_range',
  'dose_number_invalid',
  'site_unknown',
  'site_not_allowed',
  'province_unknown',
  'phone_invalid',
  'email_invalid',
  'dose_out_of_order',
  'dose_number_conflict',
  'duplicate',
])
