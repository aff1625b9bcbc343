import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../../src/storage/open-database.js'
import type { Storage } from '../../../src/storage/storage.js'

/** The databases every lifecycle suite runs against. */
export const BACKENDS = ['sqlite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'

/** A fresh database: a SQLite file in a temp folder, or a PostgreSQL schema of its own. */
export async function openTestStorage(backend: Backend, name: string): Promise<{ storage: Storage; url: string }> {
  let url: string
  if (backend === 'sqlite') {
    url = join(mkdtempSync(join(tmpdir(), 'vaxpass-issuance-')), 'test.db')
  } else {
    const schema = `issuance_${name}_${process.pid}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/gi, '_')
    url = `${PG_URL}?schema=${schema}`
  }
  return { storage: await openDatabase({ DATABASE_URL: url }), url }
}

/** Drops the PostgreSQL schema of a test (SQLite temp files are left to the OS). */
export async function dropTestStorage(storage: Storage): Promise<void> {
  if (storage.driver.kind === 'postgres' && storage.driver.schema !== undefined) {
    await storage.driver.pool.query(`DROP SCHEMA IF EXISTS "${storage.driver.schema}" CASCADE`)
  }
  await storage.close()
}

export interface FixturePerson {
  cccd: string
  fullName: string
  dob: string
  sex: 'M' | 'F'
  phone?: string | null
  email?: string | null
  doses: Array<{ product: string; date: string; doseNumber: number; linked?: boolean }>
}

let doseCounter = 0

/** Inserts a province, a site, register entries and linked dose records. */
export async function seedPeople(storage: Storage, people: readonly FixturePerson[]): Promise<void> {
  const at = '2022-01-01T00:00:00.000Z'
  const db = storage.db
  await db.insertInto('provinces').values({ code: '001', name: 'Hà Nội' }).onConflict((oc) => oc.doNothing()).execute()
  await db
    .insertInto('vaccination_sites')
    .values({ code: 'BM', name: 'Bệnh viện Bạch Mai', province_code: '001', kind: 'hospital' })
    .onConflict((oc) => oc.doNothing())
    .execute()
  for (let i = 0; i < people.length; i += 200) {
    const chunk = people.slice(i, i + 200)
    await db
      .insertInto('register_people')
      .values(
        chunk.map((p) => ({
          cccd: p.cccd,
          full_name: p.fullName,
          name_key: p.fullName.toUpperCase(),
          dob: p.dob,
          sex: p.sex,
          province_code: '001',
          phone: p.phone ?? null,
          email: p.email ?? null,
          import_job_id: null,
          updated_at: at,
        })),
      )
      .execute()
    const doses = chunk.flatMap((p) =>
      p.doses.map((d) => ({
        person_key: p.cccd,
        cccd: p.cccd,
        full_name: p.fullName,
        dob: p.dob,
        sex: p.sex,
        product: d.product,
        lot: `LOT${++doseCounter}`,
        date: d.date,
        dose_number: d.doseNumber,
        site_code: 'BM',
        entered_by: 'test',
        entered_at: at,
        source: 'import',
        import_job_id: null,
        source_row: null,
        linked_cccd: d.linked === false ? null : p.cccd,
        link_status: d.linked === false ? 'not_found' : 'linked',
        link_reason: null,
        link_diff: null,
        linked_at: d.linked === false ? null : at,
      })),
    )
    if (doses.length > 0) await db.insertInto('dose_records').values(doses).execute()
  }
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Đặng', 'Vũ', 'Bùi']
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Hồng']
const GIVEN = ['Anh', 'Bảo', 'Duy', 'Đào', 'Hà', 'Lan', 'Tâm', 'Thuỷ', 'Yến']
const PRODUCTS = ['EU/1/20/1528', 'EU/1/21/1529', 'EU/1/20/1507', 'BBIBP-CorV', 'Sputnik-V']

/** `n` deterministic people with 1 to 3 doses each, CCCDs in order. */
export function makePeople(n: number, offset = 0): FixturePerson[] {
  const out: FixturePerson[] = []
  for (let k = offset; k < offset + n; k++) {
    const female = k % 2 === 1
    const year = 1950 + (k % 50)
    const cccd = `001${female ? 1 : 0}${String(year % 100).padStart(2, '0')}${String(k).padStart(6, '0')}`
    const product = PRODUCTS[k % PRODUCTS.length]!
    const count = 1 + (k % 3)
    out.push({
      cccd,
      fullName: `${FAMILY[k % FAMILY.length]} ${MIDDLE[k % MIDDLE.length]} ${GIVEN[k % GIVEN.length]}`,
      dob: `${year}-0${1 + (k % 9)}-1${k % 10}`,
      sex: female ? 'F' : 'M',
      phone: k % 4 === 0 ? `09${String(k).padStart(8, '0')}` : null,
      email: k % 5 === 0 ? `p${k}@example.vn` : null,
      doses: Array.from({ length: count }, (_, j) => ({
        product,
        date: `2021-${String(6 + j * 2).padStart(2, '0')}-15`,
        doseNumber: j + 1,
      })),
    })
  }
  return out
}
