// A real vaxpass server for the browser tests: a temp SQLite file, a small seeded country
// (a few named people plus the synthetic generator's), demo keys in a temp folder, every
// eligible person's certificate issued, staff accounts with real passwords, and the built web
// apps, listening on 127.0.0.1 with a port of 0. Also makes the expired, revoked and tampered
// certificates the verifier tests need.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { deflateSync, inflateSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { createNodeSigner } from '../../src/core/cose/node-signer.js'
import { decodeBase45, encodeBase45 } from '../../src/core/base45/base45.js'
import {
  createSiteReportTally,
  doseCsvLine,
  DOSES_CSV_HEADER,
  generatePeople,
  registerCsvLine,
  REGISTER_CSV_HEADER,
} from '../../src/domain/seed/index.js'
import { hashPassword } from '../../src/domain/users/hash-password.js'
import type { Role } from '../../src/domain/users/roles.js'
import { buildApp } from '../../src/http/build-app.js'
import { composeAppDeps } from '../../src/http/compose-app-deps.js'
import { listen } from '../../src/http/server.js'
import {
  getActiveCertificate,
  issueCertificate,
  revokeCertificate,
  signCandidate,
} from '../../src/storage/certificates/certificate-store.js'
import {
  loadIssuanceCandidate,
  loadIssuanceCandidates,
} from '../../src/storage/certificates/load-issuance-candidates.js'
import { importDoses } from '../../src/storage/import/import-doses.js'
import { importRegister } from '../../src/storage/import/import-register.js'
import { initKeystore, loadActiveSigningKey } from '../../src/storage/keystore/keystore.js'
import { openDatabase } from '../../src/storage/open-database.js'
import { saveSiteReports } from '../../src/storage/reconciliation/save-site-reports.js'
import { linkDoseRecords } from '../../src/storage/registry/link-dose-records.js'
import type { Storage } from '../../src/storage/storage.js'
import { asAuthDb } from '../../src/storage/users/auth-tables.js'
import { createOutboxTableAdapter } from '../../src/storage/users/outbox-table-adapter.js'
import { insertUser } from '../../src/storage/users/user-store.js'

const ROOT = new URL('../..', import.meta.url).pathname
export const WEB_ROOT = join(ROOT, 'dist/web')

/** A person of the register with two doses at 001-BVBM, who gets a certificate. */
export interface NamedPerson {
  readonly cccd: string
  readonly fullName: string
  readonly dob: string
  readonly sex: 'M' | 'F'
  readonly phone: string
  readonly lastDoseDate: string
}

export const CITIZEN: NamedPerson = {
  cccd: '001090001234',
  fullName: 'Nguyễn Văn An',
  dob: '1990-05-17',
  sex: 'M',
  phone: '+84912345678',
  lastDoseDate: '2021-09-01',
}
export const REVOKED_PERSON: NamedPerson = {
  cccd: '001185004321',
  fullName: 'Trần Thị Bích Ngọc',
  dob: '1985-11-02',
  sex: 'F',
  phone: '+84987654321',
  lastDoseDate: '2021-10-05',
}
export const SITE = '001-BVBM'

export interface WebServer {
  readonly url: string
  readonly storage: Storage
  readonly app: FastifyInstance
  readonly dir: string
  /** Staff sign-ins (real passwords, scrypt-hashed at rest). */
  readonly users: Record<'admin' | 'reviewer' | 'staff', { username: string; password: string }>
  /** HC1 strings for the verifier: current, expired (exp in the past), revoked, tampered. */
  readonly hc1: { valid: string; expired: string; revoked: string; tampered: string }
  /** The latest one-time code sent to `to`, read from the outbox table. */
  readOtp(to: string): Promise<string | undefined>
  close(): Promise<void>
}

/**
 * Builds dist/web when it is missing or older than its sources (src/web, src/core, the build
 * script). Test files run in parallel: a lock folder makes the others wait for one build.
 */
export function ensureWebBuild(): void {
  const stamp = join(WEB_ROOT, 'sizes.json')
  const newest = (dir: string): number => {
    let max = 0
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name)
      max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
    }
    return max
  }
  const stale = () =>
    !existsSync(stamp) ||
    !existsSync(join(WEB_ROOT, 'index.html')) ||
    statSync(stamp).mtimeMs <
      Math.max(
        newest(join(ROOT, 'src/web')),
        newest(join(ROOT, 'src/core')),
        statSync(join(ROOT, 'scripts/build-web.mjs')).mtimeMs,
      )
  if (!stale()) return
  const lock = join(ROOT, 'dist/.web-build.lock')
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another file is building (or a dead build left the lock: take it after a minute).
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 60_000)
        rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error('web build lock held too long')
      spawnSync('sleep', ['0.2'])
    }
  }
  try {
    if (!stale()) return
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], {
      cwd: ROOT,
      env: { ...process.env, QUIET: '1' },
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`web build failed: ${r.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function personRows(
  p: NamedPerson,
  doses: ReadonlyArray<[string, number]>,
): { register: string; doses: string } {
  return {
    register: `${p.cccd},${p.fullName},${p.dob},${p.sex},001,${p.phone},\n`,
    doses: doses
      .map(
        ([date, n]) =>
          `${p.cccd},${p.fullName},${p.dob},${p.sex},EU/1/20/1528,L${n}X,${date},${n},${SITE}\n`,
      )
      .join(''),
  }
}

/** Changes one letter of the signed payload and re-wraps it: well-formed, but the signature fails. */
export function tamperHc1(hc1: string): string {
  const cose = Buffer.from(inflateSync(decodeBase45(hc1.slice(4))))
  const at = cose.indexOf('NGUYEN')
  if (at < 0) throw new Error('no NGUYEN in the payload to tamper with')
  cose[at + 5] = 'X'.charCodeAt(0)
  return `HC1:${encodeBase45(deflateSync(cose))}`
}

/**
 * Starts a seeded server. `people` synthetic people join the named ones (reports have data).
 *
 * @example
 * const server = await startWebServer({ people: 60 })
 */
export async function startWebServer(opts: { people?: number } = {}): Promise<WebServer> {
  ensureWebBuild()
  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-web-'))
  const storage = await openDatabase({ DATABASE_URL: join(dir, 'vaxpass.db') })
  const now = new Date()
  const passphrase = 'web test passphrase'
  const keysDir = join(dir, 'keys')
  await initKeystore({ dir: keysDir, passphrase, now: new Date(now.getTime() - 30 * 86_400_000) })

  // Named people first, then the generator's synthetic country (defects included, for the reports).
  const a = personRows(CITIZEN, [
    ['2021-08-01', 1],
    [CITIZEN.lastDoseDate, 2],
  ])
  const b = personRows(REVOKED_PERSON, [
    ['2021-09-05', 1],
    [REVOKED_PERSON.lastDoseDate, 2],
  ])
  let register = REGISTER_CSV_HEADER + '\n' + a.register + b.register
  let doses = DOSES_CSV_HEADER + '\n' + a.doses + b.doses
  const tally = createSiteReportTally()
  for (const person of generatePeople({ people: opts.people ?? 60, seed: 7 })) {
    if (person.inRegister) register += registerCsvLine(person.register) + '\n'
    for (const d of person.doses) {
      tally.add(d.row.siteCode, d.row.date)
      if (d.entered) doses += doseCsvLine(d.row) + '\n'
    }
  }
  await importRegister(storage, Readable.from([register]), {
    enteredBy: 'test:web',
    now: () => now,
  })
  await importDoses(storage, Readable.from([doses]), {
    enteredBy: 'test:web',
    now: () => now,
    rejectsPath: join(dir, 'seed-rejects.csv'),
  })
  await saveSiteReports(storage, tally.reports(), { reportedBy: 'test:web', now })
  await linkDoseRecords(storage, { now: () => now, actor: 'test:web' })

  const active = loadActiveSigningKey({ dir: keysDir, passphrase, now })
  const key = {
    signer: createNodeSigner({
      privateKey: active.privateKey,
      alg: active.alg,
      kid: Buffer.from(active.kid, 'base64'),
    }),
    kid: active.kid,
  }
  const config = { issuer: 'Ministry of Health of Viet Nam', country: 'VN' }
  let after = ''
  for (;;) {
    const page = await loadIssuanceCandidates(storage, { after, limit: 1000 })
    for (const c of page.candidates) {
      try {
        await issueCertificate(storage, c.cccd, {
          key,
          config,
          now,
          actor: 'test:web',
          notify: false,
        })
      } catch {
        // Records that cannot be certified keep none, as in `vaxpass start`.
      }
    }
    after = page.cursor
    if (page.done) break
  }
  const valid = await getActiveCertificate(storage, CITIZEN.cccd)
  const toRevoke = await getActiveCertificate(storage, REVOKED_PERSON.cccd)
  if (valid === undefined || toRevoke === undefined)
    throw new Error('the named people got no certificate')
  await revokeCertificate(storage, toRevoke.uvci, 'issued on a forged card', {
    now,
    actor: 'test:web',
    notify: false,
  })
  // Expired: the same person's certificate signed two years ago (exp = iat + 12 months), never stored.
  const candidate = await loadIssuanceCandidate(storage, CITIZEN.cccd)
  if (candidate === undefined) throw new Error('no candidate')
  const expired = signCandidate(
    candidate,
    key,
    config,
    new Date(now.getTime() - 730 * 86_400_000),
    'issued',
  ).hc1

  const authDb = asAuthDb(storage.db as never)
  const users = {
    admin: { username: 'web-admin', password: 'admin-pass-0123456789' },
    reviewer: { username: 'web-reviewer', password: 'reviewer-pass-0123456789' },
    staff: { username: 'web-staff', password: 'staff-pass-0123456789' },
  }
  const roles: Record<keyof typeof users, Role> = {
    admin: 'admin',
    reviewer: 'reviewer',
    staff: 'site_staff',
  }
  for (const [k, u] of Object.entries(users) as Array<
    [keyof typeof users, { username: string; password: string }]
  >) {
    await insertUser(
      authDb,
      { username: u.username, role: roles[k], siteCode: k === 'staff' ? SITE : null },
      await hashPassword(u.password),
      now,
    )
  }

  const deps = await composeAppDeps(storage, {
    env: {},
    now: () => new Date(),
    dataDir: dir,
    keys: { dir: keysDir, passphrase },
  })
  const app = await buildApp({
    ...deps,
    demoOutbox: createOutboxTableAdapter(storage.db as never),
    webRoot: WEB_ROOT,
    limits: { rateMax: 5000 },
  })
  const url = await listen(app, { port: 0, host: '127.0.0.1' })
  return {
    url,
    storage,
    app,
    dir,
    users,
    hc1: { valid: valid.hc1, expired, revoked: toRevoke.hc1, tampered: tamperHc1(valid.hc1) },
    async readOtp(to) {
      const row = await storage.db
        .selectFrom('outbox')
        .select(['body'])
        .where('recipient', '=', to)
        .where('template', '=', 'citizen.otp')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      return row ? /\b(\d{6})\b/.exec(row.body)?.[1] : undefined
    },
    async close() {
      await app.close()
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
