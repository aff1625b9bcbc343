import type { Command } from 'commander'
import type { ReconciliationCounts } from '../../domain/reconciliation/summarise-reconciliation.js'
import { openDatabase } from '../../storage/open-database.js'
import { loadReconciliation } from '../../storage/reconciliation/load-reconciliation.js'

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
 * `vaxpass reconcile [--sites] [--json]`: doses reported administered vs. entered vs. linked vs.
 * certifiable, per province (and per site with `--sites`; always in `--json`), and the people
 * whose records fail identity linkage, by reason.
 *
 * @example
 * registerReconcile(program)
 */
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('administered vs. entered vs. linked vs. certifiable doses, per province and site')
    .option('--sites', 'also list every site')
    .option('--json', 'print the whole report as JSON')
    .action(async (opts: { sites?: boolean; json?: boolean }) => {
      const storage = await openDatabase(process.env)
      try {
        const report = await loadReconciliation(storage)
        if (opts.json === true) {
          process.stdout.write(JSON.stringify(report) + '\n')
          return
        }
        const out: string[] = []
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
