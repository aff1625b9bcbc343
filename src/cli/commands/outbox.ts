import type { Command } from 'commander'
import { isVaxpassError } from '../../core/errors.js'
import { deliverOutbox } from '../../storage/certificates/outbox.js'
import { outboxAdaptersFromEnv } from '../../storage/delivery/outbox-adapters-from-env.js'
import { openDatabase } from '../../storage/open-database.js'
import { CliExit } from '../cli-exit.js'

/**
 * `vaxpass outbox deliver [--retry-failed] [--json]`: hands every pending outbox message
 * (revocation and renewal notices) to the SMS and e-mail gateways of the environment
 * (VAXPASS_SMTP_URL, VAXPASS_SMS_URL: see the README), for a scheduler to run; `serve` does the
 * same every 30 s. A channel without a gateway keeps its messages in the table (`stored`). A
 * refused message is tried again by later runs (1 to 16 minutes on) and stays `failed` after
 * its last attempt; `--retry-failed` first puts those back in the queue. Exit 1 when any
 * attempt failed.
 *
 * @example
 * registerOutbox(program)
 */
export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('messages to certificate holders')
  outbox
    .command('deliver')
    .description('send pending messages through the configured SMS and e-mail gateways')
    .option('--retry-failed', 'queue messages that failed again first')
    .option('--json', 'print { "sent", "failed" } as JSON')
    .action(async (opts: { retryFailed?: boolean; json?: boolean }) => {
      let delivery
      try {
        delivery = outboxAdaptersFromEnv(process.env)
      } catch (err) {
        if (!isVaxpassError(err)) throw err
        process.stderr.write(`error: ${err.message} (${err.code})\n`)
        throw new CliExit(2)
      }
      const storage = await openDatabase(process.env)
      const total = { sent: 0, failed: 0 }
      try {
        if (opts.retryFailed === true) {
          await storage.db
            .updateTable('outbox')
            .set({ status: 'pending', attempts: 0, next_attempt_at: null })
            .where('status', '=', 'failed')
            .execute()
        }
        for (;;) {
          const round = await deliverOutbox(storage, delivery.adapters, { now: new Date(), limit: 500 })
          total.sent += round.sent
          total.failed += round.failed
          if (round.sent + round.failed < 500) break
        }
      } finally {
        delivery.close()
        await storage.close()
      }
      process.stdout.write(
        opts.json === true ? JSON.stringify(total) + '\n' : `delivered ${total.sent}, failed ${total.failed}\n`,
      )
      if (total.failed > 0) throw new CliExit(1)
    })
}
