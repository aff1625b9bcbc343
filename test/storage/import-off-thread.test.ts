import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { openTestStorage, type TestStorage } from './open-test-storage.js'
import {
  BAD_DOSES,
  DOSE_HEADER,
  GOOD_DOSES,
  REGISTER_HEADER,
  REGISTER_ROWS,
  now,
} from './registry-fixtures.js'

// The off-thread import (a worker reads, checks and links; this thread inserts) must store, count
// and reject exactly what the in-thread import does, batch boundaries and resumes included.

const P = ['EU/1/20/1528', 'EU/1/20/1507']
const PEOPLE = [
  ['001085000001', 'Nguyễn Văn An', '1985-03-02', 'M'],
  ['001190000002', 'Trần Thị Bình', '1990-05-06', 'F'],
  ['001095000004', 'Phạm Minh Đức', '1995-07-07', 'M'],
  ['', 'Hoàng Văn Em', '1980-01-01', 'M'],
  ['', 'Vũ Thị Hoa', '1988-02-02', 'F'],
  ['001085999999', 'Không Có', '1985-01-01', 'M'],
] as const
const DATES = ['2021-08-01', '2021-09-01', '2021-10-01', '2021-11-01']
const ENTERED_BY = "site:o'Brien Đặng\u0000x"

const doseRow = fc
  .record({
    person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
    dose: fc.integer({ min: 1, max: 3 }),
    date: fc.integer({ min: 0, max: DATES.length - 1 }),
    product: fc.integer({ min: 0, max: P.length - 1 }),
    upper: fc.boolean(),
  })
  .map(({ person, dose, date, product, upper }) => {
    const [cccd, name, dob, sex] = PEOPLE[person] as readonly [string, string, string, string]
    return `${cccd},${upper ? name.toUpperCase() : name},${dob},${sex},${P[product]},L${dose},${DATES[date]},${dose},001-BVBM`
  })
const anyLine = fc.oneof(
  { weight: 6, arbitrary: doseRow },
  { weight: 1, arbitrary: fc.constantFrom(...GOOD_DOSES.map(([l]) => l)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...BAD_DOSES.map(([l]) => l).filter((l) => typeof l === 'string')),
  },
)

interface Outcome {
  summary: unknown
  rejects: string
  rows: unknown[]
}

async function importWith(
  t: TestStorage,
  name: string,
  path: string,
  offThread: boolean,
  batchSize: number,
  link: boolean,
): Promise<Outcome> {
  const rejects = join(t.dir, `${name}-rejects.csv`)
  const r = await importDoses(t.storage, path, {
    now,
    batchSize,
    offThread,
    link,
    rejectsPath: rejects,
    // Quotes, non-ASCII and NUL: the off-thread loader writes the provenance into its statement.
    enteredBy: ENTERED_BY,
  })
  const rows = await t.storage.db
    .selectFrom('dose_records')
    .select([
      'person_key',
      'cccd',
      'full_name',
      'dob',
      'sex',
      'product',
      'lot',
      'date',
      'dose_number',
      'site_code',
      'source_row',
      'import_job_id',
      'linked_cccd',
      'link_status',
      'link_reason',
      'link_diff',
      'linked_at',
      'entered_by',
      'entered_at',
      'source',
    ])
    .orderBy('id')
    .execute()
  const { jobId: _, ...summary } = r
  return { summary, rejects: readFileSync(rejects, 'utf8'), rows }
}

describe('dose import off the main thread (SQLite)', () => {
  let a: TestStorage
  let b: TestStorage
  let n = 0
  beforeAll(async () => {
    a = await openTestStorage('sqlite')
    b = await openTestStorage('sqlite')
    const register = join(a.dir, 'register.csv')
    writeFileSync(register, [REGISTER_HEADER, ...REGISTER_ROWS, ''].join('\n'))
    for (const t of [a, b]) await importRegister(t.storage, register, { now })
  })
  afterAll(async () => {
    await a?.dispose()
    await b?.dispose()
  })

  const reset = async () => {
    for (const t of [a, b]) {
      await t.storage.db.deleteFrom('dose_records').execute()
      await t.storage.db.deleteFrom('import_jobs').where('kind', '=', 'doses').execute()
    }
  }

  it('stores, counts and rejects exactly what the in-thread import does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyLine, { minLength: 0, maxLength: 40 }),
        fc.array(doseRow, { maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        async (lines, stored, batchSize, link) => {
          await reset()
          n++
          // Doses stored before, by an earlier import: duplicates and order checks see them.
          const before = join(a.dir, `before-${n}.csv`)
          writeFileSync(before, [DOSE_HEADER, ...stored, ''].join('\n'))
          const path = join(a.dir, `doses-${n}.csv`)
          writeFileSync(path, [DOSE_HEADER, ...lines, ''].join('\n'))
          await importDoses(a.storage, before, { now, offThread: false })
          await importDoses(b.storage, before, { now, offThread: false })
          const inThread = await importWith(a, `a${n}`, path, false, batchSize, link)
          const offThread = await importWith(b, `b${n}`, path, true, batchSize, link)
          expect(offThread).toEqual(inThread)
        },
      ),
      // Each case starts a worker (loading its modules through tsx costs ~1 s of CPU): few
      // cases, and room for a busy machine running the whole suite.
      { numRuns: 8 },
    )
  }, 400_000)

  it('writes a row stored meanwhile by another writer to the rejects file as a duplicate', async () => {
    // A trigger stands for another writer: it stores row 3's dose just before our insert does.
    const lines = [1, 2, 3, 4].map(
      (i) => `00108500010${i},"Nguyễn, Văn ${i}",1985-03-02,M,${P[0]},L${i},2021-08-01,1,001-BVBM`,
    )
    const path = join(a.dir, 'raced.csv')
    writeFileSync(path, [DOSE_HEADER, ...lines, ''].join('\n'))
    const outcomes: Outcome[] = []
    for (const [t, off] of [[a, false], [b, true]] as const) {
      await reset()
      await sql`CREATE TRIGGER other_writer BEFORE INSERT ON dose_records
        WHEN NEW.source_row = 3 AND NEW.source = 'import'
        BEGIN
          INSERT INTO dose_records (person_key, cccd, full_name, dob, sex, product, lot, date,
            dose_number, site_code, entered_by, entered_at, source)
          VALUES (NEW.person_key, NEW.cccd, NEW.full_name, NEW.dob, NEW.sex, NEW.product, NEW.lot,
            NEW.date, NEW.dose_number, NEW.site_code, 'other', NEW.entered_at, 'other');
        END`.execute(t.storage.db)
      try {
        outcomes.push(await importWith(t, `raced-${off}`, path, off, 2, false))
      } finally {
        await sql`DROP TRIGGER other_writer`.execute(t.storage.db)
      }
    }
    const [inThread, offThread] = outcomes as [Outcome, Outcome]
    expect(offThread).toEqual(inThread)
    expect(offThread.summary).toMatchObject({ read: 4, inserted: 3, duplicate: 1, rejected: 0 })
    // The original fields, quoted again where they need it.
    expect(offThread.rejects).toBe(`reason,row,${DOSE_HEADER}\nduplicate,3,${lines[2]}\n`)
  })

  it('rolls a failed batch back whole, then resumes from the last committed batch', async () => {
    await reset()
    const lines = Array.from(
      { length: 10 },
      (_, i) =>
        `0010860${String(i).padStart(5, '0')},Nguyễn Văn Số ${i},1986-01-01,M,EU/1/21/1529,${i === 7 ? 'BOOM' : 'L' + i},2021-10-01,1,001-BVBM`,
    )
    const path = join(b.dir, 'resume-off.csv')
    writeFileSync(path, [DOSE_HEADER, ...lines, ''].join('\n'))
    const rejects = join(b.dir, 'resume-off-rejects.csv')
    await sql`CREATE TRIGGER boom BEFORE INSERT ON dose_records WHEN NEW.lot = 'BOOM'
      BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(b.storage.db)
    const opts = { now, batchSize: 3, rejectsPath: rejects, offThread: true, link: true }
    await expect(importDoses(b.storage, path, opts)).rejects.toMatchObject({
      code: 'ERR_IMPORT_BATCH',
    })
    const job = await b.storage.db
      .selectFrom('import_jobs')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(job).toMatchObject({ status: 'running', committed_row: 6, inserted: 6 })
    await sql`DROP TRIGGER boom`.execute(b.storage.db)
    const resumed = await importDoses(b.storage, path, opts)
    expect(resumed).toMatchObject({
      jobId: Number(job.id),
      resumedFromRow: 6,
      read: 10,
      inserted: 10,
      duplicate: 0,
      rejected: 0,
    })
    const rows = await b.storage.db.selectFrom('dose_records').select('source_row').execute()
    expect(rows.map((r) => Number(r.source_row)).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    )
    expect(readFileSync(rejects, 'utf8')).toBe(`reason,row,${DOSE_HEADER}\n`)
  })

  it('refuses a wrong header and an empty file with the same errors', async () => {
    const bad = join(a.dir, 'bad-header-off.csv')
    writeFileSync(bad, 'cccd,name,dob\n1,2,3\n')
    await expect(importDoses(b.storage, bad, { now, offThread: true })).rejects.toMatchObject({
      code: 'ERR_IMPORT_HEADER',
    })
    const empty = join(a.dir, 'empty-off.csv')
    writeFileSync(empty, '')
    await expect(importDoses(b.storage, empty, { now, offThread: true })).rejects.toMatchObject({
      code: 'ERR_IMPORT_HEADER',
    })
  })
})
