import type { Command } from 'commander'
import { migrateToLatest } from '../../storage/migrations/migrate-to-latest.js'
import { openDatabase } from '../../storage/open-database.js'

/**
 * `vaxpass db migrate [--json]`: creates the database named by DATABASE_URL (default
 * ./data/vaxpass.db) and applies pending migrations.
 *
 * @example
 * registerDb(program)
 */
export function registerDb(program: Command): void {
  const db = program.command('db').description('database administration (DATABASE_URL)')
  db.command('migrate')
    .description('create the database if needed and apply pending migrations')
    .option('--json', 'print { kind, applied } as JSON')
    .action(async (opts: { json?: boolean }) => {
      const storage = await openDatabase(process.env, { migrate: false })
      try {
        const applied = await migrateToLatest(storage)
        if (opts.json === true) {
          process.stdout.write(JSON.stringify({ kind: storage.kind, applied }) + '\n')
        } else {
          process.stdout.write(
            applied.length === 0
              ? `${storage.kind}: schema up to date\n`
              : `${storage.kind}: applied ${applied.join(', ')}\n`,
          )
        }
      } finally {
        await storage.close()
      }
    })
}
