import { readFileSync } from 'node:fs'
import { VaxpassError } from '../../core/errors.js'
import { TABLE_EMAIL_ADAPTER, TABLE_SMS_ADAPTER, type OutboxAdapters } from '../certificates/outbox.js'
import { createHttpSmsAdapter } from './http-sms-adapter.js'
import { createSmtpEmailAdapter } from './smtp-email-adapter.js'

/** The delivery adapters the environment configures, and how to close them. */
export interface ConfiguredDelivery {
  readonly adapters: OutboxAdapters
  /** True when a channel has no gateway: its messages (one-time codes too) stay in the table. */
  readonly storesCodes: boolean
  /** True when at least one channel has a gateway: pending messages should be delivered. */
  readonly sends: boolean
  close(): void
}

/**
 * The SMS and e-mail gateways of the environment; a channel without one keeps its messages in
 * the outbox table (the demo's default).
 * - e-mail: `VAXPASS_SMTP_URL` (`smtps://user:password@relay:465`, or `smtp://...` with
 *   STARTTLS) and `VAXPASS_MAIL_FROM`;
 * - SMS: `VAXPASS_SMS_URL` (the gateway's https endpoint), `VAXPASS_SMS_TOKEN` or
 *   `VAXPASS_SMS_TOKEN_FILE`, and optionally `VAXPASS_SMS_SENDER` (the brand name).
 * Throws `ERR_DELIVERY_CONFIG` for a half-given or malformed setting, so that a server never
 * starts believing it sends when it cannot.
 *
 * @example
 * const delivery = outboxAdaptersFromEnv(process.env)
 */
export function outboxAdaptersFromEnv(env: Readonly<Record<string, string | undefined>>): ConfiguredDelivery {
  const smtpUrl = env.VAXPASS_SMTP_URL
  const from = env.VAXPASS_MAIL_FROM
  if (smtpUrl && !from) throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMTP_URL needs VAXPASS_MAIL_FROM (the sender)')
  const email = smtpUrl && from ? createSmtpEmailAdapter({ url: smtpUrl, from }) : undefined

  const smsUrl = env.VAXPASS_SMS_URL
  const sms = smsUrl
    ? createHttpSmsAdapter({
        url: smsUrl,
        token: smsToken(env),
        ...(env.VAXPASS_SMS_SENDER ? { sender: env.VAXPASS_SMS_SENDER } : {}),
      })
    : undefined

  return {
    adapters: { email: email ?? TABLE_EMAIL_ADAPTER, sms: sms ?? TABLE_SMS_ADAPTER },
    storesCodes: email === undefined || sms === undefined,
    sends: email !== undefined || sms !== undefined,
    close: () => email?.close(),
  }
}

function smsToken(env: Readonly<Record<string, string | undefined>>): string {
  if (env.VAXPASS_SMS_TOKEN) return env.VAXPASS_SMS_TOKEN
  const file = env.VAXPASS_SMS_TOKEN_FILE
  if (!file) throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMS_URL needs VAXPASS_SMS_TOKEN or VAXPASS_SMS_TOKEN_FILE')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMS_TOKEN_FILE cannot be read')
  }
}
