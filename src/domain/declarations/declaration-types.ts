import type { Sex } from '../identity/types.js'

/** Who acts: a staff user (roles from the users area) or a citizen (no roles). */
export interface Actor {
  readonly userId: string
  readonly roles: readonly string[]
}

/** A dose as the person declares it. `lot` may be '' when unknown. */
export interface DeclaredDose {
  /** EU `mp` code. */
  readonly product: string
  readonly lot: string
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly doseNumber: number
  readonly siteCode: string
}

/** Evidence of the doses, such as a photo of the paper card. */
export interface DeclarationEvidence {
  readonly mediaType: 'image/jpeg' | 'image/png'
  readonly bytes: Uint8Array
}

/** What a person declares: identity, doses received, optional evidence. */
export interface DeclarationInput {
  readonly cccd: string | null
  readonly fullName: string
  readonly dob: string
  readonly sex: Sex
  readonly phone?: string | null
  readonly email?: string | null
  readonly doses: readonly DeclaredDose[]
  readonly evidence?: DeclarationEvidence | null
}

export type DeclarationStatus = 'pending' | 'approved' | 'rejected'

/** A stored declaration. */
export interface Declaration extends Omit<DeclarationInput, 'evidence'> {
  readonly id: number
  readonly filedBy: string
  readonly filedAt: string
  readonly status: DeclarationStatus
  /** SHA-256 hex and media type of the evidence, when there is one (bytes are loaded apart). */
  readonly evidence: { readonly mediaType: string; readonly sha256: string } | null
}

/** A dose record as stored, as the review compares it. */
export interface RecordedDose {
  readonly id: number
  readonly cccd: string | null
  readonly fullName: string
  readonly dob: string
  readonly sex: string
  readonly product: string
  readonly lot: string
  readonly date: string
  readonly doseNumber: number
  readonly siteCode: string
  readonly linkStatus: string | null
}
