import type BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { findProvince } from '../../domain/identity/provinces.js'
import { isCmnd } from '../../domain/identity/is-cmnd.js'
import { linkIdentity, type LinkResult } from '../../domain/identity/link-identity.js'
import { normaliseName } from '../../domain/identity/normalise-name.js'
import type { LinkStatus, RegisterEntry, Sex } from '../../domain/identity/types.js'
import { LINK_STATUSES } from '../../domain/identity/types.js'
import { isIsoDate } from '../../domain/registry/dates.js'
import type { RegisterLookup } from '../../domain/registry/register-lookup.js'
import { appendAudit } from '../audit/append-audit.js'
import type { Storage } from '../storage.js'

/** Options of {@link linkDoseRecords}. */
export interface LinkOptions {
  /** Records per transaction (default 10,000). */
  readonly batchSize?: number
  readonly now?: () => Date
  /** Audit actor (default `system:link`). */
  readonly actor?: string
  /** Also retry records that failed before (after a register update). */
  readonly retryUnlinked?: boolean
  readonly onProgress?: (done: number) => void
  /** Where register entries come from (default: the register_people table). */
  readonly lookup?: RegisterLookup
}

/** How many records were processed, and their outcome. */
export interface LinkSummary {
  readonly processed: number
  readonly byStatus: Readonly<Record<LinkStatus, number>>
}

interface Pending {
  id: number
  cccd: string | null
  full_name: string
  dob: string
  sex: string
}

/** The identity a record carries, as stored (snake_case columns). */
export interface RecordIdentity {
  readonly cccd: string | null
  readonly full_name: string
  readonly dob: string
  readonly sex: string
}

/** The linkage columns of a dose record. */
export interface LinkOutcome {
  readonly linkedCccd: string | null
  readonly status: LinkStatus
  readonly reason: string | null
  /** JSON `{ candidate, differences }`, or null when there is nothing to say. */
  readonly diff: string | null
}

/**
 * Links a batch of records to the register (our table by default, or any {@link RegisterLookup}):
 * one lookup by ID and one by normalised name for the whole batch, then `linkIdentity` for each record. Used by {@link linkDoseRecords} and
 * by the dose import (which can store records already linked).
 *
 * @example
 * const [o] = await linkIdentities(storage, [{ cccd: '001085012345', full_name: 'Nguyễn Văn An', dob: '1985-03-02', sex: 'M' }])
 * o.status // 'linked'
 */
export async function linkIdentities(
  storage: Storage,
  rows: readonly RecordIdentity[],
  lookup: RegisterLookup = createRegisterLookup(storage),
): Promise<LinkOutcome[]> {
  return linkIdentitiesWith(lookup, rows)
}

/**
 * {@link linkIdentities} over any {@link RegisterLookup}, without a {@link Storage}: the import
 * worker links with a lookup on its own read-only connection.
 *
 * @example
 * const outcomes = await linkIdentitiesWith(createSqliteRegisterLookup(handle), rows)
 */
export async function linkIdentitiesWith(
  lookup: RegisterLookup,
  rows: readonly RecordIdentity[],
): Promise<LinkOutcome[]> {
  const n = rows.length
  const cccds = new Array<string | null>(n)
  const names = new Array<string>(n)
  const dobs = new Array<string>(n)
  const sexes = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const r = rows[i] as RecordIdentity
    cccds[i] = r.cccd
    names[i] = r.full_name
    dobs[i] = r.dob
    sexes[i] = r.sex
  }
  return linkIdentityColumns(lookup, cccds, names, dobs, sexes)
}

/**
 * {@link linkIdentitiesWith} over the identity columns of a batch (row i: `cccds[i]`,
 * `names[i]`, `dobs[i]`, `sexes[i]`): the import links its accepted rows without an object per
 * row.
 *
 * @example
 * const [o] = await linkIdentityColumns(lookup, ['001085012345'], ['Nguyễn Văn An'], ['1985-03-02'], ['M'])
 */
export async function linkIdentityColumns(
  lookup: RegisterLookup,
  cccds: ReadonlyArray<string | null>,
  names: readonly string[],
  dobs: readonly string[],
  sexes: readonly string[],
): Promise<LinkOutcome[]> {
  const n = cccds.length
  const idSet = new Set<string>()
  const nameSet = new Set<string>()
  // Each row's CCCD, or its name key when it has none: normalised once per row. The register
  // holds CCCDs only, so an old 9-digit CMND is looked up by name and birth date like a missing ID
  // (linkIdentity then links on name, birth date and sex, and reports the CMND as a difference).
  const ids = new Array<string>(n)
  const nameKeys = new Array<string | undefined>(n)
  for (let i = 0; i < n; i++) {
    const raw = cccds[i]
    const id = raw === null || raw === undefined ? '' : raw.trim()
    ids[i] = id
    if (id !== '' && !isCmnd(id)) idSet.add(id)
    else nameSet.add((nameKeys[i] = normaliseName(names[i] as string)))
  }
  // One entry per ID (the last one returned, as a Map keeps it).
  const byId = new Map<string, RegisterEntry>()
  if (idSet.size > 0) for (const e of await lookup.findByIds([...idSet])) byId.set(e.cccd, e)
  const byName = new Map<string, RegisterEntry[]>()
  if (nameSet.size > 0) {
    for (const { nameKey, entry } of await lookup.findByNameKeys([...nameSet])) {
      let list = byName.get(nameKey)
      if (list === undefined) byName.set(nameKey, (list = []))
      list.push(entry)
    }
  }
  const out = new Array<LinkOutcome>(n)
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string
    const key = nameKeys[i]
    const fullName = names[i] as string
    const dob = dobs[i] as string
    const sex = sexes[i] as string
    let candidates: readonly RegisterEntry[]
    if (key === undefined) {
      const e = byId.get(id)
      if (e !== undefined) {
        const fast = linkExactMatch(id, fullName, dob, sex, e)
        if (fast !== null) {
          out[i] = fast
          continue
        }
        candidates = [e]
      } else candidates = []
    } else {
      // No exact-match shortcut here: it needs a 12-digit ID, and these rows have none.
      candidates = byName.get(key) ?? []
    }
    const result = linkIdentity({ cccd: id, fullName, dob, sex }, candidates)
    out[i] = {
      linkedCccd: result.status === 'linked' ? (result.cccd ?? null) : null,
      status: result.status,
      reason: reasonOf(result),
      diff:
        result.differences.length === 0 && result.cccd === undefined
          ? null
          : JSON.stringify({ candidate: result.cccd ?? null, differences: result.differences }),
    }
  }
  return out
}

/**
 * The common case, decided without `linkIdentity`'s full comparison: a 12-digit CCCD whose one
 * register entry carries exactly the same name, full birth date and sex, and whose digits agree
 * with them. The outcome is the one `linkIdentity` gives for it (`linked`, no differences; a
 * test holds the two together); anything else returns null and takes the general path.
 */
function linkExactMatch(
  id: string,
  fullName: string,
  dob: string,
  sex: string,
  e: RegisterEntry,
): LinkOutcome | null {
  if (id.length !== 12 || e.cccd !== id || e.fullName !== fullName || e.dob !== dob) return null
  if (e.sex !== sex || !isIsoDate(dob) || dob < '1800') return null
  if (!cccdDigitsAgree(id, dob, sex)) return null
  return {
    linkedCccd: id,
    status: 'linked',
    reason: null,
    // The ID is 12 digits here (checked above): nothing to escape.
    diff: `{"candidate":"${id}","differences":[]}`,
  }
}

/** 1 at index n when the three digits of n are a province code: no substring or map per ID. */
const PROVINCE_CODES = Uint8Array.from({ length: 1000 }, (_, n) =>
  findProvince(String(n).padStart(3, '0')) === undefined ? 0 : 1,
)

/**
 * True when `cccdAgreesWith(id, { dob, sex })` says the ID is a well-formed CCCD whose digits
 * agree with both (checked, no disagreement), for a 12-character `id` and a `YYYY-MM-DD` `dob`:
 * the same rules on character codes, without the report objects (a test holds the two together).
 *
 * @example
 * cccdDigitsAgree('001085012345', '1985-03-02', 'M') // true
 */
export function cccdDigitsAgree(id: string, dob: string, sex: string): boolean {
  if (id.length !== 12) return false
  for (let i = 0; i < 12; i++) {
    const c = id.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  const centurySex = id.charCodeAt(3) - 48
  if (centurySex > 5 || (centurySex % 2 === 0 ? 'M' : 'F') !== sex) return false
  const province =
    (id.charCodeAt(0) - 48) * 100 + (id.charCodeAt(1) - 48) * 10 + id.charCodeAt(2) - 48
  if (PROVINCE_CODES[province] !== 1) return false
  // Birth year: 19xx, 20xx or 21xx from the century digit, the last two from digits 5-6; the
  // record's year is the first four characters of its date (all digits, as isIsoDate checked).
  const year = 19 + (centurySex >> 1)
  return (
    dob.charCodeAt(0) - 48 === Math.floor(year / 10) &&
    dob.charCodeAt(1) - 48 === year % 10 &&
    dob.charCodeAt(2) === id.charCodeAt(4) &&
    dob.charCodeAt(3) === id.charCodeAt(5)
  )
}

interface RegisterRow {
  cccd: string
  full_name: string
  name_key: string
  dob: string
  sex: string
  province_code: string | null
}

function toEntry(r: RegisterRow): RegisterEntry {
  const e: { -readonly [K in keyof RegisterEntry]: RegisterEntry[K] } = {
    cccd: r.cccd,
    fullName: r.full_name,
    dob: r.dob,
    sex: r.sex as Sex,
  }
  // Absent rather than undefined when unknown (exactOptionalPropertyTypes), without a spread.
  if (r.province_code !== null) e.provinceCode = r.province_code
  return e
}

const REGISTER_COLUMNS = 'cccd, full_name, name_key, dob, sex, province_code'

async function selectRegister(
  storage: Storage,
  column: 'cccd' | 'name_key',
  values: readonly string[],
): Promise<RegisterRow[]> {
  if (values.length === 0) return []
  if (storage.driver.kind === 'sqlite') {
    return storage.driver.sqlite
      .prepare(
        `SELECT ${REGISTER_COLUMNS} FROM register_people WHERE ${column} IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(values)) as RegisterRow[]
  }
  const res = await storage.driver.pool.query<RegisterRow>(
    `SELECT ${REGISTER_COLUMNS} FROM register_people WHERE ${column} = ANY($1::text[])`,
    [values],
  )
  return res.rows
}

/**
 * The register table as a {@link RegisterLookup}: one indexed query per batch (json_each on
 * SQLite, `= ANY($1)` on PostgreSQL).
 *
 * @example
 * const lookup = createRegisterLookup(storage)
 * await lookup.findByIds(['001085012345'])
 */
export function createRegisterLookup(storage: Storage): RegisterLookup {
  if (storage.driver.kind === 'sqlite') return createSqliteRegisterLookup(storage.driver.sqlite)
  return {
    async findByIds(ids) {
      return (await selectRegister(storage, 'cccd', ids)).map(toEntry)
    },
    async findByNameKeys(keys) {
      return (await selectRegister(storage, 'name_key', keys)).map((r) => ({
        nameKey: r.name_key,
        entry: toEntry(r),
      }))
    },
  }
}

/**
 * The register table of a SQLite handle as a {@link RegisterLookup}: two statements prepared
 * once, read as arrays (no row objects), one json_each query per batch. The import worker uses
 * it on its own read-only connection.
 *
 * @example
 * const lookup = createSqliteRegisterLookup(new BetterSqlite3(path, { readonly: true }))
 */
export function createSqliteRegisterLookup(handle: BetterSqlite3.Database): RegisterLookup {
  // By ID: the IDs as the outer loop (CROSS JOIN keeps it), one primary-key search each, in the order given (file
  // order, close to key order), without the sorted temporary table an `IN (subquery)` builds
  // (~25% less per ID); the name key is not read. IDs come distinct (see RegisterLookup).
  const byId = handle
    .prepare(
      `SELECT r.cccd, r.full_name, r.dob, r.sex, r.province_code
       FROM json_each(?) AS j CROSS JOIN register_people AS r ON r.cccd = j.value`,
    )
    .raw(true)
  const byName = handle
    .prepare(
      `SELECT cccd, full_name, dob, sex, province_code, name_key FROM register_people
       WHERE name_key IN (SELECT value FROM json_each(?))`,
    )
    .raw(true)
  type Row = [string, string, string, string, string | null, string]
  const entry = (r: Row): RegisterEntry => {
    const e: { -readonly [K in keyof RegisterEntry]: RegisterEntry[K] } = {
      cccd: r[0],
      fullName: r[1],
      dob: r[2],
      sex: r[3] as Sex,
    }
    if (r[4] !== null) e.provinceCode = r[4]
    return e
  }
  return {
    async findByIds(ids) {
      if (ids.length === 0) return []
      return (byId.all(JSON.stringify(ids)) as Row[]).map(entry)
    },
    async findByNameKeys(keys) {
      if (keys.length === 0) return []
      return (byName.all(JSON.stringify(keys)) as Row[]).map((r) => ({
        nameKey: r[5],
        entry: entry(r),
      }))
    },
  }
}

function reasonOf(result: LinkResult): string | null {
  if (result.status === 'linked') return null
  if (result.status === 'id_malformed') return `ID malformed (${result.idProblem ?? 'invalid'})`
  if (result.status === 'not_found') return 'no register entry for this ID or name and birth date'
  if (result.status === 'ambiguous') return `${result.candidates} register entries match`
  return result.differences
    .filter((d) => d.kind !== 'diacritics' && d.kind !== 'partial')
    .map((d) => `${d.field} ${d.kind}`)
    .join('; ')
}

/**
 * Links pending dose records to the national register, in batches: per batch one indexed lookup
 * by ID and one by normalised name, `linkIdentity` for each record, and one transaction that
 * stores every outcome (linked register ID, status, reason, field-by-field differences as JSON)
 * with an audit entry. Runs until no record is pending.
 *
 * @example
 * const { byStatus } = await linkDoseRecords(storage, { now: () => new Date() })
 * byStatus.linked // 9_512
 */
export async function linkDoseRecords(
  storage: Storage,
  options: LinkOptions = {},
): Promise<LinkSummary> {
  const batchSize = Math.max(1, options.batchSize ?? 10_000)
  const now = options.now ?? (() => new Date())
  const actor = options.actor ?? 'system:link'
  const byStatus = Object.fromEntries(LINK_STATUSES.map((s) => [s, 0])) as Record<
    LinkStatus,
    number
  >
  const db = storage.db
  const lookup = options.lookup ?? createRegisterLookup(storage)
  if (options.retryUnlinked === true) {
    await db
      .updateTable('dose_records')
      .set({ link_status: null })
      .where('link_status', 'is not', null)
      .where('link_status', '<>', 'linked')
      .execute()
  }
  let processed = 0
  let lastId = 0
  for (;;) {
    const rows = (await db
      .selectFrom('dose_records')
      .select(['id', 'cccd', 'full_name', 'dob', 'sex'])
      .where('link_status', 'is', null)
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(batchSize)
      .execute()) as Pending[]
    if (rows.length === 0) break
    lastId = Number((rows[rows.length - 1] as Pending).id)

    const at = now().toISOString()
    const outcomes = await linkIdentities(storage, rows, lookup)
    const out: Array<[number, string | null, string, string | null, string | null]> = []
    const batchCounts: Partial<Record<LinkStatus, number>> = {}
    for (let i = 0; i < rows.length; i++) {
      const o = outcomes[i] as LinkOutcome
      byStatus[o.status]++
      batchCounts[o.status] = (batchCounts[o.status] ?? 0) + 1
      out.push([Number((rows[i] as Pending).id), o.linkedCccd, o.status, o.reason, o.diff])
    }

    await db.transaction().execute(async (trx) => {
      if (storage.driver.kind === 'sqlite') {
        // Same connection as the Kysely transaction: these statements are inside it.
        const update = storage.driver.sqlite.prepare(
          `UPDATE dose_records SET linked_cccd = ?, link_status = ?, link_reason = ?,
           link_diff = ?, linked_at = ? WHERE id = ?`,
        )
        for (const [id, cccd, status, reason, diff] of out)
          update.run(cccd, status, reason, diff, at, id)
      } else {
        await sql`UPDATE dose_records AS d SET linked_cccd = u.linked_cccd, link_status = u.status,
            link_reason = u.reason, link_diff = u.diff, linked_at = ${at}
          FROM unnest(${out.map((o) => o[0])}::bigint[], ${out.map((o) => o[1])}::text[],
            ${out.map((o) => o[2])}::text[], ${out.map((o) => o[3])}::text[],
            ${out.map((o) => o[4])}::text[]) AS u(id, linked_cccd, status, reason, diff)
          WHERE d.id = u.id`.execute(trx)
      }
      await appendAudit(trx, {
        actor,
        action: 'doses.link.batch',
        entity: 'dose_record',
        entityId: `${out[0]?.[0]}-${lastId}`,
        after: batchCounts,
        at: new Date(at),
      })
    })
    processed += rows.length
    options.onProgress?.(processed)
  }
  return { processed, byStatus }
}
