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
