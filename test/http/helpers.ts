import { Writable } from 'node:stream'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { createToken } from '../../src/domain/users/create-token.js'
import type { Role } from '../../src/domain/users/roles.js'
import type { CertificateService, CertificateSummary, Outbox, OutboxMessage } from '../../src/http/app-deps.js'
import { openDatabase } from '../../src/storage/open-database.js'
import type { Storage } from '../../src/storage/storage.js'
import { asAuthDb } from '../../src/storage/users/auth-tables.js'
import { insertSession } from '../../src/storage/users/session-store.js'
import { insertUser } from '../../src/storage/users/user-store.js'

export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The backends every HTTP suite runs against. */
export const BACKENDS = ['sqlite', 'postgres'] as const

/**
 * A fresh, migrated database: SQLite in memory, or a PostgreSQL schema of its own (dropped by
 * `drop`).
 */
export async function openTestStorage(
  kind: (typeof BACKENDS)[number],
  name: string,
): Promise<{ storage: Storage; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const storage = await openDatabase({ DATABASE_URL: ':memory:' })
    return { storage, drop: () => storage.close() }
  }
  const schema = `h_${name}_${process.pid}_${Math.floor(Math.random() * 1e6)}`
  const storage = await openDatabase({ DATABASE_URL: `${PG_URL}?schema=${schema}` })
  return {
    storage,
    drop: async () => {
      await storage.close()
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
}

/** A staff account with a live session, without the cost of scrypt (the sign-in test covers it). */
export async function staffSession(
  db: Kysely<any>,
  username: string,
  role: Role,
  now: Date,
  siteCode: string | null = role === 'site_staff' ? 'S-TEST' : null,
): Promise<string> {
  const adb = asAuthDb(db)
  const user = await insertUser(adb, { username, role, siteCode }, 'scrypt$1$1$1$AA$AA', now)
  const { token, hash } = createToken()
  await insertSession(adb, hash, { kind: 'staff', userId: user.id, expiresAt: new Date(now.getTime() + 3600_000) }, now)
  return token
}

/** The outbox as a list (the port's smallest real implementation). */
export class MemoryOutbox implements Outbox {
  readonly sent: OutboxMessage[] = []
  async enqueue(message: OutboxMessage): Promise<void> {
    this.sent.push(message)
  }
}

/** Certificates kept in a map, for the HTTP contract tests of ownership and API keys. */
export function memoryCertificates(certs: CertificateSummary[], idNumbers: Record<string, string>): CertificateService {
  return {
    async findCurrentByPerson(personId) {
      return certs.find((c) => c.personId === personId && c.status === 'active')
    },
    async findCurrentByIdNumber(idNumber) {
      const personId = idNumbers[idNumber]
      return certs.find((c) => c.personId === personId && c.status === 'active')
    },
    async findByUvci(uvci) {
      return certs.find((c) => c.uvci === uvci)
    },
    async issueForPerson(personId) {
      const c = certs.find((x) => x.personId === personId)
      if (!c) throw new Error('none')
      return c
    },
    async renewExpiring() {
      return { renewed: 0 }
    },
    async revoke(uvci) {
      const c = certs.find((x) => x.uvci === uvci)
      if (!c) throw new Error('none')
      return { ...c, status: 'revoked' }
    },
  }
}

/** A writable that keeps every log line, to assert what the server wrote. */
export class LogCapture extends Writable {
  text = ''
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8')
    cb()
  }
}
