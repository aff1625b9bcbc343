import type { Command } from 'commander'
import { importDoses } from '../../storage/import/import-doses.js'
import { linkDoseRecords } from '../../storage/registry/link-dose-records.js'
import { openDatabase } from '../../storage/open-database.js'
import { addImportCommand } from '../import-command.js'

/**
 * `vaxpass doses import <csv> [--rejects f] [--link] [--json]` and `vaxpass doses link [--retry] [--json]`.
 *
 * @example
 * registerDoses(program)
 */
export function registerDoses(program: Command): void {
  const group = program.command('doses').description('dose records')
  addImportCommand(group, 'dose records (site exports)', importDoses, true)
  group
    .command('link')
    .description('link pending dose records to the national register')
    .option('--retry', 'also retry records that failed to link before')
    .option('--json', 'print { processed, byStatus } as JSON')
    .action(async (opts: { retry?: boolean; json?: boolean }) => {
      const storage = await openDatabase(process.env)
      try {
        const r = await linkDoseRecords(storage, { retryUnlinked: opts.retry === true })
        if (opts.json === true) process.stdout.write(JSON.stringify(r) + '\n')
        else {
          const parts = Object.entries(r.byStatus).map(([k, v]) => `${k} ${v}`)
          process.stdout.write(`processed ${r.processed}: ${parts.join(', ')}\n`)
        }
      } finally {
        await storage.close()
      }
    })
}
