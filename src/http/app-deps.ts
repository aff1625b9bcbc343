import type { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { VerificationReport } from '../core/verify/report.js'
import type { CitizenDirectory } from '../domain/users/citizen-record.js'
import type { Role } from '../domain/users/roles.js'

/** The staff member behind a request, as routes pass it to services (for audit and site scope). */
export interface StaffActor {
  readonly userId: string
  readonly username: string
  readonly role: Role
  readonly siteCode: string | null
}

export type { CitizenDirectory, CitizenRecord } from '../domain/users/citizen-record.js'

/** One message to a holder. */
export interface OutboxMessage {
  readonly channel: 'sms' | 'email'
  readonly to: string
  readonly subject: string
  readonly body: string
}

/** Port: send a message to a holder (the issuance outbox table implements it). */
export interface Outbox {
  enqueue(message: OutboxMessage, now: Date): Promise<void>
}

/** A stored certificate as the API shows it. */
export interface CertificateSummary {
  readonly uvci: string
  readonly personId: string
  readonly status: string
  readonly hc1: string
  readonly issuedAt: string
  readonly expiresAt: string
}

/** Port: certificates (issuance and lifecycle). */
export interface CertificateService {
  findCurrentByPerson(personId: string): Promise<CertificateSummary | undefined>
  findCurrentByIdNumber(idNumber: string): Promise<CertificateSummary | undefined>
  findByUvci(uvci: string): Promise<CertificateSummary | undefined>
  issueForPerson(personId: string, actor: StaffActor, now: Date): Promise<CertificateSummary>
  renewExpiring(beforeDays: number, actor: StaffActor, now: Date): Promise<{ renewed: number }>
  revoke(uvci: string, reason: string, actor: StaffActor, now: Date): Promise<CertificateSummary>
}

/** Port: images and documents of a certificate, rendered on demand. */
export interface CertificateRenderers {
  qrSvg(hc1: string): string | Promise<string>
  qrPng(hc1: string): Uint8Array | Promise<Uint8Array>
  pdf(certificate: CertificateSummary, now: Date): Promise<Uint8Array>
}

/** A dose as site staff enter it. */
export interface DoseEntry {
  readonly cccd: string
  readonly fullName: string
  readonly dob: string
  readonly sex: 'M' | 'F'
  readonly product: string
  readonly lot: string
  readonly date: string
  readonly doseNumber: number
  readonly siteCode: string
}

/** Summary of a CSV import. */
export interface ImportSummary {
  readonly read: number
  readonly inserted: number
  readonly duplicate: number
  readonly rejected: number
  /** Id under which the rejects file can be fetched, when there were rejects. */
  readonly rejectsId?: string
}

/** Port: dose records (registry). */
export interface DoseService {
  enterDose(entry: DoseEntry, actor: StaffActor, now: Date): Promise<{ id: string | number }>
  importCsv(csv: Readable, actor: StaffActor, now: Date): Promise<ImportSummary>
  readRejects(rejectsId: string, actor: StaffActor): Promise<Readable | undefined>
}

/** Port: the review queue (declarations). */
export interface ReviewService {
  listQueue(actor: StaffActor, now: Date): Promise<unknown[]>
  /** A declaration with its differences against the register and the dose records. */
  detail(id: string, actor: StaffActor): Promise<unknown>
  approve(id: string, actor: StaffActor, now: Date): Promise<unknown>
  reject(id: string, reason: string, actor: StaffActor, now: Date): Promise<unknown>
}

/** A citizen's own correction request as they follow it (no reviewer identity, no evidence). */
export interface OwnDeclaration {
  readonly id: string
  readonly filedAt: string
  readonly status: 'pending' | 'approved' | 'rejected'
  /** When a reviewer decided; null while pending. */
  readonly decidedAt: string | null
  /** The reviewer's reason, only when rejected. */
  readonly rejectReason: string | null
  /** Doses declared. */
  readonly doses: number
}

/** Port: a citizen's correction request. */
export interface DeclarationService {
  file(personId: string, declaration: Record<string, unknown>, now: Date): Promise<{ id: string }>
  /** The declarations this person filed, newest first. */
  listOwn?(personId: string, limit: number): Promise<OwnDeclaration[]>
}

/** Port: the public documents (trust list, revocation list, value sets). */
export interface PublicDocuments {
  trustList?(now: Date): Promise<unknown>
  revocationList?(now: Date): Promise<unknown>
  valueSets?(): Promise<unknown>
}

/** Port: verification of a pass (the core verifier with the trust store bound). */
export type VerifyPass = (input: string, now: Date) => VerificationReport | Promise<VerificationReport>

/** Limits; defaults in `build-app.ts`. */
export interface AppLimits {
  /** Requests per window per IP on every route (rate-limit.ts). */
  readonly rateMax?: number
  readonly rateWindowMs?: number
  /** JSON body limit in bytes. */
  readonly bodyLimit?: number
  /** CSV upload limit in bytes. */
  readonly csvLimit?: number
}

/**
 * Everything the HTTP app needs, injected so tests build it over a real database with a fixed
 * clock. Services that are not wired yet leave their routes answering 503 `ERR_NOT_AVAILABLE`, so
 * the OpenAPI document always lists every route.
 */
export interface AppDeps {
  /** The project database (auth tables at least). */
  readonly db: Kysely<any>
  readonly now: () => Date
  /** Pino options or false; tests pass a stream to read what was logged. */
  readonly logger?: boolean | { level?: string; stream?: NodeJS.WritableStream }
  readonly limits?: AppLimits
  readonly citizens?: CitizenDirectory
  readonly outbox?: Outbox
  readonly certificates?: CertificateService
  readonly renderers?: CertificateRenderers
  readonly doses?: DoseService
  readonly reviews?: ReviewService
  readonly declarations?: DeclarationService
  readonly publicDocuments?: PublicDocuments
  readonly verify?: VerifyPass
  /**
   * Demo only (`vaxpass start`): lets admins read the outbox table, where one-time codes land
   * when no SMS or e-mail gateway is configured. Never set in production.
   */
  readonly demoOutbox?: {
    recent(limit: number): Promise<Array<{ channel: string; to: string; template: string; body: string; createdAt: string }>>
  }
  /** Folder of the built web apps, served at `/` when given. */
  readonly webRoot?: string
  /** Mark session cookies `Secure` (behind TLS). */
  readonly secureCookies?: boolean
}
