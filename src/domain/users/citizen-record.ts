/** What the registry holds about a person, for the citizen lookup. */
export interface CitizenRecord {
  /** Stable id of the person in the registry (the register's key). */
  readonly personId: string
  readonly fullName: string
  readonly dateOfBirth: string
  readonly sex: string
  readonly idNumber: string
  readonly lastDoseDate: string | null
  readonly phone: string | null
  readonly email: string | null
}

/** Port: find a person by ID number (implemented over the registry tables). */
export interface CitizenDirectory {
  findByIdNumber(idNumber: string): Promise<CitizenRecord | undefined>
}
