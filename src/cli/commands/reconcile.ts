import type { Command } from 'commander'
import type { ReconciliationCounts } from '../../domain/reconciliation/summarise-reconciliation.js'
import { openDatabase } from '../../storage/open-database.js'
import { existsSync } from 'node:fs'
import { loadReconciliation } from '../../storage/reconciliation/load-reconciliation.js'
import { importSiteReports } from '../../storage/reconciliation/import-site-reports.js'
import { CliExit } from '../cli-exit.js'

function pct(share: number | null): string {
  return share === null ? '-' : `${(100 * share).toFixed(1)}%`
}

function line(label: string, c: ReconciliationCounts): string {
  return (
    `${label.padEnd(26)} ${String(c.administered).padStart(11)} ${String(c.entered).padStart(11)} ` +
    `${String(c.notEntered).padStart(9)} ${pct(c.enteredShare).padStart(7)} ${String(c.linked).padStart(11)} ` +
    `${pct(c.linkedShare).padStart(7)} ${String(c.certifiable).padStart(11)} ${String(c.pending).padStart(9)}\n`
  )
}

/**
 * `vaxpass reconcile [--reports <csv>] [--sites] [--json]`: doses reported administered vs.
 * entered vs. linked vs. certifiable, per province (and per site with `--sites`; always in
 * `--json`), and the people whose records fail identity linkage, by reason. `--reports` first
 * loads sites' daily totals (`site_code,date,doses_administered`).
 *
 * @example
 * registerReconcile(program)
 */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('administered vs. entered vs. linked vs. certifiable doses, per province and site')
    .option('--reports <csv>', 'first load site daily reports (site_code,date,doses_administered)')
    .option('--sites', 'also list every site')
    .option('--json', 'print the whole report as JSON')
    .action(async (opts: { reports?: string; sites?: boolean; json?: boolean }) => {
      if (opts.reports !== undefined && !existsSync(opts.reports)) {
        process.stderr.write(`error: no such file: ${opts.reports}\n`)
        throw new CliExit(2)
      }
      const storage = await openDatabase(process.env)
      try {
        const imported =
          opts.reports === undefined
            ? undefined
            : await importSiteReports(storage, opts.reports, {
                reportedBy: `cli:${process.env.USER ?? 'unknown'}`,
                now: new Date(),
              })
        const report = await loadReconciliation(storage)
        if (opts.json === true) {
          process.stdout.write(
            JSON.stringify(imported === undefined ? report : { ...report, imported }) + '\n',
          )
          return
        }
        const out: string[] = []
        if (imported !== undefined) {
          out.push(
            `site reports: read ${imported.read}, saved ${imported.saved}, rejected ${imported.rejected}\n`,
          )
        }
        out.push(
          `${'province'.padEnd(26)} ${'administered'.padStart(11)} ${'entered'.padStart(11)} ` +
            `${'missing'.padStart(9)} ${'share'.padStart(7)} ${'linked'.padStart(11)} ${'share'.padStart(7)} ` +
            `${'certifiable'.padStart(11)} ${'pending'.padStart(9)}\n`,
        )
        for (const p of report.provinces)
          out.push(line(`${p.provinceCode} ${p.name}`.slice(0, 26), p))
        if (opts.sites === true) {
          for (const s of report.sites) out.push(line(`  ${s.siteCode}`, s))
        }
        out.push(line('total', report.totals))
        out.push(
          `people with mismatches: ${Object.entries(report.mismatchedPeople)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}\n`,
        )
        process.stdout.write(out.join(''))
      } finally {
        await storage.close()
      }
    })
}
