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
 * active UVCI) stays here as strings, and what the issuing workers need is packed as bytes
 * (`wire`), so that it crosses to a worker as one buffer and the worker's heap holds one person's
 * strings at a time rather than a whole slice's.
 */
export interface IssuanceBatch {
  readonly people: number
  readonly cccd: string[]
  readonly phone: Array<string | null>
  readonly email: Array<string | null>
  readonly activeUvci: Array<string | null>
  /**
   * Per person, back to back, the UTF-8 JSON `[cccd, fullName, dob, activeContentHash | null,
   * [[product, date, doseNumber], ...]]`, doses in date, dose number, product order (read one
   * with {@link readWireRecord}).
   */
  readonly wire: Uint8Array
  /** Where each person's record ends in `wire` (it starts where the previous one ends, or 0). */
  readonly wireEnds: Uint32Array
  /** The last CCCD the page read (`after` when none): pass it as `after` for the next page. */
  readonly cursor: string
  /** True when no candidate follows. */
  readonly done: boolean
}

/** One person's record in {@link IssuanceBatch.wire}. */
export interface WireRecord {
  readonly person: IssuancePerson
  readonly doses: IssuanceDose[]
  /** The content hash of the active certificate, or null. */
  readonly activeContentHash: string | null
}

/**
 * Reads the record between `start` and `end` of a batch's `wire` bytes.
 *
 * @example
 * const first = readWireRecord(batch.wire, 0, batch.wireEnds[0]!)
 */
export function readWireRecord(wire: Uint8Array, start: number, end: number): WireRecord {
  // A Buffer (the worker wraps its slice once) is read as is; any other view gets a wrapper.
  const bytes = Buffer.isBuffer(wire) ? wire : Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength)
  const text = bytes.toString('utf8', start, end)
  const [cccd, fullName, dob, hash, rows] = JSON.parse(text) as [
    string,
    string,
    string,
    string | null,
    Array<[string, string, number | string]>,
  ]
  const doses: IssuanceDose[] = new Array(rows.length)
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!
    doses[j] = { product: r[0], date: r[1], doseNumber: Number(r[2]) }
  }
  return { person: { cccd, fullName, dob }, doses, activeContentHash: hash }
}

// One row per person: the doses are grouped by the database (from the covering index, in CCCD
// order), so the register entry and the active certificate are looked up once per person, not
// once per dose, and the worker's part comes as one JSON string. The register join is a LEFT
// JOIN so that the page size (and so `done`) counts what the keyset read, even for a dose linked
// to a CCCD missing from the register (not a candidate: skipped).
const BATCH_SQL_SQLITE = `
SELECT g.cccd, p.phone, p.email, c.uvci, p.cccd IS NOT NULL,
       json_array(g.cccd, p.full_name, p.dob, c.content_hash, json(g.doses))
FROM (SELECT linked_cccd AS cccd,
             json_group_array(json_array(product, date, dose_number) ORDER BY date, dose_number, product) AS doses
      FROM dose_records
      WHERE link_status = 'linked' AND linked_cccd > ?
      GROUP BY linked_cccd
      ORDER BY linked_cccd
      LIMIT ?) g
LEFT JOIN register_people p ON p.cccd = g.cccd
LEFT JOIN certificates c ON c.person_cccd = g.cccd AND c.status = 'active'
ORDER BY g.cccd`

const BATCH_SQL_POSTGRES = `
SELECT g.cccd, p.phone, p.email, c.uvci, p.cccd IS NOT NULL,
       json_build_array(g.cccd, p.full_name, p.dob, c.content_hash, g.doses)::text
FROM (SELECT linked_cccd AS cccd,
             json_agg(json_build_array(product, date, dose_number) ORDER BY date, dose_number, product) AS doses
      FROM dose_records
      WHERE link_status = 'linked' AND linked_cccd > $1
      GROUP BY linked_cccd
      ORDER BY linked_cccd
      LIMIT $2) g
LEFT JOIN register_people p ON p.cccd = g.cccd
LEFT JOIN certificates c ON c.person_cccd = g.cccd AND c.status = 'active'
ORDER BY g.cccd`

// Column positions of a batch row read as an array.
const C_CCCD = 0
const C_PHONE = 1
const C_EMAIL = 2
const C_UVCI = 3
const C_REGISTERED = 4
const C_WIRE = 5

type RawRow = unknown[]
const rawPageStatements = new WeakMap<SqliteHandle, { all(...params: unknown[]): unknown[] }>()

/**
 * Reads the next page of eligible people for bulk issuing: one keyset query (`linked_cccd >
 * after`, in CCCD order, over the covering index) returning one row per person, read as arrays
 * straight into columns and the packed worker records, with no object per person. `limit`
 * counts people; a page never splits one.
 *
 * @example
 * const batch = await loadIssuanceBatch(storage, { after: '', limit: 8_000 })
 */
export async function loadIssuanceBatch(
  storage: Storage,
  options: { after: string; limit: number },
): Promise<IssuanceBatch> {
  const limit = Math.max(1, Math.trunc(options.limit))
  let rows: RawRow[]
  if (storage.driver.kind === 'sqlite') {
    const db = storage.driver.sqlite
    let stmt = rawPageStatements.get(db)
    if (stmt === undefined) {
      stmt = db.prepare(BATCH_SQL_SQLITE).raw(true)
      rawPageStatements.set(db, stmt)
    }
    rows = stmt.all(options.after, limit) as RawRow[]
  } else {
    const res = await storage.driver.pool.query<RawRow>({
      text: BATCH_SQL_POSTGRES,
      values: [options.after, limit],
      rowMode: 'array',
    })
    rows = res.rows
  }
  const cccd: string[] = []
  const phone: Array<string | null> = []
  const email: Array<string | null> = []
  const activeUvci: Array<string | null> = []
  const wireEnds = new Uint32Array(rows.length)
  // Most records are ~150 bytes; grown when a page holds longer ones.
  let wire = Buffer.allocUnsafeSlow(Math.max(1024, rows.length * 256))
  let at = 0
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    if (!row[C_REGISTERED]) continue // not in the register: not a candidate
    const record = row[C_WIRE] as string
    if (at + record.length * 3 > wire.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(wire.length * 2, at + record.length * 3))
      wire.copy(grown, 0, 0, at)
      wire = grown
    }
    at += wire.write(record, at, 'utf8')
    wireEnds[cccd.length] = at
    cccd.push(row[C_CCCD] as string)
    phone.push((row[C_PHONE] as string | null) ?? null)
    email.push((row[C_EMAIL] as string | null) ?? null)
    activeUvci.push((row[C_UVCI] as string | null) ?? null)
  }
  const last = rows[rows.length - 1]
  return {
    people: cccd.length,
    cccd,
    phone,
    email,
    activeUvci,
    // A plain Uint8Array view (Buffer's slice() would not copy: callers slice this per worker).
    wire: new Uint8Array(wire.buffer, wire.byteOffset, at),
    wireEnds: wireEnds.subarray(0, cccd.length),
    cursor: last === undefined ? options.after : (last[C_CCCD] as string),
    done: rows.length < limit,
  }
}
