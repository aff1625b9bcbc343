import type { Storage } from '../storage.js'

/** An e-mail to send. */
export interface EmailMessage {
  readonly to: string
  readonly subject: string
  readonly body: string
}

/** An SMS to send. */
export interface SmsMessage {
  readonly to: string
  readonly body: string
}

/** Sends e-mail (an SMTP relay or a provider's API stands behind it). Throws on failure. */
export interface EmailAdapter {
  readonly name: string
  sendEmail(message: EmailMessage): Promise<void>
}

/** Sends SMS (a carrier gateway stands behind it). Throws on failure. */
export interface SmsAdapter {
  readonly name: string
  sendSms(message: SmsMessage): Promise<void>
}

/** The adapters {@link deliverOutbox} uses, one per channel. */
export interface OutboxAdapters {
  readonly email: EmailAdapter
  readonly sms: SmsAdapter
}

/** The default e-mail adapter: nothing leaves the machine; the outbox table keeps the message. */
export const TABLE_EMAIL_ADAPTER: EmailAdapter = Object.freeze({ name: 'table', sendEmail: async () => {} })
/** The default SMS adapter: nothing leaves the machine; the outbox table keeps the message. */
export const TABLE_SMS_ADAPTER: SmsAdapter = Object.freeze({ name: 'table', sendSms: async () => {} })

/**
 * The default adapters: nothing leaves the machine; messages are kept in the outbox table
 * (status `stored`) for the operator page to show. Real gateways: outboxAdaptersFromEnv.
 */
export const TABLE_OUTBOX_ADAPTERS: OutboxAdapters = Object.freeze({
  email: TABLE_EMAIL_ADAPTER,
  sms: TABLE_SMS_ADAPTER,
})

/**
 * True when the adapter of `channel` only keeps messages in the table.
 *
 * @example
 * keepsInTable(TABLE_OUTBOX_ADAPTERS, 'sms') // true
 */
export function keepsInTable(adapters: OutboxAdapters, channel: 'email' | 'sms'): boolean {
  return channel === 'email' ? adapters.email === TABLE_EMAIL_ADAPTER : adapters.sms === TABLE_SMS_ADAPTER
}

/** One outbox message as the page shows it. */
export interface OutboxMessage {
  readonly id: number
  readonly channel: 'email' | 'sms'
  readonly recipient: string
  readonly template: string
  readonly body: string
  readonly status: string
  readonly personCccd: string | null
  readonly uvci: string | null
  readonly createdAt: string
  readonly sentAt: string | null
}

/** Delivery attempts of one outbox message before it stays `failed`. */
export const OUTBOX_MAX_ATTEMPTS = 6
/** Wait before the first retry; each further retry waits twice as long (1, 2, 4, 8, 16 min). */
export const OUTBOX_RETRY_BASE_MS = 60_000

/**
 * Hands pending outbox messages that are due to the adapters, oldest first, and records the
 * outcome: `sent` (or `stored` with the default table adapters); a message the gateway refuses
 * is tried again later, 1, 2, 4, 8 and 16 minutes on, and stays `failed` after
 * {@link OUTBOX_MAX_ATTEMPTS} attempts. One message failing does not stop the others.
 *
 * @example
 * const r = await deliverOutbox(storage, TABLE_OUTBOX_ADAPTERS, { now: new Date() })
 */
export async function deliverOutbox(
  storage: Storage,
  adapters: OutboxAdapters,
  options: { now: Date; limit?: number },
): Promise<{ sent: number; failed: number }> {
  const pending = await storage.db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', options.now.toISOString())]))
    .orderBy('id')
    .limit(options.limit ?? 1000)
    .execute()
  let sent = 0
  let failed = 0
  for (const m of pending) {
    try {
      if (m.channel === 'email') {
        await adapters.email.sendEmail({ to: m.recipient, subject: subjectOf(m.template), body: m.body })
      } else {
        await adapters.sms.sendSms({ to: m.recipient, body: m.body })
      }
      const status = keepsInTable(adapters, m.channel === 'email' ? 'email' : 'sms') ? 'stored' : 'sent'
      sent++
      await storage.db
        .updateTable('outbox')
        .set({ status, sent_at: options.now.toISOString(), next_attempt_at: null })
        .where('id', '=', m.id)
        .execute()
    } catch {
      failed++
      const attempts = Number(m.attempts) + 1
      const retryAt = new Date(options.now.getTime() + OUTBOX_RETRY_BASE_MS * 2 ** (attempts - 1))
      await storage.db
        .updateTable('outbox')
        .set(
          attempts >= OUTBOX_MAX_ATTEMPTS
            ? { status: 'failed', attempts, next_attempt_at: null }
            : { attempts, next_attempt_at: retryAt.toISOString() },
        )
        .where('id', '=', m.id)
        .execute()
    }
  }
  return { sent, failed }
}

function subjectOf(template: string): string {
  if (template === 'certificate.revoked') return 'Chứng nhận tiêm chủng đã bị thu hồi / Certificate revoked'
  if (template === 'certificate.renewed') return 'Chứng nhận tiêm chủng đã được cấp lại / Certificate renewed'
  return 'Chứng nhận tiêm chủng COVID-19 / COVID-19 vaccination certificate'
}

/**
 * Outbox messages, newest first, for the operator page (optionally of one person or status).
 *
 * @example
 * const page = await listOutboxMessages(storage, { limit: 50 })
 */
export async function listOutboxMessages(
  storage: Storage,
  options: { limit?: number; beforeId?: number; personCccd?: string; status?: string } = {},
): Promise<OutboxMessage[]> {
  let q = storage.db
    .selectFrom('outbox')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(500, Math.max(1, options.limit ?? 50)))
  if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId)
  if (options.personCccd !== undefined) q = q.where('person_cccd', '=', options.personCccd)
  if (options.status !== undefined) q = q.where('status', '=', options.status)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: Number(r.id),
    channel: r.channel as 'email' | 'sms',
    recipient: r.recipient,
    template: r.template,
    body: r.body,
    status: r.status,
    personCccd: r.person_cccd,
    uvci: r.uvci,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }))
}
