import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { VaxpassError } from '../../core/errors.js'
import { authoriseReview } from '../../domain/declarations/authorise-review.js'
import { compareDeclaration } from '../../domain/declarations/compare-declaration.js'
import type { DeclarationComparison } from '../../domain/declarations/compare-declaration.js'
import type {
  Actor,
  Declaration,
  DeclarationInput,
  DeclaredDose,
  RecordedDose,
} from '../../domain/declarations/declaration-types.js'
import type { DeclarationErrorCode } from '../../domain/declarations/errors.js'
import { planApproval } from '../../domain/declarations/plan-approval.js'
import type { Correction } from '../../domain/declarations/plan-approval.js'
import { validateDeclaration } from '../../domain/declarations/validate-declaration.js'
import { isCmnd } from '../../domain/identity/is-cmnd.js'
import { linkIdentity } from '../../domain/identity/link-identity.js'
import type { LinkResult } from '../../domain/identity/link-identity.js'
import { normaliseName } from '../../domain/identity/normalise-name.js'
import type { RegisterEntry, Sex } from '../../domain/identity/types.js'
import { personKey } from '../../domain/registry/person-key.js'
import { listProductCodes } from '../../domain/registry/registry-sources.js'
import { appendAudit } from '../audit/append-audit.js'
import type { Database } from '../schema.js'
import type { Storage } from '../storage.js'
import type { DeclarationsTable } from './declaration-tables.js'

type Db = Kysely<Database>
type Row = Omit<DeclarationsTable, 'id'> & { id: number | string }

function fail(
  code: DeclarationErrorCode,
  message: string,
  details?: Record<string, unknown>,
): never {
  throw new VaxpassError<DeclarationErrorCode>(
    code,
    message,
    details === undefined ? undefined : { details },
  )
}

function toDeclaration(r: Row): Declaration {
  return {
    id: Number(r.id),
    filedBy: r.filed_by,
    filedAt: r.filed_at,
    status: r.status as Declaration['status'],
    cccd: r.cccd,
    fullName: r.full_name,
    dob: r.dob,
    sex: r.sex as Sex,
    phone: r.phone,
    email: r.email,
    doses: JSON.parse(r.doses_json) as DeclaredDose[],
    evidence:
      r.evidence_media_type === null || r.evidence_sha256 === null
        ? null
        : { mediaType: r.evidence_media_type, sha256: r.evidence_sha256 },
  }
}

async function registerCandidates(
  db: Db,
  cccd: string | null,
  fullName: string,
): Promise<RegisterEntry[]> {
  const q = db
    .selectFrom('register_people')
    .select(['cccd', 'full_name', 'dob', 'sex', 'province_code'])
  const id = (cccd ?? '').trim()
  // A 9-digit CMND is not in the register: look the person up by name (linkIdentity falls back).
  const byId = id !== '' && !isCmnd(id)
  const rows = await (
    byId ? q.where('cccd', '=', id) : q.where('name_key', '=', normaliseName(fullName))
  ).execute()
  return rows.map((r) => ({
    cccd: r.cccd,
    fullName: r.full_name,
    dob: r.dob,
    sex: r.sex as Sex,
    ...(r.province_code === null ? {} : { provinceCode: r.province_code }),
  }))
}

/**
 * Files a declaration: validates it (`ERR_DECLARATION_INVALID` with every problem in
 * `details.problems`), links the declared identity to the register, stores it pending with its
 * evidence, and audits the filing. `actor.userId` is the filer (a citizen or staff member).
 *
 * @example
 * const { id, identity } = await fileDeclaration(storage, input, { userId: 'person:1', roles: [] }, { now: new Date() })
 */
export async function fileDeclaration(
  storage: Storage,
  input: DeclarationInput,
  actor: Actor,
  options: { now: Date },
): Promise<{ id: number; identity: LinkResult }> {
  const problems = validateDeclaration(input, { now: options.now, products: listProductCodes() })
  if (problems.length > 0) {
    fail('ERR_DECLARATION_INVALID', `the declaration has ${problems.length} problem(s)`, {
      problems,
    })
  }
  const sites = new Set(
    (
      await storage.db
        .selectFrom('vaccination_sites')
        .select('code')
        .where(
          'code',
          'in',
          input.doses.map((d) => d.siteCode),
        )
        .execute()
    ).map((r) => r.code),
  )
  const unknownSites = input.doses
    .map((d, i) => ({ field: `doses[${i}].siteCode`, code: 'invalid' as const, site: d.siteCode }))
    .filter((p) => !sites.has(p.site))
    .map(({ field, code }) => ({ field, code }))
  if (unknownSites.length > 0) {
    fail('ERR_DECLARATION_INVALID', 'unknown vaccination site', { problems: unknownSites })
  }
  const cccd = input.cccd === null || input.cccd.trim() === '' ? null : input.cccd.trim()
  const identity = linkIdentity(
    { cccd, fullName: input.fullName, dob: input.dob, sex: input.sex },
    await registerCandidates(storage.db, cccd, input.fullName),
  )
  const at = options.now.toISOString()
  const evidence = input.evidence ?? null
  const id = await storage.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('declarations')
      .values({
        filed_by: actor.userId,
        filed_at: at,
        status: 'pending',
        cccd,
        full_name: input.fullName.trim(),
        dob: input.dob,
        sex: input.sex,
        phone: input.phone ?? null,
        email: input.email ?? null,
        doses_json: JSON.stringify(input.doses),
        evidence_media_type: evidence?.mediaType ?? null,
        evidence_sha256:
          evidence === null ? null : createHash('sha256').update(evidence.bytes).digest('hex'),
        evidence: evidence === null ? null : Buffer.from(evidence.bytes),
        link_status: identity.status,
        link_cccd: identity.cccd ?? null,
        link_diff: JSON.stringify(identity),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const newId = Number(row.id)
    await appendAudit(trx, {
      actor: actor.userId,
      action: 'declaration.file',
      entity: 'declaration',
      entityId: newId,
      after: { status: 'pending', linkStatus: identity.status, doses: input.doses.length },
      at: options.now,
    })
    return newId
  })
  return { id, identity }
}

/** One line of the review queue. */
export interface ReviewQueueItem {
  readonly id: number
  readonly filedAt: string
  readonly filedBy: string
  readonly linkStatus: string
  readonly fullName: string
  readonly dob: string
  readonly doses: number
  readonly hasEvidence: boolean
}

/**
 * The pending declarations, oldest first, a page at a time (`afterId` from the last item).
 *
 * @example
 * const page = await listReviewQueue(storage, { limit: 50 })
 */
export async function listReviewQueue(
  storage: Storage,
  options: { limit?: number; afterId?: number } = {},
): Promise<ReviewQueueItem[]> {
  const limit = Math.min(Math.max(1, options.limit ?? 50), 500)
  const rows = await storage.db
    .selectFrom('declarations')
    .select([
      'id',
      'filed_at',
      'filed_by',
      'link_status',
      'full_name',
      'dob',
      'doses_json',
      'evidence_sha256',
    ])
    .where('status', '=', 'pending')
    .where('id', '>', options.afterId ?? 0)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    filedAt: r.filed_at,
    filedBy: r.filed_by,
    linkStatus: r.link_status,
    fullName: r.full_name,
    dob: r.dob,
    doses: (JSON.parse(r.doses_json) as unknown[]).length,
    hasEvidence: r.evidence_sha256 !== null,
  }))
}

async function loadRow(db: Db, id: number): Promise<Row> {
  const row = await db
    .selectFrom('declarations')
    .select([
      'id',
      'filed_by',
      'filed_at',
      'status',
      'cccd',
      'full_name',
      'dob',
      'sex',
      'phone',
      'email',
      'doses_json',
      'evidence_media_type',
      'evidence_sha256',
      'link_status',
      'link_cccd',
      'link_diff',
      'reviewed_by',
      'reviewed_at',
      'decision_reason',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
  if (row === undefined) fail('ERR_DECLARATION_NOT_FOUND', `no declaration ${id}`)
  return { ...row, evidence: null }
}

/** The person's dose records: by register ID, linked ID, or name and birth date without an ID. */
async function loadRecords(
  db: Db,
  declaration: Declaration,
  register: RegisterEntry | null,
): Promise<RecordedDose[]> {
  const ids = [...new Set([register?.cccd, declaration.cccd].filter((x): x is string => !!x))]
  const keys = [
    personKey('', declaration.fullName, declaration.dob),
    ...(register === null ? [] : [personKey('', register.fullName, register.dob)]),
  ]
  const rows = await db
    .selectFrom('dose_records')
    .select([
      'id',
      'cccd',
      'full_name',
      'dob',
      'sex',
      'product',
      'lot',
      'date',
      'dose_number',
      'site_code',
      'link_status',
    ])
    .where((eb) =>
      eb.or([
        ...(ids.length > 0
          ? [
              eb('cccd', 'in', ids),
              // Implied (only linked records carry linked_cccd); it lets the partial index answer.
              eb.and([eb('linked_cccd', 'in', ids), eb('link_status', '=', 'linked')]),
            ]
          : []),
        eb('person_key', 'in', keys),
      ]),
    )
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    cccd: r.cccd,
    fullName: r.full_name,
    dob: r.dob,
    sex: r.sex,
    product: r.product,
    lot: r.lot,
    date: r.date,
    doseNumber: Number(r.dose_number),
    siteCode: r.site_code,
    linkStatus: r.link_status,
  }))
}

async function buildReview(
  db: Db,
  row: Row,
): Promise<{ declaration: Declaration; comparison: DeclarationComparison }> {
  const declaration = toDeclaration(row)
  // Linked again on every look: the register may have changed since filing.
  const candidates = await registerCandidates(db, declaration.cccd, declaration.fullName)
  const identity = linkIdentity(declaration, candidates)
  const register =
    identity.cccd === undefined ? null : (candidates.find((c) => c.cccd === identity.cccd) ?? null)
  const records = await loadRecords(db, declaration, register)
  return {
    declaration,
    comparison: compareDeclaration(declaration, { identity, register, records }),
  }
}

/**
 * A declaration with everything its reviewer needs: the identity against the register, each
 * dose against the records, each record's identity against the register.
 *
 * @example
 * const { declaration, comparison } = await loadDeclarationReview(storage, 7)
 */
export async function loadDeclarationReview(
  storage: Storage,
  id: number,
): Promise<{ declaration: Declaration; comparison: DeclarationComparison }> {
  return buildReview(storage.db, await loadRow(storage.db, id))
}

/**
 * Approves a declaration: checks the actor (reviewer or admin, not the filer, still pending),
 * then in one transaction corrects the dose records as `planApproval` says (each change audited
 * with before and after), records the review and marks the declaration approved. Returns the
 * corrections made. `ERR_DECLARATION_NOT_LINKED` when the identity does not link: reject instead.
 *
 * @example
 * const { corrections } = await approveDeclaration(storage, 7, { userId: 'u9', roles: ['reviewer'] }, { now: new Date() })
 */
export async function approveDeclaration(
  storage: Storage,
  id: number,
  actor: Actor,
  options: { now: Date },
): Promise<{ corrections: Correction[] }> {
  const at = options.now.toISOString()
  return storage.db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, id)
    authoriseReview(actor, { filedBy: row.filed_by, status: row.status as Declaration['status'] })
    const { comparison } = await buildReview(trx, row)
    const corrections = planApproval(comparison)
    const register = comparison.register as RegisterEntry
    for (const c of corrections) {
      if (c.kind === 'update_dose') {
        await trx
          .updateTable('dose_records')
          .set({ ...c.after, link_reason: null, link_diff: null, linked_at: at })
          .where('id', '=', c.recordId)
          .execute()
        await appendAudit(trx, {
          actor: actor.userId,
          action: 'dose.correct',
          entity: 'dose_record',
          entityId: c.recordId,
          before: c.before,
          after: { ...c.after, declaration: id },
          at: options.now,
        })
      } else {
        const exists = await trx
          .selectFrom('dose_records')
          .select('id')
          .where('person_key', '=', register.cccd)
          .where('dose_number', '=', c.dose.doseNumber)
          .where('date', '=', c.dose.date)
          .where('product', '=', c.dose.product)
          .executeTakeFirst()
        if (exists !== undefined)
          fail('ERR_DECLARATION_CONFLICT', 'the declared dose is already recorded')
        const inserted = await trx
          .insertInto('dose_records')
          .values({
            person_key: register.cccd,
            cccd: register.cccd,
            full_name: register.fullName,
            dob: register.dob,
            sex: register.sex,
            product: c.dose.product,
            lot: c.dose.lot,
            date: c.dose.date,
            dose_number: c.dose.doseNumber,
            site_code: c.dose.siteCode,
            entered_by: actor.userId,
            entered_at: at,
            source: 'declaration',
            import_job_id: null,
            source_row: null,
            linked_cccd: register.cccd,
            link_status: 'linked',
            link_reason: null,
            link_diff: null,
            linked_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await appendAudit(trx, {
          actor: actor.userId,
          action: 'dose.create',
          entity: 'dose_record',
          entityId: Number(inserted.id),
          after: { ...c.dose, cccd: register.cccd, source: 'declaration', declaration: id },
          at: options.now,
        })
      }
    }
    await decide(trx, id, actor, 'approved', null, corrections, options.now)
    return { corrections }
  })
}

/**
 * Rejects a declaration with a reason (1 to 500 characters, else `ERR_REVIEW_REASON`), after the
 * same checks as approval; nothing else changes.
 *
 * @example
 * await rejectDeclaration(storage, 7, reviewer, 'the card photo shows another person', { now: new Date() })
 */
export async function rejectDeclaration(
  storage: Storage,
  id: number,
  actor: Actor,
  reason: string,
  options: { now: Date },
): Promise<void> {
  const text = reason.trim()
  if (text === '' || text.length > 500)
    fail('ERR_REVIEW_REASON', 'a rejection needs a reason of 1 to 500 characters')
  await storage.db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, id)
    authoriseReview(actor, { filedBy: row.filed_by, status: row.status as Declaration['status'] })
    await decide(trx, id, actor, 'rejected', text, null, options.now)
  })
}

async function decide(
  trx: Db,
  id: number,
  actor: Actor,
  decision: 'approved' | 'rejected',
  reason: string | null,
  corrections: Correction[] | null,
  now: Date,
): Promise<void> {
  const at = now.toISOString()
  // The status guard makes a concurrent second decision update nothing.
  const res = await trx
    .updateTable('declarations')
    .set({ status: decision, reviewed_by: actor.userId, reviewed_at: at, decision_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1)
    fail('ERR_DECLARATION_STATE', 'the declaration was decided meanwhile')
  await trx
    .insertInto('declaration_reviews')
    .values({
      declaration_id: id,
      reviewer: actor.userId,
      decision,
      reason,
      corrections_json: corrections === null ? null : JSON.stringify(corrections),
      at,
    })
    .execute()
  await appendAudit(trx, {
    actor: actor.userId,
    action: `declaration.${decision === 'approved' ? 'approve' : 'reject'}`,
    entity: 'declaration',
    entityId: id,
    before: { status: 'pending' },
    after: { status: decision, reason, corrections: corrections?.length ?? 0 },
    at: now,
  })
}
