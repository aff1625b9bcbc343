import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { ROLES } from '../../src/domain/users/roles.js'
import { buildApp } from '../../src/http/build-app.js'
import { composeAppDeps } from '../../src/http/compose-app-deps.js'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { initKeystore } from '../../src/storage/keystore/keystore.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import type { Storage } from '../../src/storage/storage.js'
import { createOutboxTableAdapter } from '../../src/storage/users/outbox-table-adapter.js'
import { BACKENDS, openTestStorage, staffSession } from './helpers.js'

// The whole app wired to the real services: registry import and linkage, keystore, issuance,
// outbox table, QR and PDF renderers, the verifier and the revocation list.
const NOW = new Date('2026-03-01T09:00:00Z')
const PERSON = {
  cccd: '001090001234',
  fullName: 'Nguyễn Văn An',
  dob: '1990-05-17',
  sex: 'M' as const,
  phone: '+84912345678',
}

describe.each(BACKENDS)('composed app on %s', (backend) => {
  let drop: () => Promise<void>
  let storage: Storage
  let app: FastifyInstance
  let dir: string
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    const opened = await openTestStorage(backend, 'composed')
    drop = opened.drop
    storage = opened.storage
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-http-'))
    const passphrase = 'test passphrase 123'
    await initKeystore({ dir: join(dir, 'keys'), passphrase, now: new Date('2026-01-01T00:00:00Z') })
    await importRegister(
      storage,
      Readable.from([
        `cccd,full_name,dob,sex,province_code,phone,email\n${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,001,${PERSON.phone},\n`,
      ]),
      { now: () => NOW },
    )
    await importDoses(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n' +
          `${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,EU/1/20/1528,L1,2021-08-01,1,001-BVBM\n` +
          `${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,EU/1/20/1528,L2,2021-09-01,2,001-BVBM\n`,
      ]),
      { now: () => NOW },
    )
    await linkDoseRecords(storage, { now: () => NOW })
    const deps = await composeAppDeps(storage, {
      env: {},
      now: () => NOW,
      dataDir: dir,
      keys: { dir: join(dir, 'keys'), passphrase },
    })
    app = await buildApp({ ...deps, demoOutbox: createOutboxTableAdapter(storage.db as never) })
    for (const role of ROLES) tokens[role] = await staffSession(storage.db as unknown as Kysely<any>, `c-${role}`, role, NOW, role === 'site_staff' ? '001-BVBM' : null)
  })
  afterAll(async () => {
    await app?.close()
    await drop?.()
    rmSync(dir, { recursive: true, force: true })
  })

  it('issues, delivers, verifies and revokes a certificate end to end', async () => {
    const admin = { authorization: `Bearer ${tokens.admin}` }
    const issued = await app.inject({ method: 'POST', url: '/api/staff/certificates/issue', headers: admin, payload: { personId: PERSON.cccd } })
    expect(issued.statusCode).toBe(200)
    const cert = issued.json()
    expect(cert.uvci).toMatch(/^URN:UVCI:01:VN:/)
    expect(cert.hc1).toMatch(/^HC1:/)

    const verified = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1: cert.hc1 } })
    expect(verified.statusCode).toBe(200)
    expect(verified.json().valid).toBe(true)

    const trust = await app.inject({ url: '/api/public/trust-list' })
    const items = trust.json() as Array<Record<string, string>>
    expect(items.length).toBe(1)
    expect(Object.keys(items[0]!).sort()).toEqual(['certificateType', 'country', 'kid', 'rawData', 'signature', 'thumbprint', 'timestamp'])
    expect(items[0]!.signature).not.toBe('')

    // The citizen lookup sends a code through the outbox table.
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/citizen/lookup',
      payload: { fullName: PERSON.fullName, dateOfBirth: PERSON.dob, sex: 'M', idNumber: PERSON.cccd, lastDoseDate: '2021-09-01' },
    })
    expect(lookup.statusCode).toBe(202)
    const outbox = await app.inject({ url: '/api/staff/outbox', headers: admin })
    const otp = (outbox.json() as Array<{ template: string; body: string; to: string }>).find((m) => m.template === 'citizen.otp')!
    expect(otp.to).toBe(PERSON.phone)
    const code = /\b(\d{6})\b/.exec(otp.body)![1]
    const confirm = await app.inject({ method: 'POST', url: '/api/citizen/confirm', payload: { challengeId: lookup.json().challengeId, code } })
    expect(confirm.statusCode).toBe(200)
    const citizen = { authorization: `Bearer ${confirm.json().token}` }
    const mine = await app.inject({ url: '/api/citizen/certificate', headers: citizen })
    expect(mine.json().uvci).toBe(cert.uvci)
    const pdf = await app.inject({ url: `/api/citizen/certificates/${encodeURIComponent(cert.uvci)}/pdf`, headers: citizen })
    expect(pdf.statusCode).toBe(200)
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    const revoked = await app.inject({
      method: 'POST',
      url: `/api/staff/certificates/${encodeURIComponent(cert.uvci)}/revoke`,
      headers: admin,
      payload: { reason: 'issued in error' },
    })
    expect(revoked.statusCode).toBe(200)
    expect(revoked.json().status).toBe('revoked')
    const list = await app.inject({ url: '/api/public/revocation-list' })
    expect(JSON.stringify(list.json())).toContain('UCI')
    expect((list.json() as { batches: unknown[] }).batches.length).toBeGreaterThan(0)
    const again = await app.inject({
      method: 'POST',
      url: `/api/staff/certificates/${encodeURIComponent(cert.uvci)}/revoke`,
      headers: admin,
      payload: { reason: 'twice' },
    })
    expect(again.statusCode).toBeGreaterThanOrEqual(400)
    expect(again.statusCode).toBeLessThan(500)
    expect(again.json().error.code).toBe('ERR_CERT_NOT_ACTIVE')
  })

  it('takes a dose CSV upload from site staff and links a rejects file to the uploader only', async () => {
    const csv =
      'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n' +
      `${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,EU/1/20/1528,L3,2022-01-10,3,001-BVBM\n` +
      `${PERSON.cccd},${PERSON.fullName},${PERSON.dob},M,NOT-A-VACCINE,L4,2022-02-10,4,001-BVBM\n`
    const res = await app.inject({
      method: 'POST',
      url: '/api/staff/doses/import',
      headers: { authorization: `Bearer ${tokens.site_staff}`, 'content-type': 'text/csv' },
      payload: csv,
    })
    expect(res.statusCode).toBe(200)
    const summary = res.json()
    expect(summary).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
    const rejects = await app.inject({ url: summary.rejectsUrl, headers: { authorization: `Bearer ${tokens.site_staff}` } })
    expect(rejects.statusCode).toBe(200)
    expect(rejects.body).toContain('NOT-A-VACCINE')
    const other = await staffSession(storage.db as unknown as Kysely<any>, 'c-other-site', 'site_staff', NOW, '001-BVE')
    const stranger = await app.inject({ url: summary.rejectsUrl, headers: { authorization: `Bearer ${other}` } })
    expect(stranger.statusCode).toBe(404)
    // One dose entered by hand goes through the same validation, for the staff member's own site.
    const dose = {
      cccd: PERSON.cccd,
      fullName: PERSON.fullName,
      dob: PERSON.dob,
      sex: 'M',
      product: 'EU/1/20/1528',
      lot: 'L9',
      date: '2022-06-01',
      doseNumber: 4,
    }
    const staff = { authorization: `Bearer ${tokens.site_staff}` }
    const entered = await app.inject({ method: 'POST', url: '/api/staff/doses', headers: staff, payload: dose })
    expect(entered.statusCode).toBe(201)
    const otherSite = await app.inject({ method: 'POST', url: '/api/staff/doses', headers: staff, payload: { ...dose, siteCode: '001-BVE' } })
    expect(otherSite.statusCode).toBe(403)
    const badProduct = await app.inject({ method: 'POST', url: '/api/staff/doses', headers: staff, payload: { ...dose, product: 'NOPE', doseNumber: 5 } })
    expect(badProduct.statusCode).toBe(400)
    expect(badProduct.json().error.code).toBe('ERR_VALIDATION')
    const linked = await storage.db
      .selectFrom('dose_records')
      .select(['site_code', 'entered_by', 'link_status'])
      .where('lot', '=', 'L9')
      .executeTakeFirstOrThrow()
    expect(linked.site_code).toBe('001-BVBM')
    expect(linked.link_status).toBe('linked')
    expect(linked.entered_by).toMatch(/^u:/)

    const json = await app.inject({
      method: 'POST',
      url: '/api/staff/doses/import',
      headers: { authorization: `Bearer ${tokens.site_staff}`, 'content-type': 'application/json' },
      payload: '{}',
    })
    expect(json.statusCode).toBe(415)
  })

  it('takes a citizen correction to the review queue, where a reviewer approves it', async () => {
    const last = await storage.db
      .selectFrom('dose_records')
      .select((eb) => eb.fn.max('date').as('d'))
      .where('linked_cccd', '=', PERSON.cccd)
      .executeTakeFirstOrThrow()
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/citizen/lookup',
      remoteAddress: '10.7.0.1',
      payload: { fullName: PERSON.fullName, dateOfBirth: PERSON.dob, sex: 'M', idNumber: PERSON.cccd, lastDoseDate: String(last.d) },
    })
    const admin = { authorization: `Bearer ${tokens.admin}` }
    const outbox = (await app.inject({ url: '/api/staff/outbox', headers: admin })).json() as Array<{ body: string; template: string }>
    const code = /\b(\d{6})\b/.exec(outbox.find((m) => m.template === 'citizen.otp')!.body)![1]
    const confirm = await app.inject({ method: 'POST', url: '/api/citizen/confirm', remoteAddress: '10.7.0.1', payload: { challengeId: lookup.json().challengeId, code } })
    const citizen = { authorization: `Bearer ${confirm.json().token}` }
    const filed = await app.inject({
      method: 'POST',
      url: '/api/citizen/declarations',
      headers: citizen,
      payload: {
        fullName: PERSON.fullName,
        dob: PERSON.dob,
        sex: 'M',
        doses: [{ product: 'EU/1/20/1528', lot: 'L7', date: '2022-07-01', doseNumber: 5, siteCode: '001-BVBM' }],
      },
    })
    expect(filed.statusCode).toBe(201)
    const id = filed.json().id as string
    const reviewer = { authorization: `Bearer ${tokens.reviewer}` }
    const queue = await app.inject({ url: '/api/staff/reviews', headers: reviewer })
    expect(queue.statusCode).toBe(200)
    expect((queue.json() as Array<{ id: number | string }>).map((q) => String(q.id))).toContain(id)
    expect(JSON.stringify(queue.json())).not.toContain(PERSON.phone)
    const detail = await app.inject({ url: `/api/staff/reviews/${id}`, headers: reviewer })
    expect(detail.statusCode).toBe(200)
    expect(detail.json()).toHaveProperty('comparison')
    const approved = await app.inject({ method: 'POST', url: `/api/staff/reviews/${id}/approve`, headers: reviewer })
    expect(approved.statusCode).toBe(200)
    const twice = await app.inject({ method: 'POST', url: `/api/staff/reviews/${id}/reject`, headers: reviewer, payload: { reason: 'late' } })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error.code).toBe('ERR_DECLARATION_STATE')
    const missing = await app.inject({ url: '/api/staff/reviews/999999', headers: reviewer })
    expect(missing.statusCode).toBe(404)
    const bad = await app.inject({ url: '/api/staff/reviews/abc', headers: reviewer })
    expect(bad.statusCode).toBe(404)
  })
})
