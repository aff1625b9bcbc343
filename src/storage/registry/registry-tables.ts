import type { Generated } from 'kysely'

/** `provinces`: the 63 provinces (code as in the CCCD's first three digits). */
export interface ProvincesTable {
  code: string
  name: string
}

/** `vaccination_sites`: hospitals and health centres that give and record doses. */
export interface VaccinationSitesTable {
  code: string
  name: string
  province_code: string
  /** `hospital` | `health_centre` | `commune_station` | `mobile` */
  kind: string
}

/** `register_people`: the national population register snapshot. */
export interface RegisterPeopleTable {
  cccd: string
  full_name: string
  /** Name folded for matching (NFC, no diacritics, upper case, single spaces). */
  name_key: string
  /** `YYYY-MM-DD`, or partial `YYYY-MM` / `YYYY`. */
  dob: string
  /** `M` | `F` */
  sex: string
  province_code: string | null
  phone: string | null
  email: string | null
  import_job_id: number | null
  updated_at: string
}

/** `dose_records`: doses as received, plus who entered them and their identity linkage. */
export interface DoseRecordsTable {
  id: Generated<number>
  /** cccd when present, else `~<name key>|<dob>`; with dose_number, date, product the natural key. */
  person_key: string
  cccd: string | null
  full_name: string
  dob: string
  sex: string
  /** EU `mp` code. */
  product: string
  lot: string
  date: string
  dose_number: number
  site_code: string
  entered_by: string
  entered_at: string
  /** `import` | `manual` | `declaration` */
  source: string
  import_job_id: number | null
  source_row: number | null
  /** The register entry this dose belongs to, once linked. */
  linked_cccd: string | null
  /** null while pending; then `linked` or the reason it is not (see `LinkStatus`). */
  link_status: string | null
  /** Human-readable explanation of the status. */
  link_reason: string | null
  /** JSON: field-by-field differences against the register entry. */
  link_diff: string | null
  linked_at: string | null
}

/** `site_daily_reports`: doses a site reports it administered on a day (for reconciliation). */
export interface SiteDailyReportsTable {
  site_code: string
  date: string
  doses_administered: number
  reported_by: string
  reported_at: string
}

/** `import_jobs`: one bulk import of a file, with what is committed so a re-run resumes. */
export interface ImportJobsTable {
  id: Generated<number>
  /** `doses` | `register` */
  kind: string
  file_name: string
  /** SHA-256 hex of the whole file; null for a stream (no resume). */
  file_hash: string | null
  file_size: number | null
  /** `running` | `done` */
  status: string
  /** Byte offset just after the last row of the last committed batch. */
  committed_offset: Generated<number>
  /** Data rows (after the header) consumed by committed batches. */
  committed_row: Generated<number>
  /** Size of the rejects file at the last commit (truncated back to it on resume). */
  rejects_bytes: Generated<number>
  read: Generated<number>
  inserted: Generated<number>
  duplicate: Generated<number>
  rejected: Generated<number>
  entered_by: string
  started_at: string
  updated_at: string
  finished_at: string | null
}

/** `audit_log`: append-only record of every change (UPDATE/DELETE refused by the database). */
export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor: string
  action: string
  entity: string
  entity_id: string
  before_json: string | null
  after_json: string | null
}

/** `schema_migrations`: the migrations applied. */
export interface SchemaMigrationsTable {
  name: string
  applied_at: string
}

/** The registry's tables, merged into `Database` in src/storage/schema.ts. */
export interface RegistryTables {
  provinces: ProvincesTable
  vaccination_sites: VaccinationSitesTable
  register_people: RegisterPeopleTable
  dose_records: DoseRecordsTable
  site_daily_reports: SiteDailyReportsTable
  import_jobs: ImportJobsTable
  audit_log: AuditLogTable
  schema_migrations: SchemaMigrationsTable
}
