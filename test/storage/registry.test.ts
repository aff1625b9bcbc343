import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendAudit } from '../../src/storage/audit/append-audit.js'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { migrateToLatest } from '../../src/storage/migrations/migrate-to-latest.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import { recordSiteDailyReport } from '../../src/storage/registry/record-site-daily-report.js'
import { ADAPTERS, openTestStorage, type TestStorage } from './open-test-storage.js'
import {
  BAD_DOSES,
  DOSE_HEADER,
  GOOD_DOSES,
  buildDoseFile,
  buildRegisterFile,
  NOW,
  now,
} from './registry-fixtures.js'

function rejectsOf(path: string): Array<{ reason: string; row: number }> {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '')
  expect(lines[0]).toBe(`reason,row,${DOSE_HEADER}`)
  return lines.slice(1).map((l) => {
    const [reason, row] = l.split(',')
    return { reason: reason as string, row: Number(row) }
  })
}

async function count(t: TestStorage, table: 'dose_records' | 'register_people' | 'audit_log') {
  const r = await t.storage.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe.each(ADAPTERS)('registry storage on %s', (kind) => {
  let t: TestStorage
  beforeAll(async () => {
    t = await openTestStorage(kind)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('migrates once, seeds the 63 provinces and the pilot hospitals', async () => {
    expect(await migrateToLatest(t.storage)).toEqual([])
    const provinces = await t.storage.db.selectFrom('provinces').select('code').execute()
    expect(provinces).toHaveLength(63)
    const pilots = await t.storage.db
      .selectFrom('vaccination_sites')
      .select(['code', 'name'])
      .where('code', 'in', ['001-BVBM', '001-BVE', '001-BVK'])
      .orderBy('code')
      .execute()
    expect(pilots.map((p) => p.name)).toEqual([
      'Bệnh viện Bạch Mai',
      'Bệnh viện E',
      'Bệnh viện K',
    ])
  })

  it('keeps the audit log append-only in the database itself', async () => {
    await appendAudit(t.storage.db, {
      actor: 'test',
      action: 'test.append',
      entity: 'test',
      entityId: 1,
      before: { a: 1 },
      after: { a: 2 },
      at: now(),
    })
    const row = await t.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'test.append')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.after_json ?? 'null')).toEqual({ a: 2 })
    await expect(
      t.storage.db.updateTable('audit_log').set({ actor: 'mallory' }).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(t.storage.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
    expect(await count(t, 'audit_log')).toBe(1)
  })

  it('imports the register, rejecting a malformed ID, and adds nothing the second time', async () => {
    const path = join(t.dir, 'register.csv')
    writeFileSync(path, buildRegisterFile())
    const first = await importRegister(t.storage, path, { now, rejectsPath: join(t.dir, 'rr.csv') })
    expect(first).toMatchObject({ read: 9, inserted: 8, duplicate: 0, rejected: 1 })
    expect(readFileSync(join(t.dir, 'rr.csv'), 'utf8')).toContain('cccd_malformed,9,12345')
    const second = await importRegister(t.storage, path, { now })
    expect(second).toMatchObject({ read: 9, inserted: 0, duplicate: 8, rejected: 1 })
    const an = await t.storage.db
      .selectFrom('register_people')
      .selectAll()
      .where('cccd', '=', '001085000001')
      .executeTakeFirstOrThrow()
    expect(an).toMatchObject({ full_name: 'Nguyễn Văn An', name_key: 'nguyen van an', sex: 'M' })
    // A newer snapshot correcting one entry updates it, and only it.
    const newer = join(t.dir, 'register-2.csv')
    writeFileSync(
      newer,
      readFileSync(path, 'utf8').replace('001070000008,Đỗ Văn Giang,1970,', '001070000008,Đỗ Văn Giang,1970-04-04,'),
    )
    const third = await importRegister(t.storage, newer, { now })
    expect(third).toMatchObject({ read: 9, inserted: 1, duplicate: 7, rejected: 1 })
    const giang = await t.storage.db
      .selectFrom('register_people')
      .select('dob')
      .where('cccd', '=', '001070000008')
      .executeTakeFirstOrThrow()
    expect(giang.dob).toBe('1970-04-04')
    // Back to the first snapshot, so later tests see the partial birth date.
    expect(await importRegister(t.storage, path, { now })).toMatchObject({ inserted: 1 })
  })

  it('imports doses: every bad row rejected with its reason, nothing aborted, SQL inert', async () => {
    const file = buildDoseFile()
    const path = join(t.dir, 'doses.csv')
    writeFileSync(path, file.bytes)
    const rejects = join(t.dir, 'rejects.csv')
    const r = await importDoses(t.storage, path, { now, rejectsPath: rejects, enteredBy: 'u:1' })
    expect({ read: r.read, inserted: r.inserted, duplicate: r.duplicate, rejected: r.rejected }).toEqual({
      read: file.good + file.bad + file.duplicates,
      inserted: file.good,
      duplicate: file.duplicates,
      rejected: file.bad,
    })
    const got = rejectsOf(rejects)
    const expected = BAD_DOSES.map(([, reason], i) => ({ reason, row: GOOD_DOSES.length + 1 + i }))
    expected.push({ reason: 'duplicate', row: GOOD_DOSES.length + BAD_DOSES.length + 1 })
    expect(got).toEqual(expected)
    expect(await count(t, 'dose_records')).toBe(file.good)
    const bobby = await t.storage.db
      .selectFrom('dose_records')
      .select(['full_name', 'lot', 'entered_by', 'source', 'import_job_id'])
      .where('cccd', '=', '001085999998')
      .executeTakeFirstOrThrow()
    expect(bobby).toEqual({
      full_name: "Robert'); DROP TABLE dose_records;--",
      lot: '1; DELETE FROM audit_log',
      entered_by: 'u:1',
      source: 'import',
      import_job_id: r.jobId,
    })
    // One audit entry per committed batch, naming the job.
    const audits = await t.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'doses.import.batch')
      .execute()
    expect(audits.map((a) => a.entity_id)).toEqual([String(r.jobId)])
  })

  it('imports the same file twice and adds nothing', async () => {
    const path = join(t.dir, 'doses.csv')
    const before = await count(t, 'dose_records')
    const r = await importDoses(t.storage, path, { now, batchSize: 3 })
    expect(r.inserted).toBe(0)
    expect(r.duplicate).toBe(GOOD_DOSES.length + 1)
    expect(r.rejected).toBe(BAD_DOSES.length)
    expect(await count(t, 'dose_records')).toBe(before)
  })

  it('links every record to one register entry or gives the exact reason', async () => {
    const summary = await linkDoseRecords(t.storage, { now, batchSize: 4 })
    expect(summary.processed).toBe(GOOD_DOSES.length)
    const rows = await t.storage.db
      .selectFrom('dose_records')
      .select(['source_row', 'link_status', 'linked_cccd', 'link_diff', 'link_reason'])
      .orderBy('source_row')
      .execute()
    expect(rows.map((r) => r.link_status)).toEqual(GOOD_DOSES.map(([, s]) => s))
    const first = rows[0]
    expect(first?.linked_cccd).toBe('001085000001')
    // Linked, and the diacritics difference still reported.
    expect(JSON.parse(first?.link_diff ?? '{}').differences[0]).toMatchObject({
      field: 'full_name',
      kind: 'diacritics',
    })
    const dob = rows.find((r) => r.link_status === 'dob_differs')
    expect(dob?.linked_cccd).toBeNull()
    expect(JSON.parse(dob?.link_diff ?? '{}')).toMatchObject({
      candidate: '001095000004',
      differences: [{ field: 'dob', recorded: '1995-07-08', registered: '1995-07-07' }],
    })
    // Nothing pending: a second run has nothing to do.
    expect((await linkDoseRecords(t.storage, { now })).processed).toBe(0)
    expect((await linkDoseRecords(t.storage, { now, retryUnlinked: true })).processed).toBe(
      GOOD_DOSES.filter(([, s]) => s !== 'linked').length,
    )
  })

  it('refuses a wrong header, an oversized file, and reads a stream', async () => {
    const bad = join(t.dir, 'bad-header.csv')
    writeFileSync(bad, 'cccd,name,dob\n1,2,3\n')
    await expect(importDoses(t.storage, bad, { now })).rejects.toMatchObject({
      code: 'ERR_IMPORT_HEADER',
    })
    const empty = join(t.dir, 'empty.csv')
    writeFileSync(empty, '')
    await expect(importDoses(t.storage, empty, { now })).rejects.toMatchObject({
      code: 'ERR_IMPORT_HEADER',
    })
    const path = join(t.dir, 'doses.csv')
    await expect(importDoses(t.storage, path, { now, maxFileBytes: 100 })).rejects.toMatchObject({
      code: 'ERR_IMPORT_FILE_TOO_LARGE',
    })
    await expect(
      importDoses(t.storage, Readable.from([readFileSync(path)]), { now, maxFileBytes: 100 }),
    ).rejects.toMatchObject({ code: 'ERR_IMPORT_FILE_TOO_LARGE' })
    const r = await importDoses(t.storage, Readable.from([readFileSync(path)]), { now })
    expect(r.inserted).toBe(0)
    expect(r.read).toBe(GOOD_DOSES.length + BAD_DOSES.length + 1)
  })

  it('rolls a failed batch back whole, then resumes from the last committed batch', async () => {
    const rows: string[] = []
    for (let i = 0; i < 10; i++) {
      const id = `0010860${String(i).padStart(5, '0')}`
      rows.push(`${id},Nguyễn Văn Số ${i},1986-01-01,M,EU/1/21/1529,${i === 7 ? 'BOOM' : 'L' + i},2021-10-01,1,001-BVBM`)
    }
    const path = join(t.dir, 'resume.csv')
    writeFileSync(path, [DOSE_HEADER, ...rows, ''].join('\n'))
    const rejects = join(t.dir, 'resume-rejects.csv')
    // A database failure on one row: the trigger stands for a crash in the middle of a batch.
    if (kind === 'sqlite') {
      await sql`CREATE TRIGGER boom BEFORE INSERT ON dose_records WHEN NEW.lot = 'BOOM'
        BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(t.storage.db)
    } else {
      await sql`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.lot = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`.execute(t.storage.db)
      await sql`CREATE TRIGGER boom BEFORE INSERT ON dose_records FOR EACH ROW EXECUTE FUNCTION boom()`.execute(t.storage.db)
    }
    const before = await count(t, 'dose_records')
    await expect(
      importDoses(t.storage, path, { now, batchSize: 3, rejectsPath: rejects }),
    ).rejects.toMatchObject({ code: 'ERR_IMPORT_BATCH' })
    // Batches 1-2 (rows 1-6) committed; batch 3 (rows 7-9) left no trace.
    expect((await count(t, 'dose_records')) - before).toBe(6)
    const job = await t.storage.db
      .selectFrom('import_jobs')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(job).toMatchObject({ status: 'running', committed_row: 6, inserted: 6 })
    await sql`DROP TRIGGER boom ${sql.raw(kind === 'postgres' ? 'ON dose_records' : '')}`.execute(t.storage.db)
    const resumed = await importDoses(t.storage, path, { now, batchSize: 3, rejectsPath: rejects })
    expect(resumed).toMatchObject({
      jobId: Number(job.id),
      resumedFromRow: 6,
      read: 10,
      inserted: 10,
      duplicate: 0,
      rejected: 0,
    })
    expect((await count(t, 'dose_records')) - before).toBe(10)
    expect(readFileSync(rejects, 'utf8')).toBe(`reason,row,${DOSE_HEADER}\n`)
  })

  it('links rows during the import when asked, with the same outcomes as the link pass', async () => {
    await t.storage.db.deleteFrom('dose_records').execute()
    const r = await importDoses(t.storage, join(t.dir, 'doses.csv'), { now, link: true })
    expect(r.inserted).toBe(GOOD_DOSES.length)
    const rows = await t.storage.db
      .selectFrom('dose_records')
      .select(['link_status', 'linked_cccd', 'linked_at'])
      .orderBy('source_row')
      .execute()
    expect(rows.map((x) => x.link_status)).toEqual(GOOD_DOSES.map(([, s]) => s))
    expect(rows[0]).toEqual({
      link_status: 'linked',
      linked_cccd: '001085000001',
      linked_at: NOW.toISOString(),
    })
    expect((await linkDoseRecords(t.storage, { now })).processed).toBe(0)
  })

  it('records site daily reports with an audited correction', async () => {
    const by = { actor: 'u:site', now: NOW }
    const report = { siteCode: '001-BVBM', date: '2021-08-01', dosesAdministered: 120 }
    await recordSiteDailyReport(t.storage, report, by)
    await recordSiteDailyReport(t.storage, { ...report, dosesAdministered: 125 }, by)
    const rows = await t.storage.db.selectFrom('site_daily_reports').selectAll().execute()
    expect(rows).toEqual([
      expect.objectContaining({ site_code: '001-BVBM', doses_administered: 125, reported_by: 'u:site' }),
    ])
    const audit = await t.storage.db
      .selectFrom('audit_log')
      .select(['action', 'before_json', 'after_json'])
      .where('entity', '=', 'site_daily_report')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['site_report.create', 'site_report.update'])
    expect(JSON.parse(audit[1]?.before_json ?? '{}')).toEqual({ dosesAdministered: 120 })
    await expect(
      recordSiteDailyReport(t.storage, { ...report, siteCode: "x'; DROP TABLE provinces;--" }, by),
    ).rejects.toMatchObject({ code: 'ERR_REGISTRY_UNKNOWN_SITE' })
  })
})
