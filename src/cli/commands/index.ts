import type { Command } from 'commander'
import { registerCertificates } from './certificates.js'
import { registerDb } from './db.js'
import { registerDecode } from './decode.js'
import { registerDoses } from './doses.js'
import { registerIssue } from './issue.js'
import { registerKeys } from './keys.js'
import { registerOutbox } from './outbox.js'
import { registerReconcile } from './reconcile.js'
import { registerRegister } from './register.js'
import { registerServe } from './serve.js'
import { registerSeed } from './seed.js'
import { registerSign } from './sign.js'
import { registerStart } from './start.js'
import { registerTestdata } from './testdata.js'
import { registerTrust } from './trust.js'
import { registerUsers } from './users.js'
import { registerVerify } from './verify.js'

/**
 * Every command group of the CLI registers itself here: one file per group under
 * `src/cli/commands/`, exporting `registerXxx(program)`. Add one import and one entry.
 */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerDb,
  registerRegister,
  registerDoses,
  registerVerify,
  registerDecode,
  registerSign,
  registerTestdata,
  registerTrust,
  registerUsers,
  registerServe,
  registerStart,
  registerKeys,
  registerOutbox,
  registerIssue,
  registerCertificates,
  registerSeed,
  registerReconcile,
]
