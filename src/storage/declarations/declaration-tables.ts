import type { Generated } from 'kysely'

/** `declarations`: what people declare, with the linkage outcome and the decision. */
export interface DeclarationsTable {
  id: Generated<number>
  filed_by: string
  filed_at: string
  status: string
  cccd: string | null
  full_name: string
  dob: string
  sex: string
  phone: string | null
  email: string | null
  /** JSON array of `DeclaredDose`. */
  doses_json: string
  evidence_media_type: string | null
  evidence_sha256: string | null
  evidence: Uint8Array | null
  link_status: string
  link_cccd: string | null
  /** JSON `LinkResult` of the declared identity against the register. */
  link_diff: string | null
  reviewed_by: string | null
  reviewed_at: string | null
  decision_reason: string | null
}

/** `declaration_reviews`: each decision, with the corrections it made. */
export interface DeclarationReviewsTable {
  id: Generated<number>
  declaration_id: number
  reviewer: string
  decision: string
  reason: string | null
  corrections_json: string | null
  at: string
}

/** The declaration tables, merged into `Database` in src/storage/schema.ts. */
export interface DeclarationTables {
  declarations: DeclarationsTable
  declaration_reviews: DeclarationReviewsTable
}
