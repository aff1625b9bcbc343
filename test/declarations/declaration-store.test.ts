import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor, DeclarationInput } from '../../src/domain/declarations/declaration-types.js'
import {
  approveDeclaration,
  fileDeclaration,
  listReviewQueue,
  loadDeclarationReview,
  rejectDeclaration,
} from '../../src/storage/declarations/declaration-store.js'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import { ADAPTERS, openTestStorage, type TestStorage } from '../storage/open-test-storage.js'

const now = new Date('2022-03-15T08:00:00Z')
const AN = '001085012345'
const REGISTER = `cccd,full_name,dob,sex,province_code,phone,email
${AN},Nguyễn Văn An,1985-03-02,M,001,0912345678,
079190000001,Trần Thị Bình,1990-05-06,F,079,,
`
const DOSES = `cccd,full_name,dob,sex,product,lot,date,dose_number,site_code
${AN},NGUYEN VAN AN,1985-03-02,M,EU/1/21/1529,AZ0001,2021-07-01,1,001-BVBM
,Nguyễn Văn An,1985-03-02,M,EU/1/21/1529,AZ0009,2021-09-03,2,001-BVBM
`
const declaration: DeclarationInput = {
  cccd: AN,
  fullName: 'Nguyễn Văn An',
  dob: '1985-03-02',
  sex: 'M',
  phone: '0912345678',
  email: null,
  doses: [
    {
      product: 'EU/1/21/1529',
      lot: 'AZ0001',
      date: '2021-07-01',
      doseNumber: 1,
      siteCode: '001-BVBM',
    },
    {
      product: 'EU/1/21/1529',
      lot: 'AZ0002',
      date: '2021-09-01',
      doseNumber: 2,
      siteCode: '001-BVBM',
    },
    {
      product: 'EU/1/20/1528',
      lot: 'FK0003',
      date: '2022-01-10',
      doseNumber: 3,
      siteCode: '001-BVE',
    },
  ],
  evidence: { mediaType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
}
const citizen: Actor = { userId: 'person:an', roles: [] }
const reviewer: Actor = { userId: 'user:rev', roles: ['reviewer'] }
const staff: Actor = { userId: 'user:staff', roles: ['site_staff'] }

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (err) {
    return (err as { code?: string }).code ?? 'none'
  }
}

describe.each(ADAPTERS)('declarations and review on %s', (kind) => {
  let t: TestStorage
  beforeAll(async () => {
    t = await openTestStorage(kind)
    await importRegister(t.storage, Readable.from([REGISTER]), { now: () => now })
    await importDoses(t.storage, Readable.from([DOSES]), { now: () => now })
    await linkDoseRecords(t.storage, { now: () => now })
  })
  afterAll(async () => t.dispose())

  it('refuses an invalid declaration with every problem', async () => {
    const err = await fileDeclaration(
      t.storage,
      { ...declaration, dob: '2030-01-01', doses: [{ ...declaration.doses[0]!, product: 'X' }] },
      citizen,
      { now },
    ).catch((e: unknown) => e as { code: string; details: { problems: unknown[] } })
    expect(err).toMatchObject({ code: 'ERR_DECLARATION_INVALID' })
    expect((err as { details: { problems: unknown[] } }).details.problems).toEqual([
      { field: 'dob', code: 'future' },
      { field: 'doses[0].product', code: 'unknown_product' },
    ])
    expect(
      await codeOf(
        fileDeclaration(
          t.storage,
          { ...declaration, doses: [{ ...declaration.doses[0]!, siteCode: 'NOPE' }] },
          citizen,
          { now },
        ),
      ),
    ).toBe('ERR_DECLARATION_INVALID')
  })

  it('files, queues, compares, and approves with corrections and audit', async () => {
    const { id, identity } = await fileDeclaration(t.storage, declaration, citizen, { now })
    expect(identity.status).toBe('linked')
    const queue = await listReviewQueue(t.storage)
    expect(queue).toContainEqual(
      expect.objectContaining({ id, linkStatus: 'linked', doses: 3, hasEvidence: true }),
    )

    const { declaration: stored, comparison } = await loadDeclarationReview(t.storage, id)
    expect(stored.evidence?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(comparison.doses.map((d) => d.status)).toEqual(['matches', 'differs', 'not_recorded'])
    expect(comparison.recordIdentity.map((r) => r.differences.map((d) => d.field))).toEqual([
      ['full_name'],
      ['cccd'],
    ])

    expect(await codeOf(approveDeclaration(t.storage, id, staff, { now }))).toBe(
      'ERR_REVIEW_FORBIDDEN',
    )
    expect(
      await codeOf(approveDeclaration(t.storage, id, { ...citizen, roles: ['reviewer'] }, { now })),
    ).toBe('ERR_REVIEW_OWN_DECLARATION')

    const { corrections } = await approveDeclaration(t.storage, id, reviewer, { now })
    expect(corrections.map((c) => c.kind)).toEqual(['update_dose', 'update_dose', 'insert_dose'])
    const records = await t.storage.db
      .selectFrom('dose_records')
      .select([
        'cccd',
        'full_name',
        'lot',
        'date',
        'dose_number',
        'linked_cccd',
        'link_status',
        'source',
        'site_code',
      ])
      .orderBy('dose_number')
      .execute()
    expect(
      records.map((r) => [
        r.dose_number,
        r.cccd,
        r.full_name,
        r.date,
        r.lot,
        r.linked_cccd,
        r.link_status,
      ]),
    ).toEqual([
      [1, AN, 'Nguyễn Văn An', '2021-07-01', 'AZ0001', AN, 'linked'],
      [2, AN, 'Nguyễn Văn An', '2021-09-01', 'AZ0002', AN, 'linked'],
      [3, AN, 'Nguyễn Văn An', '2022-01-10', 'FK0003', AN, 'linked'],
    ])
    expect(records[2]).toMatchObject({ source: 'declaration', site_code: '001-BVE' })

    const audit = await t.storage.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'before_json'])
      .execute()
    const actions = audit.filter((a) => a.actor === reviewer.userId).map((a) => a.action)
    expect(actions).toEqual(['dose.correct', 'dose.correct', 'dose.create', 'declaration.approve'])
    expect(audit.find((a) => a.action === 'dose.correct')?.before_json).toContain('NGUYEN VAN AN')
    expect(audit.some((a) => a.action === 'declaration.file' && a.actor === citizen.userId)).toBe(
      true,
    )

    expect((await listReviewQueue(t.storage)).some((q) => q.id === id)).toBe(false)
    expect(
      await codeOf(
        approveDeclaration(t.storage, id, { userId: 'user:other', roles: ['admin'] }, { now }),
      ),
    ).toBe('ERR_DECLARATION_STATE')
    const reviews = await t.storage.db.selectFrom('declaration_reviews').selectAll().execute()
    expect(reviews).toEqual([
      expect.objectContaining({ decision: 'approved', reviewer: reviewer.userId }),
    ])
  })

  it('refuses to approve an identity that does not link, changing nothing, and rejects with a reason', async () => {
    const { id, identity } = await fileDeclaration(
      t.storage,
      {
        ...declaration,
        cccd: '079190000001',
        fullName: 'Trần Thị Bình',
        sex: 'F',
        dob: '1990-05-07',
        evidence: null,
      },
      staff,
      { now },
    )
    expect(identity.status).toBe('dob_differs')
    const before = await t.storage.db.selectFrom('dose_records').selectAll().execute()
    expect(await codeOf(approveDeclaration(t.storage, id, reviewer, { now }))).toBe(
      'ERR_DECLARATION_NOT_LINKED',
    )
    expect(await t.storage.db.selectFrom('dose_records').selectAll().execute()).toEqual(before)
    expect((await listReviewQueue(t.storage)).map((q) => q.id)).toContain(id)

    expect(await codeOf(rejectDeclaration(t.storage, id, reviewer, '  ', { now }))).toBe(
      'ERR_REVIEW_REASON',
    )
    expect(await codeOf(rejectDeclaration(t.storage, id, staff, 'mine', { now }))).toBe(
      'ERR_REVIEW_FORBIDDEN',
    )
    await rejectDeclaration(t.storage, id, reviewer, 'birth date differs from the register', {
      now,
    })
    const { declaration: d } = await loadDeclarationReview(t.storage, id)
    expect(d.status).toBe('rejected')
    expect(await codeOf(loadDeclarationReview(t.storage, 999_999))).toBe(
      'ERR_DECLARATION_NOT_FOUND',
    )
    // A legacy CMND the register does not carry still links by name and birth date.
    const cmnd = await fileDeclaration(
      t.storage,
      {
        ...declaration,
        cccd: '123456789',
        fullName: 'Trần Thị Bình',
        sex: 'F',
        dob: '1990-05-06',
        evidence: null,
      },
      citizen,
      { now },
    )
    expect(cmnd.identity).toMatchObject({ status: 'linked', cccd: '079190000001' })
  })
})
