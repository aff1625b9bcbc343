// SMS and e-mail delivery through real gateways on loopback: an SMTP server (smtp-server) whose
// messages are parsed back (mailparser), and an HTTP SMS gateway (node:http).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { phoneToE164 } from '../../src/domain/registry/phone-to-e164.js'
import { createOtpOutbox, WITHHELD_CODE_BODY } from '../../src/http/services/create-otp-outbox.js'
import {
  deliverOutbox,
  OUTBOX_MAX_ATTEMPTS,
  TABLE_EMAIL_ADAPTER,
  TABLE_SMS_ADAPTER,
} from '../../src/storage/certificates/outbox.js'
import { createHttpSmsAdapter } from '../../src/storage/delivery/http-sms-adapter.js'
import { outboxAdaptersFromEnv } from '../../src/storage/delivery/outbox-adapters-from-env.js'
import { startOutboxDelivery } from '../../src/storage/delivery/run-outbox-delivery.js'
import { createSmtpEmailAdapter, smtpSettings } from '../../src/storage/delivery/smtp-email-adapter.js'
import { openTestStorage, type TestStorage } from '../storage/open-test-storage.js'

const NOW = new Date('2026-03-01T09:00:00Z')

interface Received {
  readonly from: string
  readonly to: string[]
  readonly user: string | undefined
  readonly raw: Buffer
}

/** An SMTP server on loopback that takes mail for any address but `refused@...`. */
async function startSmtp(): Promise<{ url: (auth: string) => string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === 'mailer' && auth.password === 'p@ss word') done(null, { user: auth.username })
      else done(new Error('bad credentials'))
    },
    onRcptTo(address, _session, done) {
      if (address.address.startsWith('refused@')) {
        const err = new Error('mailbox unavailable') as Error & { responseCode: number }
        err.responseCode = 550
        done(err)
      } else done()
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks),
        })
        done()
      })
    },
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: (auth) => `smtp://${auth}127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

interface SmsRequest {
  readonly method: string
  readonly authorization: string | undefined
  readonly body: Record<string, unknown>
}

/** An SMS gateway on loopback answering `status` (or never, for `hang`). */
async function startSmsGateway(): Promise<{
  url: string
  requests: SmsRequest[]
  answer: { status: number | 'hang' }
  close(): Promise<void>
}> {
  const requests: SmsRequest[] = []
  const answer: { status: number | 'hang' } = { status: 202 }
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      })
      if (answer.status === 'hang') return
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{"id":"m-1"}')
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1/messages`,
    requests,
    answer,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

describe('phoneToE164', () => {
  it('writes the register forms of Vietnamese numbers internationally', () => {
    expect(phoneToE164('0912345678')).toBe('+84912345678')
    expect(phoneToE164('0912 345 678')).toBe('+84912345678')
    expect(phoneToE164('+84 912.345.678')).toBe('+84912345678')
    expect(phoneToE164('84912345678')).toBe('+84912345678')
    expect(phoneToE164('0084912345678')).toBe('+84912345678')
    expect(phoneToE164('912345678')).toBe('+84912345678')
    expect(phoneToE164('+33 1 23 45 67 89')).toBe('+33123456789')
  })
  it('refuses what is not a number', () => {
    for (const bad of ['', '12', 'abc', '+0912345678', '0912345678901234567', '09123x5678']) {
      expect(phoneToE164(bad)).toBeUndefined()
    }
  })
})

describe('SMTP e-mail adapter', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(async () => {
    await smtp.close()
  })

  it('sends a bilingual message through the relay, signed in', async () => {
    const email = createSmtpEmailAdapter({ url: smtp.url('mailer:p%40ss%20word@'), from: 'Bộ Y tế <no-reply@moh.example>' })
    try {
      await email.sendEmail({
        to: 'an@example.vn',
        subject: 'Chứng nhận tiêm chủng đã bị thu hồi / Certificate revoked',
        body: 'Chứng nhận của bạn đã bị thu hồi.\nYour certificate was revoked.',
      })
    } finally {
      email.close()
    }
    const got = smtp.received.at(-1)!
    expect(got.user).toBe('mailer')
    expect(got.from).toBe('no-reply@moh.example')
    expect(got.to).toEqual(['an@example.vn'])
    const parsed = await simpleParser(got.raw)
    expect(parsed.subject).toBe('Chứng nhận tiêm chủng đã bị thu hồi / Certificate revoked')
    expect(parsed.text?.trim()).toBe('Chứng nhận của bạn đã bị thu hồi.\nYour certificate was revoked.')
    expect(parsed.from?.value[0]).toEqual({ address: 'no-reply@moh.example', name: 'Bộ Y tế' })
  })

  it('fails with ERR_DELIVERY_FAILED naming the reply code, never the recipient', async () => {
    const email = createSmtpEmailAdapter({ url: smtp.url(''), from: 'no-reply@moh.example' })
    try {
      const err = await email.sendEmail({ to: 'refused@example.vn', subject: 's', body: 'b' }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'ERR_DELIVERY_FAILED' })
      expect((err as Error).message).toContain('550')
      expect((err as Error).message).not.toContain('refused@')
    } finally {
      email.close()
    }
    const wrong = createSmtpEmailAdapter({ url: smtp.url('mailer:wrong@'), from: 'no-reply@moh.example' })
    try {
      await expect(wrong.sendEmail({ to: 'an@example.vn', subject: 's', body: 'b' })).rejects.toMatchObject({
        code: 'ERR_DELIVERY_FAILED',
      })
    } finally {
      wrong.close()
    }
  })

  it('demands TLS from any relay but this machine, and refuses other URLs', () => {
    expect(smtpSettings('smtp://mailer:pw@relay.moh.example')).toEqual({
      host: 'relay.moh.example',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'mailer', pass: 'pw' },
    })
    expect(smtpSettings('smtps://relay.moh.example')).toMatchObject({ port: 465, secure: true, auth: undefined })
    expect(smtpSettings('smtp://127.0.0.1:2525')).toMatchObject({ port: 2525, requireTLS: false })
    for (const bad of ['relay.moh.example', 'http://relay.moh.example', 'smtp://']) {
      expect(() => smtpSettings(bad)).toThrow(expect.objectContaining({ code: 'ERR_DELIVERY_CONFIG' }))
    }
  })
})

describe('HTTP SMS adapter', () => {
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>
  beforeAll(async () => {
    gateway = await startSmsGateway()
  })
  afterEach(() => {
    gateway.answer.status = 202
  })
  afterAll(async () => {
    await gateway.close()
  })

  it('posts the number in E.164, the text and the sender, with the bearer token', async () => {
    const sms = createHttpSmsAdapter({ url: gateway.url, token: 'tok-123', sender: 'BoYTe' })
    await sms.sendSms({ to: '0912 345 678', body: 'vaxpass: mã của bạn là 123456' })
    expect(gateway.requests.at(-1)).toEqual({
      method: 'POST',
      authorization: 'Bearer tok-123',
      body: { to: '+84912345678', text: 'vaxpass: mã của bạn là 123456', sender: 'BoYTe' },
    })
  })

  it('fails with ERR_DELIVERY_FAILED on a refusal, a timeout or a bad number, naming neither number nor text', async () => {
    gateway.answer.status = 503
    const sms = createHttpSmsAdapter({ url: gateway.url, token: 't', timeoutMs: 300 })
    const refused = await sms.sendSms({ to: '0912345678', body: 'secret 654321' }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'ERR_DELIVERY_FAILED', message: 'the SMS gateway answered 503' })
    gateway.answer.status = 'hang'
    const late = await sms.sendSms({ to: '0912345678', body: 'secret 654321' }).catch((e: unknown) => e)
    expect(late).toMatchObject({ code: 'ERR_DELIVERY_FAILED', message: 'the SMS gateway did not answer within 300 ms' })
    const before = gateway.requests.length
    await expect(sms.sendSms({ to: 'n/a', body: 'x' })).rejects.toMatchObject({ code: 'ERR_DELIVERY_FAILED' })
    expect(gateway.requests.length).toBe(before)
    for (const err of [refused, late]) {
      expect((err as Error).message).not.toMatch(/0912345678|654321/)
    }
  })

  it('never sends the token in clear over a network', () => {
    expect(() => createHttpSmsAdapter({ url: 'http://sms.example.vn/send', token: 't' })).toThrow(
      expect.objectContaining({ code: 'ERR_DELIVERY_CONFIG' }),
    )
    expect(() => createHttpSmsAdapter({ url: 'https://sms.example.vn/send', token: '' })).toThrow(
      expect.objectContaining({ code: 'ERR_DELIVERY_CONFIG' }),
    )
    expect(createHttpSmsAdapter({ url: 'https://sms.example.vn/send', token: 't' }).name).toBe('http-sms')
  })
})

describe('gateways from the environment', () => {
  it('keeps a channel without a gateway in the table, and refuses half a setting', () => {
    const none = outboxAdaptersFromEnv({})
    expect(none).toMatchObject({ storesCodes: true, sends: false })
    expect(none.adapters).toEqual({ email: TABLE_EMAIL_ADAPTER, sms: TABLE_SMS_ADAPTER })
    const smsOnly = outboxAdaptersFromEnv({ VAXPASS_SMS_URL: 'https://sms.example.vn/send', VAXPASS_SMS_TOKEN: 't' })
    expect(smsOnly).toMatchObject({ storesCodes: true, sends: true })
    expect(smsOnly.adapters.sms.name).toBe('http-sms')
    expect(smsOnly.adapters.email).toBe(TABLE_EMAIL_ADAPTER)
    const both = outboxAdaptersFromEnv({
      VAXPASS_SMS_URL: 'https://sms.example.vn/send',
      VAXPASS_SMS_TOKEN: 't',
      VAXPASS_SMTP_URL: 'smtps://relay.moh.example',
      VAXPASS_MAIL_FROM: 'no-reply@moh.example',
    })
    expect(both).toMatchObject({ storesCodes: false, sends: true })
    both.close()
    for (const env of [
      { VAXPASS_SMTP_URL: 'smtps://relay.moh.example' },
      { VAXPASS_SMTP_URL: 'relay', VAXPASS_MAIL_FROM: 'x@y' },
      { VAXPASS_SMS_URL: 'https://sms.example.vn/send' },
      { VAXPASS_SMS_URL: 'https://sms.example.vn/send', VAXPASS_SMS_TOKEN_FILE: '/nonexistent/token' },
    ]) {
      expect(() => outboxAdaptersFromEnv(env)).toThrow(expect.objectContaining({ code: 'ERR_DELIVERY_CONFIG' }))
    }
  })

  it('reads the SMS token from a file', async () => {
    const t = await openTestStorage('sqlite')
    try {
      const file = join(t.dir, 'sms-token')
      writeFileSync(file, 'from-file\n')
      const env = { VAXPASS_SMS_URL: 'https://sms.example.vn/send', VAXPASS_SMS_TOKEN_FILE: file }
      expect(outboxAdaptersFromEnv(env).adapters.sms.name).toBe('http-sms')
    } finally {
      await t.dispose()
    }
  })
})

describe('outbox delivery through the gateways', () => {
  let t: TestStorage
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>
  beforeAll(async () => {
    t = await openTestStorage('sqlite')
    smtp = await startSmtp()
    gateway = await startSmsGateway()
  })
  afterAll(async () => {
    await gateway.close()
    await smtp.close()
    await t.dispose()
  })

  async function queue(channel: 'sms' | 'email', recipient: string): Promise<void> {
    await t.storage.db
      .insertInto('outbox')
      .values({
        channel,
        recipient,
        template: 'certificate.revoked',
        body: 'Chứng nhận đã bị thu hồi / Certificate revoked',
        status: 'pending',
        person_cccd: '001088000001',
        uvci: 'URN:UVCI:01:VN:X#Y',
        created_at: NOW.toISOString(),
      })
      .execute()
  }
  const statuses = async () =>
    (await t.storage.db.selectFrom('outbox').select(['recipient', 'status']).orderBy('id').execute()).map(
      (r) => `${r.recipient} ${r.status}`,
    )

  it('sends pending notices, records failures, and keeps a channel without a gateway in the table', async () => {
    await queue('email', 'an@example.vn')
    await queue('sms', '0912345678')
    await queue('email', 'refused@example.vn')
    const env = { VAXPASS_SMTP_URL: smtp.url(''), VAXPASS_MAIL_FROM: 'no-reply@moh.example' }
    const emailOnly = outboxAdaptersFromEnv(env)
    try {
      expect(await deliverOutbox(t.storage, emailOnly.adapters, { now: NOW })).toEqual({ sent: 2, failed: 1 })
      expect(await statuses()).toEqual(['an@example.vn sent', '0912345678 stored', 'refused@example.vn pending'])
      expect(smtp.received.at(-1)!.to).toEqual(['an@example.vn'])
      // The refused message is tried again 1, 2, 4, 8 and 16 minutes on, then stays failed.
      const at = (min: number) => new Date(NOW.getTime() + min * 60_000)
      expect(await deliverOutbox(t.storage, emailOnly.adapters, { now: at(0.5) })).toEqual({ sent: 0, failed: 0 })
      let minute = 0
      for (let attempt = 2; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
        minute += 2 ** (attempt - 2)
        expect(await deliverOutbox(t.storage, emailOnly.adapters, { now: at(minute) })).toEqual({ sent: 0, failed: 1 })
      }
      expect(minute).toBe(31)
      expect((await statuses()).at(-1)).toBe('refused@example.vn failed')
      expect(await deliverOutbox(t.storage, emailOnly.adapters, { now: at(1000) })).toEqual({ sent: 0, failed: 0 })
    } finally {
      emailOnly.close()
    }

    // In the background, as `serve` runs it: a new SMS notice reaches the gateway.
    await queue('sms', '0987654321')
    const both = outboxAdaptersFromEnv({ ...env, VAXPASS_SMS_URL: gateway.url, VAXPASS_SMS_TOKEN: 'tok' })
    const rounds: unknown[] = []
    const running = startOutboxDelivery(t.storage, both.adapters, { now: () => NOW, onRound: (r) => rounds.push(r) })
    await running.stop()
    both.close()
    expect(rounds).toEqual([{ sent: 1, failed: 0 }])
    expect((await statuses()).at(-1)).toBe('0987654321 sent')
    expect(gateway.requests.at(-1)!.body).toMatchObject({ to: '+84987654321', text: 'Chứng nhận đã bị thu hồi / Certificate revoked' })
  })

  it('sends one-time codes through a gateway without storing them, and keeps them only where none is', async () => {
    const both = outboxAdaptersFromEnv({ VAXPASS_SMS_URL: gateway.url, VAXPASS_SMS_TOKEN: 'tok' })
    const otp = createOtpOutbox(t.storage.db as never, both.adapters)
    expect(otp.storesCodes).toBe(true)
    await otp.enqueue({ channel: 'sms', to: '0911111111', subject: 'vaxpass code', body: 'vaxpass: your code is 246810' }, NOW)
    await otp.enqueue({ channel: 'email', to: 'binh@example.vn', subject: 'vaxpass code', body: 'vaxpass: your code is 135790' }, NOW)
    expect(gateway.requests.at(-1)!.body).toMatchObject({ to: '+84911111111', text: 'vaxpass: your code is 246810' })
    const rows = await t.storage.db
      .selectFrom('outbox')
      .select(['recipient', 'body', 'status'])
      .where('recipient', 'in', ['0911111111', 'binh@example.vn'])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { recipient: '0911111111', body: WITHHELD_CODE_BODY, status: 'sent' },
      { recipient: 'binh@example.vn', body: 'vaxpass: your code is 135790', status: 'stored' },
    ])
  })
})
