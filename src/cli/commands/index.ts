import type { Command } from 'commander'

/**
 * Every command group of the CLI registers itself here: one file per group under
 * `src/cli/commands/`, exporting `registerXxx(program)`. Add one import and one entry.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
]
