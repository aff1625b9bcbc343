import { Command, CommanderError } from 'commander'
import { VaxpassError } from '../core/errors.js'
import { commandRegistrations } from './commands/index.js'
import { CliExit } from './cli-exit.js'

/**
 * Runs the `vaxpass` command line and returns the process exit status:
 * 0 success (or a valid certificate), 1 failure (or an invalid certificate), 2 usage error.
 *
 * Never prints a stack trace: errors are printed as `error [CODE]: message`.
 *
 * @example
 * process.exitCode = await main(['verify', 'HC1:...', '--json'])
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('vaxpass')
    .description('vaxpass: national electronic Covid-19 vaccination certificates (EU DCC)')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
  for (const register of commandRegistrations) register(program)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    return exitStatusFor(err)
  }
}

function exitStatusFor(err: unknown): number {
  if (err instanceof CliExit) return err.status
  if (err instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    if (err.exitCode === 0) return 0
    return 2
  }
  if (err instanceof VaxpassError) {
    process.stderr.write(`error [${err.code}]: ${err.message}\n`)
    return 1
  }
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`error [ERR_INTERNAL]: ${message}\n`)
  return 1
}

// Run when executed directly (node dist/cli/main.js ...), not when imported.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2))
}
