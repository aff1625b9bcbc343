import type { Signer } from '../../core/cose/signer.js'
import { VaxpassError } from '../../core/errors.js'
import { signHc1 } from '../../core/hc1/hc1.js'
import {
  buildVaccinationDcc,
  type IssuanceConfig,
} from '../../domain/issuance/build-vaccination-dcc.js'
import { appendAudit } from '../audit/append-audit.js'
import type { Storage } from '../storage.js'
import { composeHolderMessages } from './holder-messages.js'
import { loadIssuanceCandidate, type IssuanceCandidate } from './load-issuance-candidates.js'
import { writeCertificates, type NewCertificate } from './write-certificates.js'

/** Lifecycle states of a certificate. */
export type CertificateStatus = 'active' | 'superseded' | 'revoked' | 'expired'

/** Every status, in report order. */
export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = Object.freeze([
  'active',
  'superseded',
  'revoked',
  'expired',
])

/** A stored certificate. */
export interface CertificateRecord {
  readonly uvci: string
  readonly personCccd: string
  readonly status: CertificateStatus
  readonly contentHash: string
  readonly iat: string
  readonly exp: string
  readonly kid: string
  readonly hc1: string
  readonly supersededBy: string | null
  readonly revokedReason: string | null
  readonly revokedAt: string | null
  readonly createdAt: string
}

/** The key that signs and its kid (base64), from the keystore's active DSC. */
export interface IssuingKey {
  readonly signer: Signer
  /** base64 kid of the DSC. */
  readonly kid: string
}

/** Common options of lifecycle operations. */
export interface LifecycleOptions {
  readonly now: Date
  /** Who does it: a user id, or `system:<tool>`. */
  readonly actor: string
}

/** Options of operations that sign. */
export interface SigningLifecycleOptions extends LifecycleOptions {
  readonly key: IssuingKey
  readonly config: IssuanceConfig
  /** Queue holder messages (default true). */
  readonly notify?: boolean
}

/** What {@link issueCertificate} did. */
export interface IssueOutcome {
  /** `issued` first certificate, `superseded` a new one replacing a changed one, `unchanged`. */
  readonly outcome: 'issued' | 'superseded' | 'unchanged'
  readonly certificate: CertificateRecord
}

interface CertRow {
  uvci: string
  person_cccd: string
  status: string
  content_hash: string
  iat: string
  exp: string
  kid: string
  hc1: string
  superseded_by: string | null
  revoked_reason: string | null
  revoked_at: string | null
  created_at: string
}

function toRecord(r: CertRow): CertificateRecord {
  return {
    uvci: r.uvci,
    personCccd: r.person_cccd,
    status: r.status as CertificateStatus,
    contentHash: r.content_hash,
    iat: r.iat,
    exp: r.exp,
    kid: r.kid,
    hc1: r.hc1,
    supersededBy: r.superseded_by,
    revokedReason: r.revoked_reason,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
  }
}

const COLUMNS = [
  'uvci',
  'person_cccd',
  'status',
  'content_hash',
  'iat',
  'exp',
  'kid',
  'hc1',
  'superseded_by',
  'revoked_reason',
  'revoked_at',
  'created_at',
] as const

/**
 * One certificate by UVCI, or undefined.
 *
 * @example
 * const cert = await getCertificate(storage, 'URN:UVCI:01:VN:...#X')
 */
export async function getCertificate(
  storage: Storage,
  uvci: string,
): Promise<CertificateRecord | undefined> {
  const row = await storage.db
    .selectFrom('certificates')
    .select(COLUMNS)
    .where('uvci', '=', uvci)
    .executeTakeFirst()
  return row === undefined ? undefined : toRecord(row)
}

/**
 * A person's active certificate, or undefined.
 *
 * @example
 * const cert = await getActiveCertificate(storage, '001090012345')
 */
export async function getActiveCertificate(
  storage: Storage,
  cccd: string,
): Promise<CertificateRecord | undefined> {
  const row = await storage.db
    .selectFrom('certificates')
    .select(COLUMNS)
    .where('person_cccd', '=', cccd)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return row === undefined ? undefined : toRecord(row)
}

/**
 * Every certificate of a person, newest first (history).
 *
 * @example
 * const all = await listPersonCertificates(storage, '001090012345')
 */
export async function listPersonCertificates(
  storage: Storage,
  cccd: string,
): Promise<CertificateRecord[]> {
  const rows = await storage.db
    .selectFrom('certificates')
    .select(COLUMNS)
    .where('person_cccd', '=', cccd)
    .orderBy('created_at', 'desc')
    .orderBy('iat', 'desc')
    .execute()
  return rows.map(toRecord)
}

/** Builds, signs and wraps one candidate's certificate (no storage access). */
export function signCandidate(
  candidate: IssuanceCandidate,
  key: IssuingKey,
  config: IssuanceConfig,
  now: Date,
  event: 'issued' | 'renewed',
): NewCertificate {
  const built = buildVaccinationDcc(candidate, candidate.doses, config, now)
  const hc1 = signHc1(built.payload, {
    signer: key.signer,
    issuer: config.country ?? 'VN',
    iat: built.iat,
    exp: built.exp,
  })
  return {
    uvci: built.uvci,
    personCccd: candidate.cccd,
    contentHash: built.contentHash,
    iat: built.iat,
    exp: built.exp,
    kid: key.kid,
    hc1,
    supersedes: candidate.activeUvci,
    event,
    contact: { phone: candidate.phone, email: candidate.email },
  }
}

/**
 * Issues the certificate of one person from their linked records. Unchanged records return the
 * same certificate; a new dose or a correction supersedes the active one. Audited, and the
 * holder is told through the outbox. Errors: ERR_ISSUE_NOT_ELIGIBLE and those of
 * buildVaccinationDcc; a failure changes nothing.
 *
 * @example
 * const { outcome, certificate } = await issueCertificate(storage, '001090012345',
 *   { key, config: { issuer: 'Ministry of Health' }, now: new Date(), actor: 'u:7' })
 */
export async function issueCertificate(
  storage: Storage,
  cccd: string,
  options: SigningLifecycleOptions,
): Promise<IssueOutcome> {
  const candidate = await loadIssuanceCandidate(storage, cccd)
  if (candidate === undefined) {
    throw new VaxpassError(
      'ERR_ISSUE_NOT_ELIGIBLE',
      'this person has no dose linked to the population register',
    )
  }
  const cert = signCandidate(candidate, options.key, options.config, options.now, 'issued')
  if (candidate.activeUvci !== null && candidate.activeContentHash === cert.contentHash) {
    const existing = await getCertificate(storage, candidate.activeUvci)
    if (existing !== undefined) return { outcome: 'unchanged', certificate: existing }
  }
  await writeCertificates(storage, [cert], {
    now: options.now,
    actor: options.actor,
    notify: options.notify ?? true,
  })
  const stored = await getCertificate(storage, cert.uvci)
  return {
    outcome: candidate.activeUvci === null ? 'issued' : 'superseded',
    certificate: stored as CertificateRecord,
  }
}

/**
 * Re-issues every active certificate that expires before `now + beforeDays` (same content,
 * new UVCI and validity; the old one is superseded), page by page. People no longer eligible
 * are counted in `failed` and keep their certificate.
 *
 * @example
 * const r = await renewCertificates(storage, { beforeDays: 30, key, config, now, actor: 'system:cli' })
 */
export async function renewCertificates(
  storage: Storage,
  options: SigningLifecycleOptions & { beforeDays: number; pageSize?: number },
): Promise<{ renewed: number; failed: number; failures: Array<{ uvci: string; code: string }> }> {
  if (!Number.isFinite(options.beforeDays) || options.beforeDays < 0) {
    throw new TypeError('beforeDays must be a non-negative number')
  }
  const threshold = new Date(options.now.getTime() + options.beforeDays * 86_400_000).toISOString()
  const pageSize = options.pageSize ?? 500
  let after = ''
  let renewed = 0
  const failures: Array<{ uvci: string; code: string }> = []
  for (;;) {
    const due = await storage.db
      .selectFrom('certificates')
      .select(['uvci', 'person_cccd'])
      .where('status', '=', 'active')
      .where('exp', '<', threshold)
      .where('person_cccd', '>', after)
      .orderBy('person_cccd')
      .limit(pageSize)
      .execute()
    if (due.length === 0) break
    after = due[due.length - 1]!.person_cccd
    const certs: NewCertificate[] = []
    for (const d of due) {
      try {
        const candidate = await loadIssuanceCandidate(storage, d.person_cccd)
        if (candidate === undefined) {
          throw new VaxpassError('ERR_ISSUE_NOT_ELIGIBLE', 'no longer eligible')
        }
        certs.push(signCandidate(candidate, options.key, options.config, options.now, 'renewed'))
      } catch (err) {
        failures.push({ uvci: d.uvci, code: (err as { code?: string }).code ?? 'ERR_INTERNAL' })
      }
    }
    await writeCertificates(storage, certs, {
      now: options.now,
      actor: options.actor,
      notify: options.notify ?? true,
    })
    renewed += certs.length
  }
  return { renewed, failed: failures.length, failures }
}

/**
 * Revokes a certificate (active, superseded or expired) with a reason; it then appears in the
 * revocation list. Audited; the holder is told. Errors: ERR_CERT_NOT_FOUND,
 * ERR_CERT_NOT_ACTIVE (already revoked), ERR_REVOKE_REASON (empty or over 500 characters).
 *
 * @example
 * await revokeCertificate(storage, uvci, 'issued on a forged declaration', { now, actor: 'u:7' })
 */
export async function revokeCertificate(
  storage: Storage,
  uvci: string,
  reason: string,
  options: LifecycleOptions & { notify?: boolean },
): Promise<CertificateRecord> {
  const why = (reason ?? '').trim()
  if (why === '' || why.length > 500) {
    throw new VaxpassError('ERR_REVOKE_REASON', 'a revocation needs a reason of 1 to 500 characters')
  }
  const at = options.now.toISOString()
  await storage.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('certificates')
      .select(['uvci', 'status', 'person_cccd', 'exp'])
      .where('uvci', '=', uvci)
      .executeTakeFirst()
    if (row === undefined) throw new VaxpassError('ERR_CERT_NOT_FOUND', 'no certificate with this UVCI')
    if (row.status === 'revoked') {
      throw new VaxpassError('ERR_CERT_NOT_ACTIVE', 'this certificate is already revoked')
    }
    await trx
      .updateTable('certificates')
      .set({ status: 'revoked', revoked_reason: why, revoked_at: at })
      .where('uvci', '=', uvci)
      .execute()
    await trx
      .insertInto('certificate_events')
      .values({ uvci, person_cccd: row.person_cccd, event: 'revoked', detail: why, actor: options.actor, at })
      .execute()
    await appendAudit(trx, {
      actor: options.actor,
      action: 'certificate.revoke',
      entity: 'certificate',
      entityId: uvci,
      before: { status: row.status },
      after: { status: 'revoked', reason: why },
      at: options.now,
    })
    if (options.notify ?? true) {
      const person = await trx
        .selectFrom('register_people')
        .select(['phone', 'email'])
        .where('cccd', '=', row.person_cccd)
        .executeTakeFirst()
      const messages = composeHolderMessages(
        'certificate.revoked',
        { phone: person?.phone ?? null, email: person?.email ?? null },
        uvci,
        new Date(row.exp),
      )
      if (messages.length > 0) {
        await trx
          .insertInto('outbox')
          .values(
            messages.map((m) => ({
              ...m,
              status: 'pending',
              person_cccd: row.person_cccd,
              uvci,
              created_at: at,
              sent_at: null,
            })),
          )
          .execute()
      }
    }
  })
  return (await getCertificate(storage, uvci)) as CertificateRecord
}

/**
 * Marks active certificates whose `exp` has passed as expired (with events and one audit
 * entry). Returns how many.
 *
 * @example
 * const n = await expireCertificates(storage, { now: new Date(), actor: 'system:cron' })
 */
export async function expireCertificates(storage: Storage, options: LifecycleOptions): Promise<number> {
  const at = options.now.toISOString()
  return storage.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('certificates')
      .select(['uvci', 'person_cccd'])
      .where('status', '=', 'active')
      .where('exp', '<=', at)
      .execute()
    if (due.length === 0) return 0
    await trx
      .updateTable('certificates')
      .set({ status: 'expired' })
      .where('status', '=', 'active')
      .where('exp', '<=', at)
      .execute()
    for (let i = 0; i < due.length; i += 500) {
      await trx
        .insertInto('certificate_events')
        .values(
          due.slice(i, i + 500).map((d) => ({
            uvci: d.uvci,
            person_cccd: d.person_cccd,
            event: 'expired',
            detail: null,
            actor: options.actor,
            at,
          })),
        )
        .execute()
    }
    await appendAudit(trx, {
      actor: options.actor,
      action: 'certificates.expire',
      entity: 'certificate',
      entityId: '*',
      after: { expired: due.length },
      at: options.now,
    })
    return due.length
  })
}

/**
 * Counts certificates by status (every status present, zero when none).
 *
 * @example
 * await countCertificatesByStatus(storage) // { active: 10, superseded: 2, revoked: 0, expired: 0 }
 */
export async function countCertificatesByStatus(
  storage: Storage,
): Promise<Record<CertificateStatus, number> & { total: number }> {
  const rows = await storage.db
    .selectFrom('certificates')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const out = { active: 0, superseded: 0, revoked: 0, expired: 0, total: 0 }
  for (const r of rows) {
    const n = Number(r.n)
    if (r.status in out) out[r.status as CertificateStatus] = n
    out.total += n
  }
  return out
}

/** One line of `certificates export`. */
export interface ExportedCertificate {
  readonly uvci: string
  readonly person: string
  readonly status: CertificateStatus
  readonly iat: string
  readonly exp: string
  readonly hc1: string
}

/**
 * Streams certificates in UVCI order, optionally of one status, page by page.
 *
 * @example
 * for await (const c of exportCertificates(storage, { status: 'active' })) out.write(JSON.stringify(c) + '\n')
 */
export async function* exportCertificates(
  storage: Storage,
  options: { status?: CertificateStatus; pageSize?: number } = {},
): AsyncGenerator<ExportedCertificate> {
  let after = ''
  const pageSize = options.pageSize ?? 5000
  for (;;) {
    let q = storage.db
      .selectFrom('certificates')
      .select(['uvci', 'person_cccd', 'status', 'iat', 'exp', 'hc1'])
      .where('uvci', '>', after)
      .orderBy('uvci')
      .limit(pageSize)
    if (options.status !== undefined) q = q.where('status', '=', options.status)
    const rows = await q.execute()
    for (const r of rows) {
      yield {
        uvci: r.uvci,
        person: r.person_cccd,
        status: r.status as CertificateStatus,
        iat: r.iat,
        exp: r.exp,
        hc1: r.hc1,
      }
    }
    if (rows.length < pageSize) return
    after = rows[rows.length - 1]!.uvci
  }
}

/** A revoked certificate, as the revocation list needs it. */
export interface RevokedCertificate {
  readonly uvci: string
  readonly kid: string
  readonly hc1: string
  readonly exp: string
  readonly revokedAt: string | null
  readonly reason: string | null
}

/**
 * Revoked certificates not yet expired at `now` (expired ones need no revocation entry).
 *
 * @example
 * const revoked = await listRevokedCertificates(storage, new Date())
 */
export async function listRevokedCertificates(
  storage: Storage,
  now: Date,
): Promise<RevokedCertificate[]> {
  const rows = await storage.db
    .selectFrom('certificates')
    .select(['uvci', 'kid', 'hc1', 'exp', 'revoked_at', 'revoked_reason'])
    .where('status', '=', 'revoked')
    .where('exp', '>', now.toISOString())
    .orderBy('uvci')
    .execute()
  return rows.map((r) => ({
    uvci: r.uvci,
    kid: r.kid,
    hc1: r.hc1,
    exp: r.exp,
    revokedAt: r.revoked_at,
    reason: r.revoked_reason,
  }))
}

/** One entry of a person's certificate history. */
export interface CertificateEvent {
  readonly uvci: string
  readonly event: string
  readonly detail: string | null
  readonly actor: string
  readonly at: string
}

/**
 * History of a person's certificates, oldest first: each issue (from the certificate rows)
 * and every later event (superseded, renewed, revoked, expired).
 *
 * @example
 * const events = await listCertificateEvents(storage, '001090012345')
 */
export async function listCertificateEvents(
  storage: Storage,
  cccd: string,
): Promise<CertificateEvent[]> {
  const issued = await storage.db
    .selectFrom('certificates')
    .select(['uvci', 'issued_by', 'created_at'])
    .where('person_cccd', '=', cccd)
    .execute()
  const later = await storage.db
    .selectFrom('certificate_events')
    .select(['id', 'uvci', 'event', 'detail', 'actor', 'at'])
    // Through the certificates' person index: events carry only a uvci index (bulk inserts).
    .where('uvci', 'in', (eb) =>
      eb.selectFrom('certificates').select('uvci').where('person_cccd', '=', cccd),
    )
    .orderBy('id')
    .execute()
  const all: Array<CertificateEvent & { order: number }> = [
    ...issued.map((r) => ({
      uvci: r.uvci,
      event: 'issued',
      detail: null,
      actor: r.issued_by,
      at: r.created_at,
      order: 0,
    })),
    ...later.map((r) => ({
      uvci: r.uvci,
      event: r.event,
      detail: r.detail,
      actor: r.actor,
      at: r.at,
      order: Number(r.id),
    })),
  ]
  // By time; at the same instant an issue comes after what it supersedes.
  all.sort((a, b) =>
    a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.event === 'issued' ? 1 : b.event === 'issued' ? -1 : a.order - b.order,
  )
  return all.map(({ order: _order, ...e }) => e)
}
