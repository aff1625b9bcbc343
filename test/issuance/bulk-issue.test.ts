import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeHc1 } from '../../src/core/hc1/hc1.js'
import { verify } from '../../src/core/verify/verify.js'
import { issueAll, type IssueProgress } from '../../src/issue/issue-all.js'
import { countCertificatesByStatus, getActiveCertificate } from '../../src/storage/certificates/certificate-store.js'
import type { Storage } from '../../src/storage/storage.js'
import { BACKENDS, dropTestStorage, makePeople, openTestStorage, seedPeople } from './support/issuance-fixtures.js'
import { makeTestKeys } from './support/test-keys.js'

const now = new Date('2022-03-01T00:00:00Z')
const config = { issuer: 'Ministry of Health of Viet Nam', country: 'VN' }
const N = 400

describe.each(BACKENDS)('issueAll on %s', (backend) => {
  let storage: Storage
  let keys: Awaited<ReturnType<typeof makeTestKeys>>
  const people = makePeople(N)

  beforeAll(async () => {
    ;({ storage } = await openTestStorage(backend, 'bulk'))
    keys = await makeTestKeys(now)
    await seedPeople(storage, people)
    // An inconsistent record: a product the issuer does not certify.
    await seedPeople(storage, [
      {
        cccd: '001199888888',
        fullName: 'Mai Thị Lỗi',
        dob: '1999-01-01',
        sex: 'F',
        doses: [{ product: 'NVX-CoV2373', date: '2021-09-01', doseNumber: 1 }],
      },
    ])
  })
  afterAll(async () => {
    if (storage) await dropTestStorage(storage)
  })

  it('issues everyone eligible in batches with progress, counts failures by code', async () => {
    const progress: IssueProgress[] = []
    // The run reads SQLite through a memory map, and leaves the connection as it found it.
    const mmapSize = () => (storage.driver.kind === 'sqlite' ? storage.driver.sqlite.pragma('mmap_size', { simple: true }) : null)
    const mmapBefore = mmapSize()
    const summary = await issueAll(storage, {
      key: keys.active,
      config,
      actor: 'system:test',
      workers: 2,
      batchRows: 150,
      clock: () => now,
      onProgress: (p) => progress.push(p),
    })
    expect(summary).toMatchObject({ issued: N, unchanged: 0, failed: 1, done: true, resumed: false })
    expect(summary.failuresByCode).toEqual({ ERR_ISSUE_INVALID_DOSE: 1 })
    expect(mmapSize()).toBe(mmapBefore)
    expect(progress.at(-1)).toMatchObject({ processed: N + 1, total: N + 1 })
    expect(await countCertificatesByStatus(storage)).toMatchObject({ active: N, total: N })
    const sample = (await getActiveCertificate(storage, people[7]!.cccd))!
    const report = await verify(sample.hc1, { trust: await keys.trust(), now })
    expect(report.valid).toBe(true)
    const dcc = (await decodeHc1(sample.hc1)).claims.dcc as { v: Array<{ ci: string }> }
    expect(dcc.v[0]!.ci).toBe(sample.uvci)
    // A batch's UVCIs sort in the order its certificates are stored (person order): the first
    // batch holds 75 people, so its first 50 certificates at least.
    const firstUvcis = (
      await storage.db.selectFrom('certificates').select('uvci').orderBy('person_cccd').limit(50).execute()
    ).map((r) => r.uvci)
    expect(firstUvcis).toEqual([...firstUvcis].sort())
    expect(new Set(firstUvcis).size).toBe(50)
    // One audit entry per committed batch, not per certificate.
    const audits = await storage.db.selectFrom('audit_log').select('action').where('action', '=', 'certificates.issue.batch').execute()
    expect(audits.length).toBeGreaterThan(1)
    expect(audits.length).toBeLessThan(N / 10)
  })

  it('a second run changes nothing; a new dose supersedes only that person', async () => {
    const again = await issueAll(storage, { key: keys.active, config, actor: 'system:test', workers: 1, clock: () => now })
    expect(again).toMatchObject({ issued: 0, unchanged: N, failed: 1 })
    const p = people[3]!
    const old = (await getActiveCertificate(storage, p.cccd))!
    await storage.db
      .insertInto('dose_records')
      .values({
        person_key: p.cccd,
        cccd: p.cccd,
        full_name: p.fullName,
        dob: p.dob,
        sex: p.sex,
        product: 'EU/1/20/1528',
        lot: 'BOOSTER-X',
        date: '2022-02-01',
        dose_number: p.doses.length + 1,
        site_code: 'BM',
        entered_by: 'test',
        entered_at: now.toISOString(),
        source: 'manual',
        import_job_id: null,
        source_row: null,
        linked_cccd: p.cccd,
        link_status: 'linked',
        link_reason: null,
        link_diff: null,
        linked_at: now.toISOString(),
      })
      .execute()
    const third = await issueAll(storage, { key: keys.active, config, actor: 'system:test', workers: 2, clock: () => now })
    expect(third).toMatchObject({ issued: 1, superseded: 1, unchanged: N - 1 })
    const fresh = (await getActiveCertificate(storage, p.cccd))!
    expect(fresh.uvci).not.toBe(old.uvci)
    expect(await countCertificatesByStatus(storage)).toMatchObject({ active: N, superseded: 1 })
  })
})
