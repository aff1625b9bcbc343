import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { createToken } from '../../src/domain/users/create-token.js'
import { buildApp } from '../../src/http/build-app.js'
import { composeAppDeps } from '../../src/http/compose-app-deps.js'
import { createOtpOutbox, WITHHELD_CODE_BODY } from '../../src/http/services/create-otp-outbox.js'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { initKeystore, loadActiveSigningKey, rotateDsc } from '../../src/storage/keystore/keystore.js'
import { createNodeSigner } from '../../src/core/cose/node-signer.js'
import { signHc1 } from '../../src/core/hc1/hc1.js'
import { buildVaccinationDcc } from '../../src/domain/issuance/build-vaccination-dcc.js'
import type { AppDeps } from '../../src/http/app-deps.js'
import { TABLE_OUTBOX_ADAPTERS, type OutboxAdapters } from '../../src/storage/certificates/outbox.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import type { Storage } from '../../src/storage/storage.js'
import { asAuthDb } from '../../src/storage/users/auth-tables.js'
import { insertSession } from '../../src/storage/users/session-store.js'
import { BACKENDS, openTestStorage, staffSession } from './helpers.js'

// The gaps closed after the first HTTP delivery: site-scoped CSV uploads, a citizen's own
// correction requests, and one-time codes kept out of the outbox table when a gateway sends them.
const NOW = new Date('2026-03-01T09:00:00Z')
const HEADER = 'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n'
const A = { cccd: '001090001234', fullName: 'Nguyễn Văn An', dob: '1990-05-17', phone: '+84912345678' }
const B = { cccd: '001190005678', fullName: 'Trần Thị Bình', dob: '1991-02-03', phone: '+84987654321' }

/** SMS and e-mail adapters that keep what they were asked to send (or fail when told to). */
function recordingAdapters(fail = false): OutboxAdapters & { sent: string[] } {
  const sent: string[] = []
  const send = async (m: { body: string }) => {
    if (fail) throw new Error('gateway down')
    sent.push(m.body)
  }
  return { sent, sms: { name: 'test-sms', sendSms: send }, email: { name: 'test-email', sendEmail: send } }
}

async function citizenSession(db: Kysely<any>, personId: string): Promise<string> {
  const { token, hash } = createToken()
  await insertSession(asAuthDb(db), hash, { kind: 'citizen', personId, expiresAt: new Date(NOW.getTime() + 3600_000) }, NOW)
  return token
}

describe.each(BACKENDS)('HTTP gaps on %s', (backend) => {
  let drop: () => Promise<void>
  let storage: Storage
  let app: FastifyInstance
  let dir: string
  let deps: Omit<AppDeps, 'logger' | 'limits' | 'webRoot'>
  const passphrase = 'test passphrase 123'
  const gateway = recordingAdapters()

  beforeAll(async () => {
    const opened = await openTestStorage(backend, 'gaps')
    drop = opened.drop
    storage = opened.storage
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-http-gaps-'))
    await initKeystore({ dir: join(dir, 'keys'), passphrase, now: new Date('2026-01-01T00:00:00Z') })
    await importRegister(
      storage,
      Readable.from([
        'cccd,full_name,dob,sex,province_code,phone,email\n' +
          `${A.cccd},${A.fullName},${A.dob},M,001,${A.phone},\n` +
          `${B.cccd},${B.fullName},${B.dob},F,001,${B.phone},\n`,
      ]),
      { now: () => NOW },
    )
    await importDoses(
      storage,
      Readable.from([HEADER + `${A.cccd},${A.fullName},${A.dob},M,EU/1/20/1528,L1,2021-08-01,1,001-BVBM\n`]),
      { now: () => NOW },
    )
    await linkDoseRecords(storage, { now: () => NOW })
    deps = await composeAppDeps(storage, {
      env: {},
      now: () => NOW,
      dataDir: dir,
      keys: { dir: join(dir, 'keys'), passphrase },
      outboxAdapters: gateway,
      keyCheckMs: 0,
    })
    app = await buildApp(deps)
  })
  afterAll(async () => {
    await app?.close()
    await drop?.()
    rmSync(dir, { recursive: true, force: true })
  })

  it('rejects upload rows naming another site as site_not_allowed, and keeps the own-site rows', async () => {
    const staff = await staffSession(storage.db as unknown as Kysely<any>, 'g-staff', 'site_staff', NOW, '001-BVBM')
    const csv =
      HEADER +
      `${A.cccd},${A.fullName},${A.dob},M,EU/1/20/1528,L2,2021-09-01,2,001-BVBM\n` +
      `${B.cccd},${B.fullName},${B.dob},F,EU/1/20/1528,L5,2021-09-02,1,001-BVE\n`
    const headers = { authorization: `Bearer ${staff}` }
    const res = await app.inject({
      method: 'POST',
      url: '/api/staff/doses/import',
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: csv,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ read: 2, inserted: 1, duplicate: 0, rejected: 1 })
    const rejects = await app.inject({ url: res.json().rejectsUrl, headers })
    const lines = rejects.body.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]!.split(',')[0]).toBe('site_not_allowed')
    expect(lines[1]).toContain('001-BVE')
    const stored = await storage.db.selectFrom('dose_records').select('site_code').where('lot', '=', 'L5').execute()
    expect(stored).toEqual([])

    // A reviewer or admin cannot upload at all; staff without a site can store nothing.
    const siteless = await staffSession(storage.db as unknown as Kysely<any>, 'g-siteless', 'site_staff', NOW, null)
    const none = await app.inject({
      method: 'POST',
      url: '/api/staff/doses/import',
      headers: { authorization: `Bearer ${siteless}`, 'content-type': 'text/csv' },
      payload: HEADER + `${A.cccd},${A.fullName},${A.dob},M,EU/1/20/1528,L6,2021-10-01,3,001-BVBM\n`,
    })
    expect(none.json()).toMatchObject({ read: 1, inserted: 0, rejected: 1 })
  })

  it('lists a citizen their own correction requests with status and reject reason, nobody else\'s', async () => {
    const a = { authorization: `Bearer ${await citizenSession(storage.db as unknown as Kysely<any>, A.cccd)}` }
    const b = { authorization: `Bearer ${await citizenSession(storage.db as unknown as Kysely<any>, B.cccd)}` }
    const file = (lot: string) =>
      app.inject({
        method: 'POST',
        url: '/api/citizen/declarations',
        headers: a,
        payload: {
          fullName: A.fullName,
          dob: A.dob,
          sex: 'M',
          doses: [{ product: 'EU/1/20/1528', lot, date: '2021-11-01', doseNumber: 3, siteCode: '001-BVBM' }],
        },
      })
    const first = await file('L7')
    const second = await file('L8')
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(201)
    const reviewer = await staffSession(storage.db as unknown as Kysely<any>, 'g-reviewer', 'reviewer', NOW)
    const rejected = await app.inject({
      method: 'POST',
      url: `/api/staff/reviews/${first.json().id}/reject`,
      headers: { authorization: `Bearer ${reviewer}` },
      payload: { reason: 'the lot is not one of this site' },
    })
    expect(rejected.statusCode).toBe(200)

    const mine = await app.inject({ url: '/api/citizen/declarations', headers: a })
    expect(mine.statusCode).toBe(200)
    const list = mine.json() as Array<Record<string, unknown>>
    expect(list.map((d) => d.id)).toEqual([second.json().id, first.json().id])
    expect(list[0]).toEqual({ id: second.json().id, filedAt: NOW.toISOString(), status: 'pending', decidedAt: null, rejectReason: null, doses: 1 })
    expect(list[1]).toMatchObject({ status: 'rejected', rejectReason: 'the lot is not one of this site', decidedAt: NOW.toISOString() })

    const theirs = await app.inject({ url: '/api/citizen/declarations', headers: b })
    expect(theirs.statusCode).toBe(200)
    expect(theirs.json()).toEqual([])
    const anonymous = await app.inject({ url: '/api/citizen/declarations' })
    expect(anonymous.statusCode).toBe(401)
    const staff = await staffSession(storage.db as unknown as Kysely<any>, 'g-staff2', 'site_staff', NOW)
    const asStaff = await app.inject({ url: '/api/citizen/declarations', headers: { authorization: `Bearer ${staff}` } })
    expect(asStaff.statusCode).toBeGreaterThanOrEqual(401)
    expect(asStaff.statusCode).toBeLessThanOrEqual(403)
  })

  it('sends a one-time code through a gateway without storing it', async () => {
    const before = gateway.sent.length
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/citizen/lookup',
      remoteAddress: '10.9.0.1',
      payload: { fullName: A.fullName, dateOfBirth: A.dob, sex: 'M', idNumber: A.cccd, lastDoseDate: '2021-09-01' },
    })
    expect(lookup.statusCode).toBe(202)
    expect(gateway.sent.length).toBe(before + 1)
    const code = /\b(\d{6})\b/.exec(gateway.sent.at(-1)!)![1]!
    const rows = await storage.db.selectFrom('outbox').select(['body', 'status']).where('template', '=', 'citizen.otp').execute()
    expect(rows).toEqual([{ body: WITHHELD_CODE_BODY, status: 'sent' }])
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/citizen/confirm',
      remoteAddress: '10.9.0.1',
      payload: { challengeId: lookup.json().challengeId, code },
    })
    expect(confirm.statusCode).toBe(200)
  })

  it('records a failed send as failed, and keeps the code in the table only with the demo adapters', async () => {
    const db = storage.db as unknown as Kysely<any>
    const message = { channel: 'sms' as const, to: '+84900000001', subject: 'vaxpass code', body: 'vaxpass: your code is 482913.' }
    await createOtpOutbox(db, recordingAdapters(true)).enqueue(message, NOW)
    const failed = await db.selectFrom('outbox').select(['body', 'status']).where('recipient', '=', message.to).execute()
    expect(failed).toEqual([{ body: WITHHELD_CODE_BODY, status: 'failed' }])
    const demo = createOtpOutbox(db, TABLE_OUTBOX_ADAPTERS)
    expect(demo.storesCodes).toBe(true)
    await demo.enqueue({ ...message, to: '+84900000002' }, NOW)
    const kept = await db.selectFrom('outbox').select('body').where('recipient', '=', '+84900000002').execute()
    expect(kept).toEqual([{ body: message.body }])
  })

  it('serialises the verify report with nothing dropped, and trusts a rotated DSC without a restart', async () => {
    const keysDir = join(dir, 'keys')
    const sign = (at: Date) => {
      const active = loadActiveSigningKey({ dir: keysDir, passphrase, now: at })
      const signer = createNodeSigner({ privateKey: active.privateKey, alg: active.alg, kid: Buffer.from(active.kid, 'base64') })
      const built = buildVaccinationDcc(
        { cccd: A.cccd, fullName: A.fullName, dob: A.dob },
        [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 2 }],
        { issuer: 'Ministry of Health of Viet Nam' },
        NOW,
      )
      return signHc1(built.payload, { signer, issuer: 'VN', iat: built.iat, exp: built.exp })
    }
    const hc1 = sign(NOW)
    const res = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1 } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(await deps.verify!(hc1, NOW))))
    expect(res.json().valid).toBe(true)
    expect(res.json().payload).toBeTypeOf('object')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const missing = await app.inject({ url: '/api/nothing-here' })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['x-content-type-options']).toBe('nosniff')

    await rotateDsc({ dir: keysDir, passphrase, now: NOW })
    const rotated = sign(NOW)
    // The server notices the new keystore on a request and reloads in the background.
    let trusted = false
    for (let i = 0; i < 100 && !trusted; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1: rotated } })
      trusted = r.json().valid === true
      if (!trusted) await new Promise((done) => setTimeout(done, 20))
    }
    expect(trusted).toBe(true)
    const list = await app.inject({ url: '/api/public/trust-list' })
    expect((list.json() as unknown[]).length).toBe(2)
    const old = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1 } })
    expect(old.json().valid).toBe(true)
  })
})
