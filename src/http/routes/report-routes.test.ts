import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { makeTestDsc } from '../../../test/conformance/support/make-test-dsc.js'
import { BACKENDS, openTestStorage, staffSession } from '../../../test/http/helpers.js'
import { issueCertificate } from '../../storage/certificates/certificate-store.js'
import { importDoses } from '../../storage/import/import-doses.js'
import { importRegister } from '../../storage/import/import-register.js'
import { saveSiteReports } from '../../storage/reconciliation/save-site-reports.js'
import { linkDoseRecords } from '../../storage/registry/link-dose-records.js'
import type { Storage } from '../../storage/storage.js'
import { buildApp } from '../build-app.js'

const NOW = new Date('2026-03-01T09:00:00Z')

describe.each(BACKENDS)('GET /api/staff/reports on %s', (backend) => {
  let storage: Storage
  let drop: () => Promise<void>
  let app: FastifyInstance
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    ;({ storage, drop } = await openTestStorage(backend, 'reports'))
    await importRegister(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,province_code,phone,email\n' +
          '001090001234,Nguyễn Văn An,1990-05-17,M,001,+84912345678,\n' +
          '079185004321,Trần Thị Bích Ngọc,1985-11-02,F,079,,\n' +
          '001095007777,Lê Văn Cường,1995-03-03,M,001,,\n',
      ]),
      { now: () => NOW },
    )
    await importDoses(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n' +
          '001090001234,Nguyễn Văn An,1990-05-17,M,EU/1/20/1528,L1,2021-08-01,1,001-BVBM\n' +
          '001090001234,Nguyễn Văn An,1990-05-17,M,EU/1/20/1528,L2,2021-09-01,2,001-BVBM\n' +
          // The register has another birth date: a mismatch by reason.
          '079185004321,Trần Thị Bích Ngọc,1985-11-03,F,EU/1/20/1528,L3,2021-09-02,1,001-BVBM\n',
      ]),
      { now: () => NOW },
    )
    await saveSiteReports(
      storage,
      [
        { siteCode: '001-BVBM', date: '2021-08-01', dosesAdministered: 2 },
        { siteCode: '001-BVBM', date: '2021-09-01', dosesAdministered: 3 },
      ],
      { reportedBy: 'test', now: NOW },
    )
    await linkDoseRecords(storage, { now: () => NOW })
    // Certificates on two days: one person issued on the 27th, then re-issued after a new dose
    // (superseding) on the 28th, and another person on the 28th.
    const { signer, dsc } = await makeTestDsc({ alg: 'ES256' })
    const key = { signer, kid: dsc.kidBase64 }
    const config = { issuer: 'Ministry of Health of Viet Nam', country: 'VN' }
    const issue = (cccd: string, at: string) =>
      issueCertificate(storage, cccd, {
        key,
        config,
        now: new Date(at),
        actor: 'test',
        notify: false,
      })
    await issue('001090001234', '2026-02-27T10:00:00Z')
    await importDoses(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n' +
          '001090001234,Nguyễn Văn An,1990-05-17,M,EU/1/20/1528,L4,2022-01-10,3,001-BVBM\n' +
          '001095007777,Lê Văn Cường,1995-03-03,M,EU/1/20/1507,L5,2021-12-01,1,001-BVBM\n',
      ]),
      { now: () => NOW },
    )
    await linkDoseRecords(storage, { now: () => NOW })
    await issue('001090001234', '2026-02-28T00:00:00Z')
    await issue('001095007777', '2026-02-28T23:59:59Z')
    app = await buildApp({ db: storage.db as unknown as Kysely<any>, now: () => NOW })
    for (const role of ['admin', 'reviewer', 'site_staff'] as const) {
      tokens[role] = await staffSession(
        storage.db as unknown as Kysely<any>,
        `r-${role}`,
        role,
        NOW,
        role === 'site_staff' ? '001-BVBM' : null,
      )
    }
  })
  afterAll(async () => {
    await app?.close()
    await drop?.()
  })

  it('answers admins and reviewers with provinces, mismatches and certificates per day', async () => {
    for (const role of ['admin', 'reviewer']) {
      const res = await app.inject({
        url: '/api/staff/reports',
        headers: { authorization: `Bearer ${tokens[role]}` },
      })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.provinces).toEqual([
        { code: '001', name: 'Hà Nội', administered: 5, entered: 5, linked: 4, certifiable: 4 },
      ])
      expect(body.mismatches).toContainEqual({ reason: 'dob_differs', count: 1 })
      expect(body.mismatches.map((m: { reason: string }) => m.reason).sort()).toEqual([
        'ambiguous',
        'dob_differs',
        'id_malformed',
        'name_differs',
        'not_found',
        'sex_differs',
      ])
      expect(body.certificatesPerDay).toEqual([
        { day: '2026-02-27', count: 1 },
        { day: '2026-02-28', count: 2 },
      ])
    }
  })

  it('refuses site staff and anonymous callers', async () => {
    const staff = await app.inject({
      url: '/api/staff/reports',
      headers: { authorization: `Bearer ${tokens.site_staff}` },
    })
    expect(staff.statusCode).toBe(403)
    expect(staff.json().error.code).toBe('ERR_FORBIDDEN')
    const anonymous = await app.inject({ url: '/api/staff/reports' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().error.code).toBe('ERR_AUTH_REQUIRED')
  })

  it('lists the vaccination sites for pickers, publicly', async () => {
    const res = await app.inject({ url: '/api/public/sites' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toContainEqual({
      code: '001-BVBM',
      name: 'Bệnh viện Bạch Mai',
      provinceCode: '001',
      provinceName: 'Hà Nội',
    })
  })

  it('is listed with its roles in the route table', () => {
    expect(app.routeTable).toContainEqual({
      method: 'GET',
      url: '/api/staff/reports',
      roles: ['admin', 'reviewer'],
      audience: 'staff',
    })
  })
})
