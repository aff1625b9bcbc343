import { createTransport } from 'nodemailer'
import { VaxpassError } from '../../core/errors.js'
import type { EmailAdapter, EmailMessage } from '../certificates/outbox.js'

/** Options of {@link createSmtpEmailAdapter}. */
export interface SmtpEmailOptions {
  /** `smtp://[user:password@]host[:port]` (STARTTLS, port 587) or `smtps://...` (TLS, port 465). */
  readonly url: string
  /** The sender, e.g. `Bộ Y tế <no-reply@moh.gov.vn>`. */
  readonly from: string
}

/** The nodemailer transport settings an SMTP URL gives (exported for tests). */
export interface SmtpSettings {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly requireTLS: boolean
  readonly auth: { readonly user: string; readonly pass: string } | undefined
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/**
 * Reads an SMTP relay URL. Credentials and messages never cross a network in clear: a relay
 * other than this machine must speak TLS from the start (`smtps:`) or upgrade with STARTTLS,
 * else sending fails. Throws `ERR_DELIVERY_CONFIG` for anything else than an SMTP URL.
 *
 * @example
 * smtpSettings('smtp://mailer:secret@relay.moh.gov.vn') // port 587, requireTLS true
 */
export function smtpSettings(url: string): SmtpSettings {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMTP_URL is not a URL (smtp://host:587 or smtps://host:465)')
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMTP_URL must start with smtp:// or smtps://')
  }
  if (parsed.hostname === '') throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMTP_URL names no host')
  const secure = parsed.protocol === 'smtps:'
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port),
    secure,
    requireTLS: !secure && !LOOPBACK.has(parsed.hostname),
    auth:
      parsed.username === ''
        ? undefined
        : { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
  }
}

/**
 * E-mail through an SMTP relay (nodemailer, a small pool of connections). A message the relay
 * refuses, or a relay that cannot be reached in time, throws `ERR_DELIVERY_FAILED` naming the
 * SMTP reply code only: never the recipient or the text.
 *
 * @example
 * const email = createSmtpEmailAdapter({ url: 'smtps://mailer:pw@relay.moh.gov.vn', from: 'no-reply@moh.gov.vn' })
 * await email.sendEmail({ to: 'an@example.vn', subject: 'Chứng nhận', body: '...' })
 */
export function createSmtpEmailAdapter(options: SmtpEmailOptions): EmailAdapter & { close(): void } {
  const settings = smtpSettings(options.url)
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTLS,
    ...(settings.auth ? { auth: { ...settings.auth } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  })
  return {
    name: 'smtp',
    async sendEmail(message: EmailMessage): Promise<void> {
      try {
        await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.body })
      } catch (err) {
        const reply = (err as { responseCode?: number; code?: string }).responseCode ?? (err as { code?: string }).code
        throw new VaxpassError('ERR_DELIVERY_FAILED', `the SMTP relay did not take the message (${reply ?? 'no reply'})`, {
          cause: err,
        })
      }
    },
    close: () => transport.close(),
  }
}
