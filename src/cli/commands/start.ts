import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import {
  DOSES_CSV_HEADER,
  REGISTER_CSV_HEADER,
  doseCsvLine,
  generatePeople,
  registerCsvLine,
} from '../../domain/seed/index.js'
import { PILOT_SITES } from '../../domain/registry/generate-sites.js'
import { createToken } from '../../domain/users/create-token.js'
import { hashPassword } from '../../domain/users/hash-password.js'
import type { Role } from '../../domain/users/roles.js'
import { issueAll } from '../../issue/issue-all.js'
import { importDoses } from '../../storage/import/import-doses.js'
import { importRegister } from '../../storage/import/import-register.js'
import { ensureDemoKeys } from '../../storage/keystore/ensure-demo-keys.js'
import { loadActiveSigningKey } from '../../storage/keystore/keystore.js'
import { openDatabase } from '../../storage/open-database.js'
import { linkDoseRecords } from '../../storage/registry/link-dose-records.js'
import type { Storage } from '../../storage/storage.js'
import { insertApiKey } from '../../storage/users/api-key-store.js'
import { asAuthDb } from '../../storage/users/auth-tables.js'
import { createOutboxTableAdapter } from '../../storage/users/outbox-table-adapter.js'
import { countUsers, insertUser } from '../../storage/users/user-store.js'
import { isServerWorker } from '../../http/serve-workers.js'
import { serveUntilStopped, workersOption } from './serve.js'

/** The demo sign-ins, kept (0600) in the data folder so that a second start prints them again. */
interface DemoSignIns {
  users: Array<{ username: string; role: Role; siteCode: string | null; password: string }>
  apiKey: { app: string; key: string }
}

const say = (line: string) => process.stderr.write(`${line}\n`)

/** Seeds a small synthetic country (E's generator, D's importers and linkage) when the register is empty. */
async function seedDemo(storage: Storage, dataDir: string, people: number): Promise<void> {
  const n = await storage.db
    .selectFrom('register_people')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(n.n) > 0) {
    say(`demo data: reusing the ${Number(n.n)} people already in the register`)
    return
  }
  say(`demo data: generating ${people} synthetic people...`)
  const dir = join(dataDir, 'demo')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const registerCsv = join(dir, 'register.csv')
  const dosesCsv = join(dir, 'doses.csv')
  const reg = createWriteStream(registerCsv)
  const doses = createWriteStream(dosesCsv)
  reg.write(REGISTER_CSV_HEADER + '\n')
  doses.write(DOSES_CSV_HEADER + '\n')
  for (const person of generatePeople({ people, seed: 2022 })) {
    if (person.inRegister && !reg.write(registerCsvLine(person.register))) await once(reg, 'drain')
    for (const d of person.doses) {
      if (d.entered && !doses.write(doseCsvLine(d.row))) await once(doses, 'drain')
    }
  }
  reg.end()
  doses.end()
  await Promise.all([once(reg, 'finish'), once(doses, 'finish')])
  const r = await importRegister(storage, registerCsv, { enteredBy: 'system:demo' })
  say(`demo data: register ${r.inserted} people (${r.rejected} rejected)`)
  const d = await importDoses(storage, dosesCsv, { enteredBy: 'system:demo', rejectsPath: join(dir, 'doses-rejects.csv') })
  say(`demo data: ${d.inserted} doses (${d.rejected} rejected, see ${join(dir, 'doses-rejects.csv')})`)
  const l = await linkDoseRecords(storage, { actor: 'system:demo' })
  say(`demo data: linked ${l.byStatus.linked ?? 0} of ${l.processed} doses to the register`)
}

/**
 * Issues certificates to every eligible person through F's bulk issuing (worker threads, atomic
 * batches, resumable); people whose records are unchanged keep theirs. Notifications off for the demo.
 */
async function issueMissing(storage: Storage, keys: { dir: string; passphrase: string }): Promise<number> {
  const now = new Date()
  const active = loadActiveSigningKey({ dir: keys.dir, passphrase: keys.passphrase, now })
  const config = { issuer: process.env.VAXPASS_ISSUER ?? 'Ministry of Health of Viet Nam' }
  const summary = await issueAll(storage, { key: active, config, actor: 'system:demo', notify: false, countTotal: false })
  // A person whose records cannot be certified keeps none; the registry reports why.
  return summary.issued
}

async function ensureDemoSignIns(storage: Storage, dataDir: string): Promise<DemoSignIns | undefined> {
  const file = join(dataDir, 'demo-sign-ins.json')
  const db = asAuthDb(storage.db)
  if ((await countUsers(db)) > 0) {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoSignIns) : undefined
  }
  const now = new Date()
  const site = PILOT_SITES[0]!.code
  const wanted: Array<{ username: string; role: Role; siteCode: string | null }> = [
    { username: 'admin', role: 'admin', siteCode: null },
    { username: 'reviewer', role: 'reviewer', siteCode: null },
    { username: 'staff', role: 'site_staff', siteCode: site },
  ]
  const users = []
  for (const u of wanted) {
    const { token: password } = createToken()
    await insertUser(db, u, await hashPassword(password.slice(0, 20)), now)
    users.push({ ...u, password: password.slice(0, 20) })
  }
  const { token, hash } = createToken('vxk_')
  await insertApiKey(db, 'demo-app', hash, 'certificate:read', now)
  const out: DemoSignIns = { users, apiKey: { app: 'demo-app', key: token } }
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n', { mode: 0o600 })
  return out
}

/**
 * `vaxpass start` (what `npm start` runs): migrate, seed a small synthetic demo when the database
 * is empty, create keys when missing, issue the missing certificates, create demo sign-ins, and
 * serve the API and web apps. A second start reuses all of it.
 *
 * @example
 * registerStart(program)
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('demo: migrate, seed, create keys, issue, create sign-ins, then serve (PORT, HOST)')
    .option('--people <n>', 'people in the demo register when it is empty', process.env.VAXPASS_DEMO_PEOPLE ?? '3000')
    .option('--json', 'print the address and sign-ins as JSON')
    .option('--workers <n>', 'server processes sharing the port (default WEB_CONCURRENCY or 1)')
    .action(async (opts: { people: string; json?: boolean; workers?: string }) => {
      const workers = workersOption(opts.workers, process.env)
      const dataDir = resolve(process.env.VAXPASS_DATA_DIR ?? 'data')
      mkdirSync(dataDir, { recursive: true, mode: 0o700 })
      const storage = await openDatabase(process.env)
      if (isServerWorker()) {
        // A forked server process: the primary has done the demo set-up; serve only.
        try {
          const keys = await ensureDemoKeys({ dataDir, now: new Date() })
          await serveUntilStopped(storage, {
            env: process.env,
            workers,
            keys: { dir: keys.dir, passphrase: keys.passphrase },
            extra: { demoOutbox: createOutboxTableAdapter(storage.db as never) },
            onListening: () => {},
          })
        } finally {
          await storage.close()
        }
        return
      }
      try {
        say(`database: ${storage.kind} (migrated)`)
        const keys = await ensureDemoKeys({ dataDir, now: new Date() })
        say(keys.created ? `keys: created in ${keys.dir}` : `keys: reusing ${keys.dir}`)
        await seedDemo(storage, dataDir, Math.max(1, Math.min(200_000, Number(opts.people) || 3000)))
        const issued = await issueMissing(storage, keys)
        say(`certificates: issued ${issued} new`)
        const signIns = await ensureDemoSignIns(storage, dataDir)
        await serveUntilStopped(storage, {
          env: process.env,
          workers,
          keys: { dir: keys.dir, passphrase: keys.passphrase },
          extra: { demoOutbox: createOutboxTableAdapter(storage.db as never) },
          onListening: (url) => {
            if (opts.json === true) {
              process.stdout.write(JSON.stringify({ url, signIns: signIns ?? null }) + '\n')
              return
            }
            const lines = [`vaxpass is running at ${url}`, `  API docs: ${url}/docs`]
            if (signIns) {
              lines.push('  demo sign-ins (POST /api/staff/sign-in):')
              for (const u of signIns.users) {
                lines.push(`    ${u.username.padEnd(9)} ${u.password}   ${u.role}${u.siteCode ? ` (site ${u.siteCode})` : ''}`)
              }
              lines.push(`  national-app API key (${signIns.apiKey.app}, header X-Api-Key): ${signIns.apiKey.key}`)
              lines.push('  one-time codes of citizen lookups land in the outbox: the Outbox page of the staff console (/staff/#/outbox, as admin)')
            } else {
              lines.push('  sign-ins: accounts already exist (vaxpass users list)')
            }
            process.stdout.write(lines.join('\n') + '\n')
          },
        })
      } finally {
        await storage.close()
      }
    })
}
