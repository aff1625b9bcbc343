import type { Kysely, Transaction } from 'kysely'
import { appendAudit } from '../audit/append-audit.js'
import type { Database } from '../schema.js'
import type { Storage } from '../storage.js'
import { composeHolderMessages, holderMessageComposer } from './holder-messages.js'

/** A signed certificate ready to store; it replaces `supersedes` when given. */
export interface NewCertificate {
  readonly uvci: string
  readonly personCccd: string
  readonly contentHash: string
  readonly iat: Date
  readonly exp: Date
  readonly kid: string
  readonly hc1: string
  readonly supersedes: string | null
  /** `issued` (first or after a change) or `renewed` (same content, before expiry). */
  readonly event: 'issued' | 'renewed'
  readonly contact: { readonly phone: string | null; readonly email: string | null }
}

/** Options of {@link writeCertificates}. */
export interface WriteCertificatesOptions {
  readonly now: Date
  readonly actor: string
  readonly runId?: number | null
  /** Queue holder messages in the outbox (default true). */
  readonly notify?: boolean
  /** One audit entry per certificate (default) or one per call with the counts (bulk). */
  readonly audit?: 'each' | 'batch'
  /** Runs inside the same transaction, after the rows (bulk runs move their cursor here). */
  readonly alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>
}

const CHUNK = 400

/**
 * Stores signed certificates in one transaction: each superseded certificate marked so (with a
 * `superseded` event), the new ones inserted active (the row is the `issued` record; renewals
 * add a `renewed` event), the holder messages in the outbox and the audit
 * entries. All or nothing: a failure leaves the database as it was. On SQLite the rows go
 * through prepared statements on the same connection (the hot path of bulk issuing).
 *
 * @example
 * await writeCertificates(storage, [cert], { now, actor: 'u:7' })
 */
export async function writeCertificates(
  storage: Storage,
  certs: readonly NewCertificate[],
  options: WriteCertificatesOptions,
): Promise<void> {
  const at = options.now.toISOString()
  const notify = options.notify ?? true
  const runId = options.runId ?? null
  await storage.db.transaction().execute(async (trx) => {
    if (storage.driver.kind === 'sqlite') {
      writeSqlite(storage.driver.sqlite, certs, at, options.actor, runId, notify)
    } else {
      await writeKysely(trx, certs, at, options.actor, runId, notify)
    }
    if ((options.audit ?? 'each') === 'each') {
      for (const c of certs) {
        await appendAudit(trx, {
          actor: options.actor,
          action: c.event === 'renewed' ? 'certificate.renew' : 'certificate.issue',
          entity: 'certificate',
          entityId: c.uvci,
          before: c.supersedes === null ? undefined : { uvci: c.supersedes, status: 'active' },
          after: { uvci: c.uvci, status: 'active', kid: c.kid, exp: c.exp.toISOString() },
          at: options.now,
        })
      }
    } else if (certs.length > 0) {
      await appendAudit(trx, {
        actor: options.actor,
        action: 'certificates.issue.batch',
        entity: runId === null ? 'certificate' : 'issue_run',
        entityId: runId ?? certs[0]!.uvci,
        after: {
          issued: certs.length,
          superseded: certs.filter((c) => c.supersedes !== null).length,
          first: certs[0]!.personCccd,
          last: certs[certs.length - 1]!.personCccd,
        },
        at: options.now,
      })
    }
    if (options.alsoInTransaction) await options.alsoInTransaction(trx)
  })
}

/** Certificates of one bulk batch, in columns; they share kid, iat and exp. */
export interface IssuedBatch {
  readonly kid: string
  readonly iat: Date
  readonly exp: Date
  readonly uvci: string[]
  readonly personCccd: string[]
  readonly contentHash: string[]
  /**
   * Each HC1 as text, or as its UTF-8 bytes (bulk runs pass the workers' bytes: stored as the
   * same text, with no string made on this thread).
   */
  readonly hc1: ReadonlyArray<string | Uint8Array>
  readonly supersedes: Array<string | null>
  readonly phone: Array<string | null>
  readonly email: Array<string | null>
}

/** Options of {@link writeIssuedBatch}. */
export interface WriteIssuedBatchOptions {
  readonly now: Date
  readonly actor: string
  readonly runId: number
  /** Queue holder messages in the outbox (default true). */
  readonly notify?: boolean
  /** Runs inside the same transaction, after the rows (the run moves its cursor here). */
  readonly alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>
}

/**
 * Stores one batch of a bulk run in one transaction, all or nothing: superseded certificates
 * marked (with their `superseded` event), the new ones inserted active with the run id (each row
 * is its own `issued` record), holder messages, and ONE audit entry for the batch with its counts
 * and first/last person (per-certificate history stays in the certificates table). On SQLite
 * every row goes through prepared statements on the raw handle, dates formatted once per batch.
 *
 * @example
 * await writeIssuedBatch(storage, batch, { now, actor: 'system:cli', runId: 7 })
 */
export async function writeIssuedBatch(
  storage: Storage,
  batch: IssuedBatch,
  options: WriteIssuedBatchOptions,
): Promise<void> {
  const n = batch.uvci.length
  const at = options.now.toISOString()
  const notify = options.notify ?? true
  let superseded = 0
  for (let i = 0; i < n; i++) if (batch.supersedes[i] !== null) superseded++
  await storage.db.transaction().execute(async (trx) => {
    if (storage.driver.kind === 'sqlite') {
      writeBatchSqlite(storage.driver.sqlite, batch, at, options.actor, options.runId, notify)
    } else {
      const certs: NewCertificate[] = []
      for (let i = 0; i < n; i++) {
        certs.push({
          uvci: batch.uvci[i]!,
          personCccd: batch.personCccd[i]!,
          contentHash: batch.contentHash[i]!,
          iat: batch.iat,
          exp: batch.exp,
          kid: batch.kid,
          hc1: textOf(batch.hc1[i]!),
          supersedes: batch.supersedes[i] ?? null,
          event: 'issued',
          contact: { phone: batch.phone[i] ?? null, email: batch.email[i] ?? null },
        })
      }
      await writeKysely(trx, certs, at, options.actor, options.runId, notify)
    }
    if (n > 0) {
      await appendAudit(trx, {
        actor: options.actor,
        action: 'certificates.issue.batch',
        entity: 'issue_run',
        entityId: options.runId,
        after: { issued: n, superseded, first: batch.personCccd[0], last: batch.personCccd[n - 1] },
        at: options.now,
      })
    }
    if (options.alsoInTransaction) await options.alsoInTransaction(trx)
  })
}

function writeBatchSqlite(
  db: SqliteHandle,
  batch: IssuedBatch,
  at: string,
  actor: string,
  runId: number,
  notify: boolean,
): void {
  const w = batchWriters(db, { iat: batch.iat.toISOString(), exp: batch.exp.toISOString(), kid: batch.kid, runId, actor, at })
  const compose = holderMessageComposer('certificate.issued', batch.exp)
  const { uvci, personCccd, contentHash, hc1, supersedes, phone, email } = batch
  for (let i = 0; i < uvci.length; i++) {
    const id = uvci[i]!
    const person = personCccd[i]!
    const old = supersedes[i] ?? null
    if (old !== null) w.supersede(id, old, person)
    w.insert(id, person, contentHash[i]!, hc1[i]!)
    const p = phone[i] ?? null
    const e = email[i] ?? null
    if (notify && (p || e)) {
      for (const m of compose({ phone: p, email: e }, id)) w.outbox(m.channel, m.recipient, m.template, m.body, person, id)
    }
  }
}

/** A text given as a string or as its UTF-8 bytes, as a string. */
function textOf(value: string | Uint8Array): string {
  return typeof value === 'string'
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
}

/** What every row of one bulk batch shares. */
interface BatchConstants {
  readonly iat: string
  readonly exp: string
  readonly kid: string
  readonly runId: number
  readonly actor: string
  readonly at: string
}

/** The statements of one bulk batch, taking only what differs per certificate. */
interface BatchWriters {
  /** `hc1` as text or as its UTF-8 bytes (stored as text either way). */
  insert(uvci: string, person: string, contentHash: string, hc1: string | Uint8Array): void
  /** Marks `old` superseded by `uvci`, with its `superseded` event. */
  supersede(uvci: string, old: string, person: string): void
  outbox(channel: string, recipient: string, template: string, body: string, person: string, uvci: string): void
}

// Printable ASCII: such a value reads the same as an SQL string literal ('' for ') as bound.
const PLAIN_ASCII = /^[\x20-\x7e]*$/

function sqlText(value: string): string | undefined {
  return PLAIN_ASCII.test(value) ? `'${value.replaceAll("'", "''")}'` : undefined
}

/**
 * Statements for one batch with its shared values (dates, kid, run, actor) written into the SQL
 * once: binding a parameter costs about as much as a B-tree insert, and six of the ten values of
 * a certificate row are the same for the whole batch. Values that are not plain ASCII (never
 * ours in practice) fall back to the fully bound statements.
 */
function batchWriters(db: SqliteHandle, c: BatchConstants): BatchWriters {
  const iat = sqlText(c.iat)
  const exp = sqlText(c.exp)
  const kid = sqlText(c.kid)
  const actor = sqlText(c.actor)
  const at = sqlText(c.at)
  if (iat === undefined || exp === undefined || kid === undefined || actor === undefined || at === undefined || !Number.isSafeInteger(c.runId)) {
    const s = statements(db)
    return {
      insert: (uvci, person, contentHash, hc1) => {
        s.insert.run(uvci, person, contentHash, c.iat, c.exp, c.kid, textOf(hc1), c.runId, c.actor, c.at)
      },
      supersede: (uvci, old, person) => {
        s.supersede.run(uvci, old)
        s.event.run(old, person, 'superseded', uvci, c.actor, c.at)
      },
      outbox: (channel, recipient, template, body, person, uvci) => {
        s.outbox.run(channel, recipient, template, body, person, uvci, c.at)
      },
    }
  }
  // The HC1 may come as bytes: CAST(blob AS TEXT) reads them as UTF-8 text (the database's
  // encoding), the very value a bound string gives, without a string on this thread.
  const insert = db.prepare(
    `INSERT INTO certificates (uvci, person_cccd, status, content_hash, iat, exp, kid, hc1, run_id, issued_by, created_at)
     VALUES (?, ?, 'active', ?, ${iat}, ${exp}, ${kid}, CAST(? AS TEXT), ${c.runId}, ${actor}, ${at})`,
  )
  const supersede = statements(db).supersede
  const event = db.prepare(
    `INSERT INTO certificate_events (uvci, person_cccd, event, detail, actor, at) VALUES (?, ?, 'superseded', ?, ${actor}, ${at})`,
  )
  const outbox = db.prepare(
    `INSERT INTO outbox (channel, recipient, template, body, status, person_cccd, uvci, created_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ${at})`,
  )
  return {
    insert: (uvci, person, contentHash, hc1) => {
      insert.run(uvci, person, contentHash, hc1)
    },
    supersede: (uvci, old, person) => {
      supersede.run(uvci, old)
      event.run(old, person, uvci)
    },
    outbox: (channel, recipient, template, body, person, uvci) => {
      outbox.run(channel, recipient, template, body, person, uvci)
    },
  }
}

function statements(db: SqliteHandle): ReturnType<typeof prepare> {
  let s = statementCache.get(db)
  if (s === undefined) {
    s = prepare(db)
    statementCache.set(db, s)
  }
  return s
}

type SqliteHandle = Extract<Storage['driver'], { kind: 'sqlite' }>['sqlite']

const statementCache = new WeakMap<SqliteHandle, ReturnType<typeof prepare>>()

function prepare(db: SqliteHandle) {
  return {
    supersede: db.prepare(
      `UPDATE certificates SET status = 'superseded', superseded_by = ? WHERE uvci = ? AND status = 'active'`,
    ),
    insert: db.prepare(
      `INSERT INTO certificates (uvci, person_cccd, status, content_hash, iat, exp, kid, hc1, run_id, issued_by, created_at)
       VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare(
      `INSERT INTO certificate_events (uvci, person_cccd, event, detail, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    outbox: db.prepare(
      `INSERT INTO outbox (channel, recipient, template, body, status, person_cccd, uvci, created_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
    ),
  }
}

function writeSqlite(
  db: SqliteHandle,
  certs: readonly NewCertificate[],
  at: string,
  actor: string,
  runId: number | null,
  notify: boolean,
): void {
  const s = statements(db)
  for (const c of certs) {
    if (c.supersedes !== null) {
      s.supersede.run(c.uvci, c.supersedes)
      s.event.run(c.supersedes, c.personCccd, 'superseded', c.uvci, actor, at)
    }
    s.insert.run(
      c.uvci,
      c.personCccd,
      c.contentHash,
      c.iat.toISOString(),
      c.exp.toISOString(),
      c.kid,
      c.hc1,
      runId,
      actor,
      at,
    )
    // The certificates row records the issue; only a renewal adds a history row.
    if (c.event === 'renewed') s.event.run(c.uvci, c.personCccd, 'renewed', null, actor, at)
    if (notify) {
      const template = c.event === 'renewed' ? 'certificate.renewed' : 'certificate.issued'
      for (const m of composeHolderMessages(template, c.contact, c.uvci, c.exp)) {
        s.outbox.run(m.channel, m.recipient, m.template, m.body, c.personCccd, c.uvci, at)
      }
    }
  }
}

async function writeKysely(
  trx: Kysely<Database>,
  certs: readonly NewCertificate[],
  at: string,
  actor: string,
  runId: number | null,
  notify: boolean,
): Promise<void> {
  for (let i = 0; i < certs.length; i += CHUNK) {
    const chunk = certs.slice(i, i + CHUNK)
    const superseding = chunk.filter((c) => c.supersedes !== null)
    for (const c of superseding) {
      await trx
        .updateTable('certificates')
        .set({ status: 'superseded', superseded_by: c.uvci })
        .where('uvci', '=', c.supersedes!)
        .where('status', '=', 'active')
        .execute()
    }
    await trx
      .insertInto('certificates')
      .values(
        chunk.map((c) => ({
          uvci: c.uvci,
          person_cccd: c.personCccd,
          status: 'active',
          content_hash: c.contentHash,
          iat: c.iat.toISOString(),
          exp: c.exp.toISOString(),
          kid: c.kid,
          hc1: c.hc1,
          superseded_by: null,
          revoked_reason: null,
          revoked_at: null,
          run_id: runId,
          issued_by: actor,
          created_at: at,
        })),
      )
      .execute()
    const events = [
      ...superseding.map((c) => ({
        uvci: c.supersedes!,
        person_cccd: c.personCccd,
        event: 'superseded',
        detail: c.uvci,
        actor,
        at,
      })),
      ...chunk
        .filter((c) => c.event === 'renewed')
        .map((c) => ({
          uvci: c.uvci,
          person_cccd: c.personCccd,
          event: 'renewed',
          detail: null,
          actor,
          at,
        })),
    ]
    if (events.length > 0) await trx.insertInto('certificate_events').values(events).execute()
    if (notify) {
      const messages = chunk.flatMap((c) =>
        composeHolderMessages(
          c.event === 'renewed' ? 'certificate.renewed' : 'certificate.issued',
          c.contact,
          c.uvci,
          c.exp,
        ).map((m) => ({
          channel: m.channel,
          recipient: m.recipient,
          template: m.template,
          body: m.body,
          status: 'pending',
          person_cccd: c.personCccd,
          uvci: c.uvci,
          created_at: at,
          sent_at: null,
        })),
      )
      if (messages.length > 0) await trx.insertInto('outbox').values(messages).execute()
    }
  }
}
