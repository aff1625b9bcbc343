import type { Command } from 'commander'
import { loadIssuingKey, readIssuanceConfig } from '../../issue/load-issuing-key.js'
import {
  CERTIFICATE_STATUSES,
  countCertificatesByStatus,
  expireCertificates,
  exportCertificates,
  getCertificate,
  renewCertificates,
  revokeCertificate,
  type CertificateStatus,
} from '../../storage/certificates/certificate-store.js'
import { loadRevocationList } from '../../storage/certificates/load-revocation-list.js'
import { openDatabase } from '../../storage/open-database.js'
import type { Storage } from '../../storage/storage.js'
import { CliExit } from '../cli-exit.js'

async function withStorage<T>(fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openDatabase(process.env)
  try {
    return await fn(storage)
  } finally {
    await storage.close()
  }
}

let stdoutClosed = false

/**
 * Writes a line and waits when stdout is full, so a big export stays in constant memory.
 * Returns false once the reader has gone away (`| head`), so the export stops quietly.
 */
async function writeLine(line: string): Promise<boolean> {
  if (stdoutClosed) return false
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') stdoutClosed = true
    })
  }
  if (!process.stdout.write(line + '\n')) {
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('drain', done)
        process.stdout.off('error', done)
        resolve()
      }
      process.stdout.once('drain', done)
      process.stdout.once('error', done)
    })
  }
  return !stdoutClosed
}

/**
 * `vaxpass certificates export|stats|renew|expire|revoke|show|revocation-list`.
 *
 * @example
 * registerCertificates(program)
 */
export function registerCertificates(program: Command): void {
  const certs = program.command('certificates').description('issued certificates: audit, renew, revoke')

  certs
    .command('export')
    .description('one JSON line per certificate: uvci, person, status, iat, exp, hc1')
    .option('--status <status>', `only this status (${CERTIFICATE_STATUSES.join(', ')})`)
    .option('--json', 'JSON lines (the only format)')
    .action(async (opts: { status?: string }) => {
      if (opts.status !== undefined && !CERTIFICATE_STATUSES.includes(opts.status as CertificateStatus)) {
        process.stderr.write(`error: --status must be one of ${CERTIFICATE_STATUSES.join(', ')}\n`)
        throw new CliExit(2)
      }
      await withStorage(async (storage) => {
        const options = opts.status === undefined ? {} : { status: opts.status as CertificateStatus }
        for await (const c of exportCertificates(storage, options)) {
          if (!(await writeLine(JSON.stringify(c)))) break
        }
      })
    })

  certs
    .command('stats')
    .description('counts of certificates by status')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const counts = await withStorage((storage) => countCertificatesByStatus(storage))
      if (opts.json === true) {
        process.stdout.write(JSON.stringify(counts) + '\n')
      } else {
        for (const [k, v] of Object.entries(counts)) process.stdout.write(`${k.padEnd(10)} ${v}\n`)
      }
    })

  certs
    .command('renew')
    .description('re-issue active certificates expiring within --before days')
    .requiredOption('--before <days>', 'days before expiry')
    .option('--no-notify', 'do not queue holder messages')
    .option('--json', 'print JSON')
    .action(async (opts: { before: string; notify: boolean; json?: boolean }) => {
      const days = Number(opts.before)
      if (!Number.isFinite(days) || days < 0) {
        process.stderr.write('error: --before must be a number of days >= 0\n')
        throw new CliExit(2)
      }
      const now = new Date()
      const { key } = loadIssuingKey(process.env, now)
      const config = readIssuanceConfig(process.env)
      const result = await withStorage((storage) =>
        renewCertificates(storage, { key, config, now, actor: 'system:cli', beforeDays: days, notify: opts.notify }),
      )
      if (opts.json === true) {
        process.stdout.write(JSON.stringify({ renewed: result.renewed, failed: result.failed }) + '\n')
      } else {
        process.stdout.write(`renewed ${result.renewed}, failed ${result.failed}\n`)
      }
      if (result.failed > 0) process.exitCode = 1
    })

  certs
    .command('expire')
    .description('mark active certificates past their expiry as expired')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const expired = await withStorage((storage) =>
        expireCertificates(storage, { now: new Date(), actor: 'system:cli' }),
      )
      if (opts.json === true) process.stdout.write(JSON.stringify({ expired }) + '\n')
      else process.stdout.write(`expired ${expired}\n`)
    })

  certs
    .command('revoke <uvci>')
    .description('revoke a certificate by UVCI, with a reason')
    .requiredOption('--reason <text>', 'why (kept in the history)')
    .option('--json', 'print JSON')
    .action(async (uvci: string, opts: { reason: string; json?: boolean }) => {
      const c = await withStorage((storage) =>
        revokeCertificate(storage, uvci, opts.reason, { now: new Date(), actor: 'system:cli' }),
      )
      if (opts.json === true) {
        process.stdout.write(JSON.stringify({ uvci: c.uvci, status: c.status, revokedAt: c.revokedAt }) + '\n')
      } else {
        process.stdout.write(`revoked ${c.uvci}\n`)
      }
    })

  certs
    .command('show <uvci>')
    .description('one certificate with its status')
    .option('--json', 'print JSON')
    .action(async (uvci: string, opts: { json?: boolean }) => {
      const c = await withStorage((storage) => getCertificate(storage, uvci))
      if (c === undefined) {
        if (opts.json === true) process.stdout.write(JSON.stringify({ found: false }) + '\n')
        else process.stderr.write('no certificate with this UVCI\n')
        process.exitCode = 1
        return
      }
      if (opts.json === true) process.stdout.write(JSON.stringify(c) + '\n')
      else process.stdout.write(`${c.uvci} ${c.status} ${c.iat} .. ${c.exp} kid ${c.kid}\n${c.hc1}\n`)
    })

  certs
    .command('revocation-list')
    .description('print the EU DCC revocation list (UCI, COUNTRYCODEUCI, SIGNATURE hashes)')
    .option('--json', 'print JSON (the default)')
    .action(async () => {
      const list = await withStorage((storage) =>
        loadRevocationList(storage, { country: process.env.VAXPASS_COUNTRY || 'VN', now: new Date() }),
      )
      process.stdout.write(JSON.stringify(list) + '\n')
    })
}
