/** Sex as the register and the site exports record it. */
export type Sex = 'M' | 'F'

/** One entry of the national population register, as linkage needs it. */
export interface RegisterEntry {
  /** 12-digit citizen ID (CCCD). */
  readonly cccd: string
  /** Legacy 9-digit ID (CMND) the person may still present, when the register knows it. */
  readonly cmnd?: string | null
  readonly fullName: string
  /** `YYYY-MM-DD`, or partial `YYYY-MM` / `YYYY` where the register only knows that much. */
  readonly dob: string
  readonly sex: Sex
  readonly provinceCode?: string
}

/**
 * Why a record is not linked to a register entry, or `linked`. Stable codes: they are stored
 * in the database and counted by reconciliation.
 */
export type LinkStatus =
  | 'linked'
  | 'not_found'
  | 'ambiguous'
  | 'name_differs'
  | 'dob_differs'
  | 'sex_differs'
  | 'id_malformed'

/** The reasons a record is not linked (every {@link LinkStatus} but `linked`). */
export type LinkFailureReason = Exclude<LinkStatus, 'linked'>

/** Every link status, in the order reports list them. */
export const LINK_STATUSES: readonly LinkStatus[] = Object.freeze([
  'linked',
  'not_found',
  'ambiguous',
  'name_differs',
  'dob_differs',
  'sex_differs',
  'id_malformed',
])
