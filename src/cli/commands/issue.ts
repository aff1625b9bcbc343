import type { Command } from 'commander'
import { issueAll, type IssueProgress } from '../../issue/issue-all.js'
import { loadIssuingKey, readIssuanceConfig } from '../../issue/load-issuing-key.js'
import { issueCertificate } from '../../storage/certificates/certificate-store.js'
import { openDatabase } from '../../storage/open-database.js'
import { CliExit } from '../cli-exit.js'

function formatDuration(seconds: number): string {
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

function printProgress(p: IssueProgress): void {
  const of = p.total === null ? '' : ` / ${p.total.toLocaleString('en')}`
  const eta = p.etaSeconds === null ? '' : `, ETA ${formatDuration(p.etaSeconds)}`
  process.stderr.write(
    `issue: ${p.processed.toLocaleString('en')}${of} people, ${p.issued.toLocaleString('en')} issued, ` +
      `${Math.round(p.ratePerSecond).toLocaleString('en')}/s${eta}\n`,
  )
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`error: ${name} must be a positive integer\n`)
    throw new CliExit(2)
  }
  return n
}

/**
 * `vaxpass issue --all | --person <cccd>`: issues certificates from linked records; bulk runs
 * use all cores, commit in batches and resume after a crash.
 *
 * @example
 * registerIssue(program)
 */
export function registerIssue(program: Command): void {
  program
    .command('issue')
    .description('issue certificates: --all eligible people (resumable), or one --person')
    .option('--all', 'every eligible person (identity linked, doses recorded)')
    .option('--person <cccd>', 'one person by citizen ID')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--batch-rows <n>', 'batch size in dose rows, two per person: one batch of n/2 people per transaction (default 16000)')
    .option('--no-notify', 'do not queue holder messages')
    .option('--quiet', 'no progress lines')
    .option('--json', 'print the summary as JSON')
    .action(
      async (opts: {
        all?: boolean
        person?: string
        workers?: string
        batchRows?: string
        notify: boolean
        quiet?: boolean
        json?: boolean
      }) => {
        if ((opts.all === true) === (opts.person !== undefined)) {
          process.stderr.write('error: give exactly one of --all or --person <cccd>\n')
          throw new CliExit(2)
        }
        const workers = positiveInt('--workers', opts.workers)
        const batchRows = positiveInt('--batch-rows', opts.batchRows)
        const now = new Date()
        // Unlock the key before touching the database: a wrong passphrase stops here.
        const { key, active } = loadIssuingKey(process.env, now)
        const config = readIssuanceConfig(process.env)
        const storage = await openDatabase(process.env)
        try {
          if (opts.person !== undefined) {
            const r = await issueCertificate(storage, opts.person, {
              key,
              config,
              now,
              actor: 'system:cli',
              notify: opts.notify,
            })
            if (opts.json === true) {
              const c = r.certificate
              process.stdout.write(
                JSON.stringify({ outcome: r.outcome, uvci: c.uvci, status: c.status, iat: c.iat, exp: c.exp, hc1: c.hc1 }) + '\n',
              )
            } else {
              process.stdout.write(`${r.outcome}: ${r.certificate.uvci} (until ${r.certificate.exp})\n${r.certificate.hc1}\n`)
            }
            return
          }
          const summary = await issueAll(storage, {
            key: active,
            config,
            actor: 'system:cli',
            notify: opts.notify,
            ...(workers === undefined ? {} : { workers }),
            ...(batchRows === undefined ? {} : { batchRows }),
            ...(opts.quiet === true ? {} : { onProgress: printProgress }),
          })
          if (opts.json === true) {
            process.stdout.write(JSON.stringify(summary) + '\n')
          } else {
            process.stdout.write(
              `${summary.resumed ? 'resumed run' : 'run'} ${summary.runId}: ${summary.processed} people, ` +
                `${summary.issued} issued (${summary.superseded} superseding), ${summary.unchanged} unchanged, ` +
                `${summary.failed} failed, ${Math.round(summary.ratePerSecond)}/s in ${formatDuration(summary.seconds)}\n`,
            )
            for (const [code, n] of Object.entries(summary.failuresByCode)) {
              process.stdout.write(`  ${code}: ${n}\n`)
            }
          }
        } finally {
          await storage.close()
        }
      },
    )
}
