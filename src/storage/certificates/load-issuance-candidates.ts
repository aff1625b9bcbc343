import { sql } from 'kysely'
import type { IssuanceDose, IssuancePerson } from '../../domain/issuance/build-vaccination-dcc.js'
import type { Storage } from '../storage.js'

/** A person who can be certified, their linked doses and current certificate. */
export interface IssuanceCandidate extends IssuancePerson {
  readonly phone: string | null
  readonly email: string | null
  readonly doses: IssuanceDose[]
  /** The active certificate, if any. */
  readonly activeUvci: string | null
  readonly activeContentHash: string | null
}

/** One page of candidates in CCCD order. */
export interface IssuanceCandidatePage {
  readonly candidates: IssuanceCandidate[]
  /** The last CCCD in the page ('' when empty): pass it as `after` for the next page. */
  readonly cursor: string
  /** True when no candidate follows. */
  readonly done: boolean
}

interface Row {
  cccd: string
  full_name: string
  dob: string
  phone: string | null
  email: string | null
  product: string
  date: string
  dose_number: number
  uvci: string | null
  content_hash: string | null
}

const PAGE_SQL = `
SELECT d.linked_cccd AS cccd, p.full_name, p.dob, p.phone, p.email,
       d.product, d.date, d.dose_number, c.uvci, c.content_hash
FROM dose_records d
JOIN register_people p ON p.cccd = d.linked_cccd
LEFT JOIN certificates c ON c.person_cccd = d.linked_cccd AND c.status = 'active'
WHERE d.link_status = 'linked' AND d.linked_cccd > $1
ORDER BY d.linked_cccd
LIMIT $2`

type SqliteHandle = Extract<Storage['driver'], { kind: 'sqlite' }>['sqlite']
const pageStatements = new WeakMap<SqliteHandle, { all(...params: unknown[]): unknown[] }>()

function group(rows: readonly Row[]): IssuanceCandidate[] {
  const out: IssuanceCandidate[] = []
  let current: IssuanceCandidate | undefined
  for (const r of rows) {
    if (current === undefined || current.cccd !== r.cccd) {
      current = {
        cccd: r.cccd,
        fullName: r.full_name,
        dob: r.dob,
        phone: r.phone,
        email: r.email,
        doses: [],
        activeUvci: r.uvci,
        activeContentHash: r.content_hash,
      }
      out.push(current)
    }
    current.doses.push({ product: r.product, date: r.date, doseNumber: Number(r.dose_number) })
  }
  return out
}

/**
 * Reads the next page of eligible people (linked to the register, with linked doses) after
 * `after` in CCCD order, with their doses and active certificate. `limit` counts dose rows; the
 * last person of a full page is left for the next page so that nobody is split.
 *
 * @example
 * let page = await loadIssuanceCandidates(storage, { after: '', limit: 20_000 })
 */
export async function loadIssuanceCandidates(
  storage: Storage,
  options: { after: string; limit: number },
): Promise<IssuanceCandidatePage> {
  const limit = Math.max(16, Math.trunc(options.limit))
  let rows: Row[]
  if (storage.driver.kind === 'sqlite') {
    const db = storage.driver.sqlite
    let stmt = pageStatements.get(db)
    if (stmt === undefined) {
      stmt = db.prepare(PAGE_SQL.replace('$1', '?').replace('$2', '?'))
      pageStatements.set(db, stmt)
    }
    rows = stmt.all(options.after, limit) as Row[]
  } else {
    const res = await storage.driver.pool.query<Row>(PAGE_SQL, [options.after, limit])
    rows = res.rows
  }
  let candidates = group(rows)
  const full = rows.length === limit
  if (full && candidates.length > 1) candidates = candidates.slice(0, -1)
  const last = candidates[candidates.length - 1]
  return { candidates, cursor: last?.cccd ?? options.after, done: !full }
}

/**
 * The candidate record of one person, or undefined when they are not eligible (not in the
 * register, or no linked dose).
 *
 * @example
 * const c = await loadIssuanceCandidate(storage, '001090012345')
 */
export async function loadIssuanceCandidate(
  storage: Storage,
  cccd: string,
): Promise<IssuanceCandidate | undefined> {
  const rows = await sql<Row>`
    SELECT d.linked_cccd AS cccd, p.full_name, p.dob, p.phone, p.email,
           d.product, d.date, d.dose_number, c.uvci, c.content_hash
    FROM dose_records d
    JOIN register_people p ON p.cccd = d.linked_cccd
    LEFT JOIN certificates c ON c.person_cccd = d.linked_cccd AND c.status = 'active'
    WHERE d.link_status = 'linked' AND d.linked_cccd = ${cccd}
    ORDER BY d.date, d.dose_number`.execute(storage.db)
  return group(rows.rows)[0]
}

/**
 * One page of candidates for bulk issuing, in columns: what only the main thread needs (contact,
 * active UVCI) stays here, and `wire` is what the issuing workers need, flat.
 */
export interface IssuanceBatch {
  readonly people: number
  readonly cccd: string[]
  readonly phone: Array<string | null>
  readonly email: Array<string | null>
  readonly activeUvci: Array<string | null>
  /**
   * Per person: cccd, fullName, dob, active content hash ('' when none), dose count, then per
   * dose: product, date, dose number.
   */
  readonly wire: Array<string | number>
  /** Where each person's record starts in `wire`, plus `wire.length` at the end. */
  readonly offsets: number[]
  /** The last CCCD in the page (`after` when empty): pass it as `after` for the next page. */
  readonly cursor: string
  /** True when no candidate follows. */
  readonly done: boolean
}

// Column positions of a PAGE_SQL row read as an array.
const C_CCCD = 0
const C_NAME = 1
const C_DOB = 2
const C_PHONE = 3
const C_EMAIL = 4
const C_PRODUCT = 5
const C_DATE = 6
const C_DOSE = 7
const C_UVCI = 8
const C_HASH = 9

type RawRow = unknown[]
const rawPageStatements = new WeakMap<SqliteHandle, { all(...params: unknown[]): unknown[] }>()

/**
 * Reads the next page of eligible people for bulk issuing: one keyset query (`linked_cccd >
 * after`, in CCCD order, over the covering index) with rows read as arrays, grouped straight into
 * columns and the flat worker records, with no object per person. `limit` counts dose rows; the
 * last person of a full page is left for the next page so that nobody is split.
 *
 * @example
 * const batch = await loadIssuanceBatch(storage, { after: '', limit: 16_000 })
 * await pool.run(batch.wire, batch.people, now)
 */
export async function loadIssuanceBatch(
  storage: Storage,
  options: { after: string; limit: number },
): Promise<IssuanceBatch> {
  const limit = Math.max(16, Math.trunc(options.limit))
  let rows: RawRow[]
  if (storage.driver.kind === 'sqlite') {
    const db = storage.driver.sqlite
    let stmt = rawPageStatements.get(db)
    if (stmt === undefined) {
      stmt = db.prepare(PAGE_SQL.replace('$1', '?').replace('$2', '?')).raw(true)
      rawPageStatements.set(db, stmt)
    }
    rows = stmt.all(options.after, limit) as RawRow[]
  } else {
    const res = await storage.driver.pool.query<RawRow>({
      text: PAGE_SQL,
      values: [options.after, limit],
      rowMode: 'array',
    })
    rows = res.rows
  }
  const full = rows.length === limit
  // A full page may end inside a person: leave that person (all their rows) for the next page.
  let end = rows.length
  if (full) {
    const lastCccd = rows[end - 1]![C_CCCD]
    let k = end
    while (k > 0 && rows[k - 1]![C_CCCD] === lastCccd) k--
    if (k > 0) end = k
  }
  const cccd: string[] = []
  const phone: Array<string | null> = []
  const email: Array<string | null> = []
  const activeUvci: Array<string | null> = []
  const wire: Array<string | number> = []
  const offsets: number[] = []
  let countAt = -1
  let current: unknown
  for (let r = 0; r < end; r++) {
    const row = rows[r]!
    if (row[C_CCCD] !== current) {
      current = row[C_CCCD]
      cccd.push(current as string)
      phone.push((row[C_PHONE] as string | null) ?? null)
      email.push((row[C_EMAIL] as string | null) ?? null)
      activeUvci.push((row[C_UVCI] as string | null) ?? null)
      offsets.push(wire.length)
      wire.push(current as string, row[C_NAME] as string, row[C_DOB] as string, (row[C_HASH] as string | null) ?? '', 0)
      countAt = wire.length - 1
    }
    wire.push(row[C_PRODUCT] as string, row[C_DATE] as string, Number(row[C_DOSE]))
    wire[countAt] = (wire[countAt] as number) + 1
  }
  offsets.push(wire.length)
  return {
    people: cccd.length,
    cccd,
    phone,
    email,
    activeUvci,
    wire,
    offsets,
    cursor: cccd[cccd.length - 1] ?? options.after,
    done: !full,
  }
}
