import type { Kysely } from 'kysely'

/** One message to a holder, as the citizen lookup sends it. */
export interface OutboxTableMessage {
  readonly channel: 'sms' | 'email'
  readonly to: string
  readonly subject: string
  readonly body: string
}

/**
 * The citizen lookup's outbox port over the issuance `outbox` table (template `citizen.otp`).
 * The default deployment keeps messages there for a page to show; real SMS and e-mail adapters
 * read the same table.
 *
 * @example
 * const outbox = createOutboxTableAdapter(storage.db)
 * await outbox.enqueue({ channel: 'sms', to: '+8491...', subject: 'code', body: '...' }, now)
 */
export function createOutboxTableAdapter(db: Kysely<any>): {
  enqueue(message: OutboxTableMessage, now: Date): Promise<void>
  /** Stores a message already handed to a gateway (`sent`) or refused by it (`failed`). */
  record(message: OutboxTableMessage, now: Date, status: 'sent' | 'failed'): Promise<void>
  recent(limit: number): Promise<Array<{ channel: string; to: string; template: string; body: string; createdAt: string }>>
} {
  return {
    async recent(limit) {
      const rows = await db
        .selectFrom('outbox')
        .select(['channel', 'recipient', 'template', 'body', 'created_at'])
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.map((r) => ({
        channel: String(r.channel),
        to: String(r.recipient),
        template: String(r.template),
        body: String(r.body),
        createdAt: String(r.created_at),
      }))
    },
    // The table is where such a message goes: `stored` at once, never queued for a gateway
    // configured later (which would send an expired code).
    enqueue: (message, now) => insertOtpMessage(db, message, now, 'stored'),
    record: (message, now, status) => insertOtpMessage(db, message, now, status),
  }
}

async function insertOtpMessage(
  db: Kysely<any>,
  message: OutboxTableMessage,
  now: Date,
  status: 'stored' | 'sent' | 'failed',
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      channel: message.channel,
      recipient: message.to,
      template: 'citizen.otp',
      body: message.body,
      status,
      person_cccd: null,
      uvci: null,
      created_at: now.toISOString(),
      sent_at: status === 'failed' ? null : now.toISOString(),
    })
    .execute()
}
