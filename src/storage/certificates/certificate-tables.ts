import type { Generated } from 'kysely'

/** `certificates`: every certificate issued, with its lifecycle status. */
export interface CertificatesTable {
  uvci: string
  person_cccd: string
  /** `active` | `superseded` | `revoked` | `expired` */
  status: string
  /** Hash of the inputs that shape the certificate (equal hash: same certificate). */
  content_hash: string
  /** ISO 8601 instants. */
  iat: string
  exp: string
  kid: string
  hc1: string
  superseded_by: string | null
  revoked_reason: string | null
  revoked_at: string | null
  /** The bulk run that issued it (null for single issues). */
  run_id: number | null
  /** Who issued it (the row is its own `issued` event). */
  issued_by: string
  created_at: string
}

/**
 * `certificate_events`: what happened to each certificate after it was issued (`superseded`,
 * `renewed`, `revoked`, `expired`); the issue itself is the certificates row.
 */
export interface CertificateEventsTable {
  id: Generated<number>
  uvci: string
  person_cccd: string
  /** `superseded` | `renewed` | `revoked` | `expired` */
  event: string
  detail: string | null
  actor: string
  at: string
}

/** `outbox`: messages to holders; the default adapter keeps them here for a page to show. */
export interface OutboxTable {
  id: Generated<number>
  /** `email` | `sms` */
  channel: string
  recipient: string
  /** `certificate.issued` | `certificate.renewed` | `certificate.revoked` ... */
  template: string
  body: string
  /** `pending` | `sent` | `stored` | `failed` (after the last attempt) */
  status: string
  person_cccd: string | null
  uvci: string | null
  created_at: string
  sent_at: string | null
  /** Delivery attempts that failed so far. */
  attempts: Generated<number>
  /** ISO time before which a failed message is not tried again; null: at once. */
  next_attempt_at: string | null
}

/** `issue_runs`: bulk issuing runs, with the committed resume cursor. */
export interface IssueRunsTable {
  id: Generated<number>
  /** `running` | `done` */
  status: string
  /** The last person (cccd) whose batch is committed. */
  cursor: string
  issued: Generated<number>
  superseded: Generated<number>
  unchanged: Generated<number>
  failed: Generated<number>
  actor: string
  started_at: string
  updated_at: string
  finished_at: string | null
}

/** The certificate tables, merged into `Database` in src/storage/schema.ts. */
export interface CertificateTables {
  certificates: CertificatesTable
  certificate_events: CertificateEventsTable
  outbox: OutboxTable
  issue_runs: IssueRunsTable
}
