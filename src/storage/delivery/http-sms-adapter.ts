import { VaxpassError } from '../../core/errors.js'
import { phoneToE164 } from '../../domain/registry/phone-to-e164.js'
import type { SmsAdapter, SmsMessage } from '../certificates/outbox.js'

/** Options of {@link createHttpSmsAdapter}. */
export interface HttpSmsOptions {
  /** The gateway's send endpoint: https, or http on this machine only. */
  readonly url: string
  /** Bearer token the gateway issued to us. */
  readonly token: string
  /** Sender name registered with the carriers (brand name), if the gateway wants one. */
  readonly sender?: string
  /** How long to wait for the gateway's answer (default 10 s). */
  readonly timeoutMs?: number
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * SMS through a carrier gateway's HTTP API: one `POST` per message of the JSON
 * `{ "to": "+84912345678", "text": "...", "sender": "..." }` with `Authorization: Bearer <token>`;
 * any 2xx answer means the gateway took it. The number goes in E.164 form. A refused number, a
 * non-2xx answer or no answer within the timeout throws `ERR_DELIVERY_FAILED` naming the status
 * only: never the number or the text. Throws `ERR_DELIVERY_CONFIG` at once for a URL that would
 * send the token in clear over a network.
 *
 * @example
 * const sms = createHttpSmsAdapter({ url: 'https://sms.example.vn/v1/messages', token, sender: 'BoYTe' })
 * await sms.sendSms({ to: '0912345678', body: 'vaxpass: ...' })
 */
export function createHttpSmsAdapter(options: HttpSmsOptions): SmsAdapter {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMS_URL is not a URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new VaxpassError('ERR_DELIVERY_CONFIG', 'VAXPASS_SMS_URL must be https (http only to this machine)')
  }
  if (options.token === '') throw new VaxpassError('ERR_DELIVERY_CONFIG', 'the SMS gateway token is empty')
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    name: 'http-sms',
    async sendSms(message: SmsMessage): Promise<void> {
      const to = phoneToE164(message.to)
      if (to === undefined) throw new VaxpassError('ERR_DELIVERY_FAILED', 'the phone number is not a valid number')
      let status: number
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify({ to, text: message.body, ...(options.sender ? { sender: options.sender } : {}) }),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        })
        status = res.status
        await res.arrayBuffer()
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError'
        throw new VaxpassError(
          'ERR_DELIVERY_FAILED',
          timedOut ? `the SMS gateway did not answer within ${timeoutMs} ms` : 'the SMS gateway could not be reached',
          { cause: err },
        )
      }
      if (status < 200 || status > 299) {
        throw new VaxpassError('ERR_DELIVERY_FAILED', `the SMS gateway answered ${status}`)
      }
    },
  }
}
