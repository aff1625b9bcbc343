import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { renderQrSvg } from '../../src/core/qr/render-qr-svg.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { AUTH_POLICY } from '../../src/domain/users/auth-policy.js'
import { hashPassword } from '../../src/domain/users/hash-password.js'
import { ROLES } from '../../src/domain/users/roles.js'
import type { AppDeps, CertificateSummary } from '../../src/http/app-deps.js'
import { buildApp } from '../../src/http/build-app.js'
import { asAuthDb } from '../../src/storage/users/auth-tables.js'
import { createRegistryCitizenDirectory } from '../../src/storage/users/registry-citizen-directory.js'
import { insertUser } from '../../src/storage/users/user-store.js'
import {
  BACKENDS,
  LogCapture,
  MemoryOutbox,
  memoryCertificates,
  openTestStorage,
  staffSession,
} from './helpers.js'

const NOW = new Date('2026-03-01T09:00:00Z')

interface Person {
  cccd: string
  fullName: string
  dob: string
  sex: 'M' | 'F'
  phone: string
  lastDose: string
}

// Two people of the register, each with a linked dose and a certificate.
const AN: Person = {
  cccd: '001090001234',
  fullName: 'Nguyễn Văn An',
  dob: '1990-05-17',
  sex: 'M',
  phone: '+84912345678',
  lastDose: '2022-01-10',
}
const BINH: Person = {
  cccd: '079185004321',
  fullName: 'Trần Thị Bình',
  dob: '1985-11-02',
  sex: 'F',
  phone: '+84987654321',
  lastDose: '2021-12-01',
}
const certOf = (p: Person, n: string): CertificateSummary => ({
  uvci: `URN:UVCI:01:VN:${n.repeat(32)}#A`,
  personId: p.cccd,
  status: 'active',
  hc1: 'HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE$VK G2EC',
  issuedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2027-01-01T00:00:00Z',
})
const CERT_AN = certOf(AN, 'a')
const CERT_BINH = certOf(BINH, 'b')

async function seedRegister(db: Kysely<any>): Promise<string> {
  const site = await db.selectFrom('vaccination_sites').select('code').limit(1).executeTakeFirstOrThrow()
  for (const p of [AN, BINH]) {
    await db
      .insertInto('register_people')
      .values({
        cccd: p.cccd,
        full_name: p.fullName,
        name_key: p.fullName.toUpperCase(),
        dob: p.dob,
        sex: p.sex,
        province_code: p.cccd.slice(0, 3),
        phone: p.phone,
        email: null,
        import_job_id: null,
        updated_at: NOW.toISOString(),
      })
      .execute()
    await db
      .insertInto('dose_records')
      .values({
        person_key: p.cccd,
        cccd: p.cccd,
        full_name: p.fullName,
        dob: p.dob,
        sex: p.sex,
        product: 'EU/1/20/1528',
        lot: 'L1',
        date: p.lastDose,
        dose_number: 2,
        site_code: site.code,
        entered_by: 'test',
        entered_at: NOW.toISOString(),
        source: 'manual',
        linked_cccd: p.cccd,
        link_status: 'linked',
      })
      .execute()
  }
  return site.code as string
}

function sampleUrl(url: string): string {
  return url
    .replace(':uvci', encodeURIComponent(CERT_AN.uvci))
    .replace(':idNumber', AN.cccd)
    .replace(':id', '1')
}

describe.each(BACKENDS)('HTTP API on %s', (backend) => {
  let drop: () => Promise<void>
  let db: Kysely<any>
  let app: FastifyInstance
  let deps: AppDeps
  const outbox = new MemoryOutbox()
  const logs = new LogCapture()
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    const opened = await openTestStorage(backend, 'api')
    drop = opened.drop
    db = opened.storage.db as unknown as Kysely<any>
    await seedRegister(db)
    deps = {
      db,
      now: () => NOW,
      logger: { stream: logs },
      citizens: createRegistryCitizenDirectory(db),
      outbox,
      certificates: memoryCertificates([CERT_AN, CERT_BINH], { [AN.cccd]: AN.cccd, [BINH.cccd]: BINH.cccd }),
      renderers: {
        qrSvg: (t) => renderQrSvg(t),
        qrPng: (t) => renderQrPng(t),
        pdf: async () => new Uint8Array([0x25, 0x50, 0x44, 0x46]),
      },
    }
    app = await buildApp(deps)
    for (const role of ROLES) tokens[role] = await staffSession(db, `t-${role}`, role, NOW)
  })
  afterAll(async () => {
    await app?.close()
    await drop?.()
  })

  async function citizenToken(p: Person, ip: string): Promise<string> {
    const before = outbox.sent.length
    const res = await app.inject({
      method: 'POST',
      url: '/api/citizen/lookup',
      remoteAddress: ip,
      payload: { fullName: p.fullName, dateOfBirth: p.dob, sex: p.sex, idNumber: p.cccd, lastDoseDate: p.lastDose },
    })
    expect(res.statusCode).toBe(202)
    expect(outbox.sent.length).toBe(before + 1)
    const code = /\b(\d{6})\b/.exec(outbox.sent.at(-1)!.body)![1]
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/citizen/confirm',
      remoteAddress: ip,
      payload: { challengeId: res.json().challengeId, code },
    })
    expect(confirm.statusCode).toBe(200)
    return confirm.json().token as string
  }

  it('refuses every staff route without a session (401) and with the wrong role (403)', async () => {
    const staffRoutes = app.routeTable.filter((r) => r.url.startsWith('/api/staff/') && r.url !== '/api/staff/sign-in')
    expect(staffRoutes.length).toBeGreaterThanOrEqual(14)
    const citizen = await citizenToken(AN, '10.0.0.1')
    for (const route of staffRoutes) {
      expect(route.roles, route.url).toBeDefined()
      const url = sampleUrl(route.url)
      const none = await app.inject({ method: route.method as 'GET', url })
      expect(none.statusCode, `${route.method} ${route.url}`).toBe(401)
      expect(none.json().error.code).toBe('ERR_AUTH_REQUIRED')
      const asCitizen = await app.inject({ method: route.method as 'GET', url, headers: { authorization: `Bearer ${citizen}` } })
      expect(asCitizen.statusCode, `${route.method} ${route.url} as citizen`).toBe(403)
      for (const role of ROLES) {
        // Signing out with an allowed role would end the shared session; sign-out has its own test.
        if (route.url.endsWith('/sign-out') && route.roles!.includes(role)) continue
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: `Bearer ${tokens[role]}` },
        })
        if (route.roles!.includes(role)) {
          expect([401, 403], `${route.method} ${route.url} as ${role}`).not.toContain(res.statusCode)
        } else {
          expect(res.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403)
          expect(res.json().error.code).toBe('ERR_FORBIDDEN')
        }
      }
    }
  })

  it('signs staff in with scrypt passwords, sets a strict HttpOnly cookie, and signs out', async () => {
    await insertUser(asAuthDb(db), { username: 'lan', role: 'reviewer', siteCode: null }, await hashPassword('a long enough password'), NOW)
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/staff/sign-in',
      remoteAddress: '10.1.0.1',
      payload: { username: 'lan', password: 'not the password' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('ERR_AUTH_INVALID')
    const ok = await app.inject({
      method: 'POST',
      url: '/api/staff/sign-in',
      remoteAddress: '10.1.0.1',
      payload: { username: 'lan', password: 'a long enough password' },
    })
    expect(ok.statusCode).toBe(200)
    const cookie = String(ok.headers['set-cookie'])
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const cookieHeader = cookie.split(';')[0]!
    const me = await app.inject({ url: '/api/staff/me', headers: { cookie: cookieHeader } })
    expect(me.statusCode).toBe(200)
    expect(me.json().role).toBe('reviewer')
    const token = ok.json().token as string
    const stored = await db.selectFrom('auth_sessions').select('token_hash').execute()
    expect(stored.some((r) => r.token_hash === token)).toBe(false)
    const out = await app.inject({ method: 'POST', url: '/api/staff/sign-out', headers: { authorization: `Bearer ${token}` } })
    expect(out.statusCode).toBe(204)
    const after = await app.inject({ url: '/api/staff/me', headers: { authorization: `Bearer ${token}` } })
    expect(after.statusCode).toBe(401)
  })

  it('locks sign-in after repeated failures for a username, per address first', async () => {
    const signIn = (ip: string) =>
      app.inject({ method: 'POST', url: '/api/staff/sign-in', remoteAddress: ip, payload: { username: 'nobody-here', password: 'guess' } })
    // From one address: that address is locked out of this username, not the username itself.
    for (let i = 0; i < AUTH_POLICY.maxFailures; i++) expect((await signIn('10.2.0.1')).statusCode).toBe(401)
    const pairLocked = await signIn('10.2.0.1')
    expect(pairLocked.statusCode).toBe(429)
    expect(pairLocked.json().error.code).toBe('ERR_TOO_MANY_FAILURES')
    expect((await signIn('10.2.0.2')).statusCode).toBe(401)
    // From many addresses together: the username is locked for everyone.
    for (let i = AUTH_POLICY.maxFailures + 1; i < AUTH_POLICY.maxFailuresPerSubject; i++) {
      expect((await signIn(`10.2.1.${i}`)).statusCode).toBe(401)
    }
    const locked = await signIn('10.2.2.1')
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error.code).toBe('ERR_TOO_MANY_FAILURES')
  })

  it('answers a lookup the same way for an unknown person and a wrong field', async () => {
    const base = { fullName: AN.fullName, dateOfBirth: AN.dob, sex: AN.sex, idNumber: AN.cccd, lastDoseDate: AN.lastDose }
    const variants = [
      { ...base, idNumber: '001099999999' },
      { ...base, dateOfBirth: '1990-05-18' },
      { ...base, fullName: 'Nguyễn Văn Ân' },
      { ...base, sex: 'F' },
      { ...base, lastDoseDate: '2022-01-11' },
    ]
    const sentBefore = outbox.sent.length
    const answers = []
    for (const [i, payload] of variants.entries()) {
      const r = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: `10.3.0.${i}`, payload })
      answers.push({ status: r.statusCode, keys: Object.keys(r.json()).sort(), message: r.json().message })
    }
    const good = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.3.1.1', payload: base })
    expect(outbox.sent.length).toBe(sentBefore + 1)
    const goodAnswer = { status: good.statusCode, keys: Object.keys(good.json()).sort(), message: good.json().message }
    for (const a of answers) expect(a).toEqual(goodAnswer)
    // The lookup names IDs and names in the form only, so the match uses diacritics, case and spaces loosely only.
    const spaced = await app.inject({
      method: 'POST',
      url: '/api/citizen/lookup',
      remoteAddress: '10.3.1.2',
      payload: { ...base, fullName: '  nguyễn   VĂN an ' },
    })
    expect(spaced.statusCode).toBe(202)
    expect(outbox.sent.length).toBe(sentBefore + 2)
  })

  it('limits one-time code attempts per challenge, and failures per IP and per ID', async () => {
    const payload = { fullName: BINH.fullName, dateOfBirth: BINH.dob, sex: BINH.sex, idNumber: BINH.cccd, lastDoseDate: BINH.lastDose }
    const r = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.4.0.1', payload })
    const code = /\b(\d{6})\b/.exec(outbox.sent.at(-1)!.body)![1]!
    const wrong = code === '000000' ? '000001' : '000000'
    for (let i = 0; i < 5; i++) {
      const w = await app.inject({
        method: 'POST',
        url: '/api/citizen/confirm',
        remoteAddress: `10.4.1.${i}`,
        payload: { challengeId: r.json().challengeId, code: wrong },
      })
      expect(w.statusCode).toBe(401)
      expect(w.json().error.code).toBe('ERR_OTP_INVALID')
    }
    const late = await app.inject({
      method: 'POST',
      url: '/api/citizen/confirm',
      remoteAddress: '10.4.2.1',
      payload: { challengeId: r.json().challengeId, code },
    })
    expect(late.statusCode).toBe(429)
    expect(late.json().error.code).toBe('ERR_OTP_ATTEMPTS')

    // Per IP: failed lookups from one address lock it (a higher limit: NAT shares addresses), whatever the ID.
    for (let i = 0; i < AUTH_POLICY.maxFailuresPerIp; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.4.3.1', payload: { ...payload, idNumber: `0010900000${String(i).padStart(2, '0')}` } })
      expect(r.statusCode).toBe(202)
    }
    const ipLocked = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.4.3.1', payload })
    expect(ipLocked.statusCode).toBe(429)
    expect(ipLocked.json().error.code).toBe('ERR_TOO_MANY_FAILURES')

    // Per ID from one address: five failures lock that pair only. A stranger who knows the
    // holder's ID number cannot lock the holder out from one address.
    const lookup = (ip: string, body: object) =>
      app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: ip, payload: body })
    for (let i = 0; i < AUTH_POLICY.maxFailures; i++) {
      expect((await lookup('10.4.4.1', { ...payload, lastDoseDate: '2021-01-01' })).statusCode).toBe(202)
    }
    const pairLocked = await lookup('10.4.4.1', payload)
    expect(pairLocked.statusCode).toBe(429)
    expect(pairLocked.json().error.code).toBe('ERR_TOO_MANY_FAILURES')
    expect((await lookup('10.4.4.1', { ...payload, idNumber: '001088000124' })).statusCode).toBe(202)
    const sentBefore = outbox.sent.length
    expect((await lookup('10.4.4.2', payload)).statusCode).toBe(202)
    expect(outbox.sent.length).toBe(sentBefore + 1)

    // Per ID from every address: enough failures spread over many addresses lock the ID for all.
    const target = '001088000123'
    for (let i = 0; i < AUTH_POLICY.maxFailuresPerSubject; i++) {
      expect((await lookup(`10.4.5.${i}`, { ...payload, idNumber: target })).statusCode).toBe(202)
    }
    const idLocked = await lookup('10.4.6.1', { ...payload, idNumber: target })
    expect(idLocked.statusCode).toBe(429)
    expect(idLocked.json().error.code).toBe('ERR_TOO_MANY_FAILURES')
  })

  it('sends a person at most five codes an hour, answering further lookups the same way', async () => {
    const payload = { fullName: BINH.fullName, dateOfBirth: BINH.dob, sex: BINH.sex, idNumber: BINH.cccd, lastDoseDate: BINH.lastDose }
    const sent = outbox.sent.filter((m) => m.to === BINH.phone).length
    expect(sent).toBeGreaterThan(0)
    expect(sent).toBeLessThan(AUTH_POLICY.maxCodesPerPerson)
    let last
    for (let i = sent; i < AUTH_POLICY.maxCodesPerPerson; i++) {
      last = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: `10.4.7.${i}`, payload })
      expect(last.statusCode).toBe(202)
    }
    expect(outbox.sent.filter((m) => m.to === BINH.phone).length).toBe(AUTH_POLICY.maxCodesPerPerson)
    const code = /\b(\d{6})\b/.exec(outbox.sent.at(-1)!.body)![1]!
    const sentBefore = outbox.sent.length
    const over = await app.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.4.8.1', payload })
    expect(over.statusCode).toBe(202)
    expect(Object.keys(over.json()).sort()).toEqual(Object.keys(last!.json()).sort())
    expect(over.json().message).toBe(last!.json().message)
    expect(outbox.sent.length).toBe(sentBefore)
    // The answer's challenge is a decoy: not even the last code sent passes it.
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/citizen/confirm',
      remoteAddress: '10.4.8.1',
      payload: { challengeId: over.json().challengeId, code },
    })
    expect(confirm.statusCode).toBe(401)
    expect(confirm.json().error.code).toBe('ERR_OTP_INVALID')
  })

  it("gives a citizen their own certificate and never another person's", async () => {
    const token = await citizenToken(AN, '10.5.0.1')
    const auth = { authorization: `Bearer ${token}` }
    const mine = await app.inject({ url: '/api/citizen/certificate', headers: auth })
    expect(mine.statusCode).toBe(200)
    expect(mine.json().uvci).toBe(CERT_AN.uvci)
    expect(mine.json()).not.toHaveProperty('personId')
    const svg = await app.inject({ url: `/api/citizen/certificates/${encodeURIComponent(CERT_AN.uvci)}/qr.svg`, headers: auth })
    expect(svg.statusCode).toBe(200)
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/)
    expect(svg.body.startsWith('<svg')).toBe(true)
    const png = await app.inject({ url: `/api/citizen/certificates/${encodeURIComponent(CERT_AN.uvci)}/qr.png`, headers: auth })
    expect(png.statusCode).toBe(200)
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG')
    for (const suffix of ['', '/qr.svg', '/qr.png', '/pdf']) {
      const other = await app.inject({ url: `/api/citizen/certificates/${encodeURIComponent(CERT_BINH.uvci)}${suffix}`, headers: auth })
      expect(other.statusCode, suffix).toBe(404)
      expect(other.json().error.code).toBe('ERR_NOT_FOUND')
    }
    // Citizen routes refuse staff sessions and anonymous callers.
    for (const route of app.routeTable.filter((r) => r.audience === 'citizen')) {
      const url = sampleUrl(route.url)
      const anon = await app.inject({ method: route.method as 'GET', url })
      expect(anon.statusCode, route.url).toBe(401)
      const staff = await app.inject({ method: route.method as 'GET', url, headers: { authorization: `Bearer ${tokens.admin}` } })
      expect(staff.statusCode, route.url).toBe(403)
    }
  })

  it('scopes national-app API keys to fetching a current certificate', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/staff/api-keys',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { appName: 'pc-covid' },
    })
    expect(created.statusCode).toBe(201)
    const key = created.json().apiKey as string
    const stored = await db.selectFrom('auth_api_keys').select('key_hash').execute()
    expect(stored.some((r) => r.key_hash === key)).toBe(false)
    const ok = await app.inject({ url: `/api/apps/certificates/${AN.cccd}`, headers: { 'x-api-key': key } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().uvci).toBe(CERT_AN.uvci)
    const none = await app.inject({ url: `/api/apps/certificates/${AN.cccd}` })
    expect(none.json().error.code).toBe('ERR_API_KEY_INVALID')
    const bad = await app.inject({ url: `/api/apps/certificates/${AN.cccd}`, headers: { 'x-api-key': key + 'x' } })
    expect(bad.statusCode).toBe(401)
    // The key opens nothing else.
    expect((await app.inject({ url: '/api/staff/me', headers: { 'x-api-key': key } })).statusCode).toBe(401)
    expect((await app.inject({ url: '/api/staff/me', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401)
    expect((await app.inject({ url: '/api/citizen/certificate', headers: { 'x-api-key': key } })).statusCode).toBe(401)
    // A staff session is not an API key.
    expect((await app.inject({ url: `/api/apps/certificates/${AN.cccd}`, headers: { authorization: `Bearer ${tokens.admin}` } })).statusCode).toBe(401)
  })

  it('lists every route in the OpenAPI document', async () => {
    const res = await app.inject({ url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    const paths = Object.keys(doc.paths)
    for (const route of app.routeTable.filter((r) => r.url.startsWith('/api/') || r.url === '/health')) {
      const openapiPath = route.url.replace(/:(\w+)/g, '{$1}')
      expect(paths, route.url).toContain(openapiPath)
      expect(doc.paths[openapiPath][route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined()
    }
    expect(doc.components.securitySchemes.apiKey.name).toBe('X-Api-Key')
    const ui = await app.inject({ url: '/docs/' })
    expect([200, 302]).toContain(ui.statusCode)
  })

  it('answers errors with stable codes and never a stack', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/citizen/lookup', headers: { 'content-type': 'application/json' }, payload: '{"x":' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('ERR_VALIDATION')
    const extra = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1: 'HC1:x', more: 1 } })
    expect(extra.json().error.code).toBe('ERR_VALIDATION')
    const big = await app.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1: 'x'.repeat(70_000) } })
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('ERR_PAYLOAD_TOO_LARGE')
    const missing = await app.inject({ url: '/api/nothing-here' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('ERR_NOT_FOUND')
    const unwired = await app.inject({ url: '/api/public/trust-list' })
    expect(unwired.statusCode).toBe(503)
    expect(unwired.json().error.code).toBe('ERR_NOT_AVAILABLE')

    const broken = await buildApp({
      ...deps,
      logger: false,
      verify: () => {
        throw new Error('driver said: password=hunter2 at /srv/secret.ts:12')
      },
    })
    const crash = await broken.inject({ method: 'POST', url: '/api/public/verify', payload: { hc1: 'HC1:abc' } })
    expect(crash.statusCode).toBe(500)
    expect(crash.json()).toEqual({ error: { code: 'ERR_INTERNAL', message: 'internal error' } })
    await broken.close()
  })

  it('answers 429 ERR_RATE_LIMITED on public routes past the limit', async () => {
    const limited = await buildApp({ ...deps, logger: false, limits: { rateMax: 3 } })
    const codes: number[] = []
    for (let i = 0; i < 5; i++) codes.push((await limited.inject({ url: '/health', remoteAddress: '10.9.9.9' })).statusCode)
    expect(codes).toEqual([200, 200, 200, 429, 429])
    const res = await limited.inject({ method: 'POST', url: '/api/citizen/lookup', remoteAddress: '10.9.9.9', payload: {} })
    expect(res.statusCode).toBe(429)
    expect(res.json().error.code).toBe('ERR_RATE_LIMITED')
    // Another address is not affected.
    expect((await limited.inject({ url: '/health', remoteAddress: '10.9.9.8' })).statusCode).toBe(200)
    await limited.close()
  })

  it('logs routes, statuses and timings but no personal data', async () => {
    // Runs last: by now the log holds lookups, codes, certificates and API calls of both people.
    const text = logs.text
    expect(text).toMatch(/"route":"\/api\/citizen\/lookup"/)
    expect(text).toMatch(/"status":202/)
    for (const p of [AN, BINH]) {
      for (const secret of [p.cccd, p.fullName, p.phone, p.phone.slice(3), p.dob, 'Nguy', encodeURIComponent(CERT_AN.uvci), 'UVCI']) {
        expect(text.includes(secret), secret).toBe(false)
      }
    }
    for (const code of outbox.sent.map((m) => /\b(\d{6})\b/.exec(m.body)![1]!)) expect(text).not.toContain(`"${code}"`)
  })
})
