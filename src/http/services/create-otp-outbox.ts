import type { Kysely } from 'kysely'
import { keepsInTable, type OutboxAdapters } from '../../storage/certificates/outbox.js'
import { createOutboxTableAdapter } from '../../storage/users/outbox-table-adapter.js'
import type { Outbox, OutboxMessage } from '../app-deps.js'

/** What the stored copy of a code message says once a gateway has sent it. */
export const WITHHELD_CODE_BODY = 'vaxpass: one-time code sent (the code is not stored)'

/**
 * The outbox of one-time codes. On a channel with the default table adapter (the demo: nothing
 * leaves the machine) the message, code included, is kept in the `outbox` table, since that
 * table is the only way the code reaches anyone. With a real SMS or e-mail adapter it is sent at once
 * and only a record that a code was sent is stored: the code itself never reaches the database
 * (its salted hash is in `otp_challenges`). A send that fails is recorded as `failed` and not
 * retried (the citizen asks again); the lookup's answer does not change, so it tells nothing.
 *
 * @example
 * const outbox = createOtpOutbox(storage.db, { email: smtp, sms: gateway })
 * await outbox.enqueue({ channel: 'sms', to: '+8491...', subject: 'vaxpass code', body }, now)
 */
export function createOtpOutbox(db: Kysely<any>, adapters: OutboxAdapters): Outbox & { readonly storesCodes: boolean } {
  const table = createOutboxTableAdapter(db)
  return {
    storesCodes: keepsInTable(adapters, 'sms') || keepsInTable(adapters, 'email'),
    async enqueue(message: OutboxMessage, now: Date) {
      if (keepsInTable(adapters, message.channel)) return table.enqueue(message, now)
      let status: 'sent' | 'failed' = 'sent'
      try {
        if (message.channel === 'sms') await adapters.sms.sendSms({ to: message.to, body: message.body })
        else await adapters.email.sendEmail({ to: message.to, subject: message.subject, body: message.body })
      } catch {
        status = 'failed'
      }
      await table.record({ ...message, body: WITHHELD_CODE_BODY }, now, status)
    },
  }
}
