import type { Command } from 'commander'
import { once } from 'node:events'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { generatePeople } from '../../domain/seed/generate-people.js'
import type { SeedDefect, SeedOptions, SeedPerson } from '../../domain/seed/generate-people.js'
import {
  DOSES_CSV_HEADER,
  REGISTER_CSV_HEADER,
  SITE_REPORTS_CSV_HEADER,
  doseCsvLine,
  registerCsvLine,
  siteReportCsvLine,
} from '../../domain/seed/seed-csv.js'
import { createSiteReportTally } from '../../domain/seed/tally-site-reports.js'
import { importDoses } from '../../storage/import/import-doses.js'
import { importRegister } from '../../storage/import/import-register.js'
import { openDatabase } from '../../storage/open-database.js'
import { saveSiteReports } from '../../storage/reconciliation/save-site-reports.js'
import { linkDoseRecords } from '../../storage/registry/link-dose-records.js'
import { CliExit } from '../cli-exit.js'

/** Largest --people accepted: the population of Vietnam with room to spare. */
const MAX_PEOPLE = 200_000_000
const CHUNK_CHARS = 1 << 16

interface SeedCounts {
  people: number
  registerRows: number
  dosesAdministered: number
  doseRows: number
  notEntered: number
  defects: Record<SeedDefect, number>
}

function emptyCounts(): SeedCounts {
  return {
    people: 0,
    registerRows: 0,
    dosesAdministered: 0,
    doseRows: 0,
    notEntered: 0,
    defects: {
      name_no_diacritics: 0,
      name_typo: 0,
      dob_wrong: 0,
      id_missing: 0,
      id_typo: 0,
      sex_wrong: 0,
    },
  }
}

/** Register CSV text in chunks of about 64 KiB, from one pass of the generator. */
function* registerChunks(options: SeedOptions): Generator<string> {
  let buf = `${REGISTER_CSV_HEADER}\n`
  for (const p of generatePeople(options)) {
    if (!p.inRegister) continue
    buf += registerCsvLine(p.register)
    if (buf.length >= CHUNK_CHARS) {
      yield buf
      buf = ''
    }
  }
  yield buf
}

/** Dose CSV text (entered doses only) from another pass; counts and tallies as it goes. */
function* doseChunks(
  options: SeedOptions,
  counts: SeedCounts,
  tally: ReturnType<typeof createSiteReportTally>,
): Generator<string> {
  let buf = `${DOSES_CSV_HEADER}\n`
  for (const p of generatePeople(options)) {
    counts.people++
    if (p.inRegister) counts.registerRows++
    buf += enteredDoseLines(p, counts, tally)
    if (buf.length >= CHUNK_CHARS) {
      yield buf
      buf = ''
    }
  }
  yield buf
}

/** CSV lines of one person's entered doses; counts every dose and tallies it by site and day. */
function enteredDoseLines(
  p: SeedPerson,
  counts: SeedCounts,
  tally: ReturnType<typeof createSiteReportTally>,
): string {
  let lines = ''
  for (const d of p.doses) {
    counts.dosesAdministered++
    tally.add(d.row.siteCode, d.row.date)
    if (!d.entered) {
      counts.notEntered++
      continue
    }
    counts.doseRows++
    if (d.defect !== null) counts.defects[d.defect]++
    lines += doseCsvLine(d.row)
  }
  return lines
}

/** A file written in large chunks, waiting for the disk when its buffer is full. */
interface Sink {
  write(chunk: string): Promise<void> | undefined
  end(): Promise<void>
}

function openSink(path: string): Sink {
  const out = createWriteStream(path)
  // One rejection shared by every wait: no listener piles up per chunk.
  const failure = new Promise<never>((_, reject) => out.once('error', reject))
  failure.catch(() => {})
  return {
    write(chunk) {
      return out.write(chunk)
        ? undefined
        : Promise.race([once(out, 'drain').then(() => {}), failure])
    },
    async end() {
      out.end()
      await Promise.race([once(out, 'finish'), failure])
    },
  }
}

async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const sink = openSink(path)
  for (const chunk of chunks) await sink.write(chunk)
  await sink.end()
}

/** register.csv and doses.csv in one pass of the generator (half the work of two passes). */
async function writeSeedCsv(
  dir: string,
  options: SeedOptions,
  counts: SeedCounts,
  tally: ReturnType<typeof createSiteReportTally>,
): Promise<void> {
  const register = openSink(join(dir, 'register.csv'))
  const doses = openSink(join(dir, 'doses.csv'))
  let rbuf = `${REGISTER_CSV_HEADER}\n`
  let dbuf = `${DOSES_CSV_HEADER}\n`
  for (const p of generatePeople(options)) {
    counts.people++
    if (p.inRegister) {
      counts.registerRows++
      rbuf += registerCsvLine(p.register)
    }
    dbuf += enteredDoseLines(p, counts, tally)
    if (rbuf.length >= CHUNK_CHARS) {
      await register.write(rbuf)
      rbuf = ''
    }
    if (dbuf.length >= CHUNK_CHARS) {
      await doses.write(dbuf)
      dbuf = ''
    }
  }
  await register.write(rbuf)
  await doses.write(dbuf)
  await Promise.all([register.end(), doses.end()])
}

function parsePositiveInt(value: string, name: string, max: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    process.stderr.write(`error: ${name} must be an integer from 1 to ${max}\n`)
    throw new CliExit(2)
  }
  return n
}

/**
 * `vaxpass seed --people N [--seed S] [--as-of YYYY-MM-DD] [--csv <dir>] [--no-link] [--json]`:
 * builds a synthetic register and dose history (deterministic for a seed). With `--csv` writes
 * `register.csv`, `doses.csv` (entered doses, the site-export format) and `site-reports.csv`
 * (doses administered per site and day) into the folder; otherwise loads them into the database
 * through the regular imports, stores the site reports and links the doses.
 *
 * @example
 * registerSeed(program) // vaxpass seed --people 100000 --seed 7 --csv ./data/seed
 */
export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('generate a synthetic register and dose history (deterministic for a seed)')
    .requiredOption('--people <n>', 'number of people in the register')
    .option('--seed <s>', 'seed of the generator (same seed, same data)', '1')
    .option('--as-of <date>', 'last day of the dose history (YYYY-MM-DD)', '2022-08-31')
    .option('--csv <dir>', 'write CSV files into this folder instead of loading the database')
    .option('--no-link', 'do not link the loaded doses to the register')
    .option('--json', 'print the summary as JSON')
    .action(
      async (opts: {
        people: string
        seed: string
        asOf: string
        csv?: string
        link: boolean
        json?: boolean
      }) => {
        const people = parsePositiveInt(opts.people, '--people', MAX_PEOPLE)
        if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || Number.isNaN(Date.parse(opts.asOf))) {
          process.stderr.write('error: --as-of must be a date YYYY-MM-DD\n')
          throw new CliExit(2)
        }
        if (opts.asOf < '2021-03-08') {
          process.stderr.write('error: --as-of must not be before 2021-03-08\n')
          throw new CliExit(2)
        }
        const options: SeedOptions = { people, seed: opts.seed, asOf: opts.asOf }
        const counts = emptyCounts()
        const tally = createSiteReportTally()
        const started = performance.now()
        const summary: Record<string, unknown> = {}

        if (opts.csv !== undefined) {
          mkdirSync(opts.csv, { recursive: true })
          await writeSeedCsv(opts.csv, options, counts, tally)
          const reports = tally.reports()
          await writeChunks(join(opts.csv, 'site-reports.csv'), [
            `${SITE_REPORTS_CSV_HEADER}\n`,
            ...reports.map(siteReportCsvLine),
          ])
          summary.siteReports = reports.length
          summary.dir = opts.csv
        } else {
          const storage = await openDatabase(process.env)
          try {
            const enteredBy = `seed:${opts.seed}`
            const progress = (what: string) => (p: { read: number; rowsPerSecond: number }) => {
              if (opts.json !== true) {
                process.stderr.write(
                  `${what}: ${p.read} rows, ${Math.round(p.rowsPerSecond)} rows/s\n`,
                )
              }
            }
            const reg = await importRegister(storage, Readable.from(registerChunks(options)), {
              enteredBy,
              onProgress: progress('register'),
            })
            const doses = await importDoses(
              storage,
              Readable.from(doseChunks(options, counts, tally)),
              { enteredBy, onProgress: progress('doses') },
            )
            const pick = (r: typeof reg) => ({
              read: r.read,
              inserted: r.inserted,
              duplicate: r.duplicate,
              rejected: r.rejected,
            })
            summary.registerImport = pick(reg)
            summary.doseImport = pick(doses)
            summary.siteReports = await saveSiteReports(storage, tally.reports(), {
              reportedBy: enteredBy,
              now: new Date(),
            })
            if (opts.link) summary.link = await linkDoseRecords(storage)
          } finally {
            await storage.close()
          }
        }

        const seconds = (performance.now() - started) / 1000
        const rows = counts.registerRows + counts.doseRows
        const result = {
          ...counts,
          ...summary,
          seconds: Math.round(seconds * 100) / 100,
          rowsPerSecond: Math.round(rows / Math.max(seconds, 1e-6)),
        }
        if (opts.json === true) process.stdout.write(JSON.stringify(result) + '\n')
        else {
          process.stdout.write(
            `${counts.people} people (${counts.registerRows} in the register), ` +
              `${counts.dosesAdministered} doses administered, ${counts.doseRows} entered ` +
              `(${counts.notEntered} not entered), ${String(summary.siteReports)} site reports\n` +
              `defects: ${Object.entries(counts.defects)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}\n`,
          )
          if (summary.doseImport !== undefined) {
            process.stdout.write(
              `register import ${JSON.stringify(summary.registerImport)}, dose import ${JSON.stringify(summary.doseImport)}\n`,
            )
          }
          if (summary.link !== undefined) {
            process.stdout.write(`link ${JSON.stringify(summary.link)}\n`)
          }
          process.stdout.write(
            `${rows} rows in ${result.seconds}s (${result.rowsPerSecond} rows/s)\n`,
          )
        }
      },
    )
}
