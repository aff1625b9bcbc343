import type { Command } from 'commander'
import { importRegister } from '../../storage/import/import-register.js'
import { addImportCommand } from '../import-command.js'

/**
 * `vaxpass register import <csv> [--rejects f] [--json]`: loads a national register snapshot.
 *
 * @example
 * registerRegister(program)
 */
export function registerRegister(program: Command): void {
  const group = program.command('register').description('the national population register snapshot')
  addImportCommand(group, 'a register snapshot', importRegister)
}
