import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { CliExit } from './cli-exit.js'
import type { ImportOptions, ImportProgress, ImportResult } from '../storage/import/import-types.js'
import { openDatabase } from '../storage/open-database.js'
import type { Storage } from '../storage/storage.js'

type Importer = (
  storage: Storage,
  input: string,
  options: ImportOptions & { link?: boolean },
) => Promise<ImportResult>

function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?'
  const m = Math.floor(s / 60)
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`
}

function printProgress(p: ImportProgress): void {
  const pct = p.totalBytes ? ` ${((100 * p.bytes) / p.totalBytes).toFixed(1)}%` : ''
  process.stderr.write(
    `${p.read} rows${pct}  ${Math.round(p.rowsPerSecond)} rows/s  ETA ${formatEta(p.etaSeconds)}` +
      `  (inserted ${p.inserted}, duplicate ${p.duplicate}, rejected ${p.rejected})\n`,
  )
}

/**
 * Adds `import <csv> [--rejects f] [--batch-size n] [--json]` to a command group. Progress goes
 * to stderr; stdout gets the summary (`--json`: exactly `{ read, inserted, duplicate, rejected }`).
 * No personal data is printed: rows are identified by number only.
 *
 * @example
 * addImportCommand(program.command('doses'), 'dose records', importDoses)
 */
export function addImportCommand(
  group: Command,
  what: string,
  run: Importer,
  canLink = false,
): void {
  const cmd = group
    .command('import')
    .description(`import ${what} from CSV (resumes an interrupted import of the same file)`)
    .argument('<csv>', 'CSV file')
    .option('--rejects <file>', 'write rejected rows with a reason column to this CSV')
    .option('--batch-size <n>', 'rows per committed batch', '20000')
    .option('--json', 'print only the summary as JSON')
  if (canLink) cmd.option('--link', 'link each row to the register as it is stored')
  cmd.action(
    async (
      csv: string,
      opts: { rejects?: string; batchSize: string; json?: boolean; link?: boolean },
    ) => {
      const batchSize = Number(opts.batchSize)
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        process.stderr.write('error: --batch-size must be a positive integer\n')
        throw new CliExit(2)
      }
      if (!existsSync(csv)) {
        process.stderr.write(`error: no such file: ${csv}\n`)
        throw new CliExit(2)
      }
      const storage = await openDatabase(process.env)
      try {
        const r = await run(storage, csv, {
          batchSize,
          link: opts.link === true,
          ...(opts.rejects === undefined ? {} : { rejectsPath: opts.rejects }),
          onProgress: process.stderr.isTTY || opts.json !== true ? printProgress : () => {},
          enteredBy: `cli:${process.env.USER ?? 'unknown'}`,
        })
        const summary = {
          read: r.read,
          inserted: r.inserted,
          duplicate: r.duplicate,
          rejected: r.rejected,
        }
        if (opts.json === true) process.stdout.write(JSON.stringify(summary) + '\n')
        else {
          if (r.resumedFromRow > 0) {
            process.stdout.write(`resumed after row ${r.resumedFromRow} (job ${r.jobId})\n`)
          }
          process.stdout.write(
            `read ${summary.read}, inserted ${summary.inserted}, duplicate ${summary.duplicate}, rejected ${summary.rejected}\n`,
          )
        }
      } finally {
        await storage.close()
      }
    },
  )
}
