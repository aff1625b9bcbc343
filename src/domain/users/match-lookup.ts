/** What a citizen types to find their certificate. */
export interface LookupClaim {
  readonly fullName: string
  /** `YYYY-MM-DD`, or a partial `YYYY` / `YYYY-MM` as the register holds it. */
  readonly dateOfBirth: string
  readonly sex: 'M' | 'F'
  /** CCCD (12 digits) or CMND (9 digits). */
  readonly idNumber: string
  /** `YYYY-MM-DD` of the last dose received. */
  readonly lastDoseDate: string
}

/** What the registry knows about that person. */
export interface LookupRecord {
  readonly fullName: string
  readonly dateOfBirth: string
  readonly sex: string
  readonly idNumber: string
  readonly lastDoseDate: string | null
}

/**
 * Name as compared for lookup: NFC, lower case, single spaces. Diacritics are kept on purpose:
 * the register spells the name with them and the citizen is asked to type it as on their ID card.
 *
 * @example
 * normalizeLookupName('  NGUYỄN  Văn An ') // 'nguyễn văn an'
 */
export function normalizeLookupName(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/gu, ' ').trim()
}

/**
 * True only when every one of the five fields matches the record. Returns a boolean, never which
 * field differs, so that callers cannot leak it.
 *
 * @example
 * matchLookup(claim, record) // true or false
 */
export function matchLookup(claim: LookupClaim, record: LookupRecord): boolean {
  // Evaluate every comparison so that the work done does not depend on which field is wrong.
  const results = [
    normalizeLookupName(claim.fullName) === normalizeLookupName(record.fullName),
    claim.dateOfBirth === record.dateOfBirth,
    claim.sex === record.sex,
    claim.idNumber === record.idNumber,
    record.lastDoseDate !== null && claim.lastDoseDate === record.lastDoseDate,
  ]
  return results.every(Boolean)
}
