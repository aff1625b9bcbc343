import { Agent, request } from 'node:http'
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/core/verify/report.js'
import { buildApp } from '../../src/http/build-app.js'
import { listen } from '../../src/http/server.js'
import { createRateLimiter } from '../../src/http/rate-limit.js'
import {
  createVerifyFastPath,
  readHc1,
  readHead,
  VERIFY_PATH,
} from '../../src/http/verify-fast-path.js'
import { openDatabase } from '../../src/storage/open-database.js'
import type { Storage } from '../../src/storage/storage.js'
import { LogCapture } from './helpers.js'

const NOW = new Date('2026-03-01T10:00:00Z')

// A stand-in verifier: a report that depends on the pass, synchronous or not, and a throw.
function fakeVerify(input: string): VerificationReport | Promise<VerificationReport> {
  if (input === 'HC1:THROW') throw new Error('boom')
  const report: VerificationReport = {
    valid: input.startsWith('HC1:'),
    format: input.startsWith('HC1:') ? 'EU_DCC' : null,
    checks: [
      {
        id: 'prefix',
        ok: input.startsWith('HC1:'),
        code: null,
        message: `read ${input.length} characters: ${input.slice(0, 12)}`,
      },
    ],
    warnings: [],
  }
  return input.length % 2 === 0 ? report : Promise.resolve(report)
}

type Answer = { status: number; headers: Record<string, unknown>; body: string }

// Headers that belong to the connection (node's server) rather than to the route's answer.
const CONNECTION_HEADERS = ['date', 'connection', 'keep-alive', 'transfer-encoding']

function post(url: string, agent: Agent, body: string, contentType: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    }
    const req = request(`${url}${VERIFY_PATH}`, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: { ...res.headers },
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

function comparable(a: Answer): Answer {
  const headers = { ...a.headers }
  for (const h of CONNECTION_HEADERS) delete headers[h]
  return { ...a, headers }
}

// The two apps' rate windows open a few ms apart (each at its first request), so the seconds
// left may differ by one when a second boundary falls between them.
function expectSameAnswer(fast: Answer, ref: Answer): void {
  const a = Number(fast.headers['x-ratelimit-reset'])
  const b = Number(ref.headers['x-ratelimit-reset'])
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1)
  const drop = (x: Answer) => {
    const headers = { ...x.headers }
    delete headers['x-ratelimit-reset']
    if (headers['retry-after'] !== undefined) headers['retry-after'] = 'n'
    return { ...x, headers, body: x.body.replace(/retry in \d+ s/, 'retry in n s') }
  }
  expect(drop(fast)).toEqual(drop(ref))
}

/** Raw HTTP/1.1 answers read off a socket, framed by their Content-Length. */
function readAnswers(raw: string): Answer[] {
  const answers: Answer[] = []
  let rest = Buffer.from(raw, 'latin1')
  for (;;) {
    const end = rest.indexOf('\r\n\r\n')
    if (end < 0) return answers
    const [statusLine, ...lines] = rest.toString('latin1', 0, end).split('\r\n')
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const at = line.indexOf(':')
      headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
    }
    // Node's own 400 for an unreadable request has no length: the rest of the stream.
    const declared = headers['content-length']
    const length = declared === undefined ? rest.length - end - 4 : Number(declared)
    if (rest.length < end + 4 + length) return answers
    answers.push({
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: rest.toString('utf8', end + 4, end + 4 + length),
    })
    rest = rest.subarray(end + 4 + length)
    if (declared === undefined) return answers
  }
}

/** Writes `chunks` one by one on a new connection and reads until `count` answers came back. */
function exchange(url: string, chunks: readonly string[], count: number): Promise<Answer[]> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let raw = ''
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => {
      raw += d
      const answers = readAnswers(raw)
      if (answers.length >= count) {
        socket.destroy()
        resolve(answers)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(readAnswers(raw)))
    const writeNext = (i: number) => {
      if (i >= chunks.length) return
      socket.write(chunks[i]!, 'latin1', () => setTimeout(() => writeNext(i + 1), 1))
    }
    writeNext(0)
  })
}

function rawRequest(body: string, headers = 'Content-Type: application/json\r\n'): string {
  const bytes = Buffer.from(body, 'utf8')
  return (
    `POST ${VERIFY_PATH} HTTP/1.1\r\nHost: test\r\n${headers}Content-Length: ${bytes.length}\r\n\r\n` +
    bytes.toString('latin1')
  )
}

describe('verify fast path', () => {
  let storage: Storage
  // Two identical apps with the same request sequence: one on a socket (the fast path), one
  // answered through inject (fastify's route, the reference), so their rate-limit counters agree.
  let served: FastifyInstance
  let reference: FastifyInstance
  let url: string
  const logs = new LogCapture()

  beforeAll(async () => {
    storage = await openDatabase({ DATABASE_URL: ':memory:' })
    const deps = { db: storage.db, now: () => NOW, verify: fakeVerify, limits: { rateMax: 40 } }
    served = await buildApp({ ...deps, logger: { stream: logs } })
    reference = await buildApp({ ...deps, logger: false })
    url = await listen(served, { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await served.close()
    await reference.close()
    await storage.close()
  })

  async function inject(body: string, contentType: string): Promise<Answer> {
    const ref = await reference.inject({
      method: 'POST',
      url: VERIFY_PATH,
      headers: { 'content-type': contentType },
      payload: body,
      remoteAddress: '127.0.0.1',
    })
    return comparable({ status: ref.statusCode, headers: { ...ref.headers }, body: ref.body })
  }

  // Each request on the given connection, then the same through inject.
  async function both(agent: Agent, body: string, contentType: string): Promise<[Answer, Answer]> {
    const fast = await post(url, agent, body, contentType)
    return [comparable(fast), await inject(body, contentType)]
  }

  it('answers every body exactly as the fastify route does: status, headers, report, errors and 429s', async () => {
    const pass = fc.oneof(
      fc.constantFrom(
        'HC1:NCFOXN%TS',
        'HC1:THROW',
        '',
        'x'.repeat(8192),
        'x'.repeat(8193),
        'Nguyễn 🙂',
      ),
      fc.string({ maxLength: 40 }).map((s) => `HC1:${s}`),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    )
    const body = fc.oneof(
      pass.map((hc1) => JSON.stringify({ hc1 })),
      pass.map((hc1) => JSON.stringify({ hc1, more: 1 })),
      fc.constantFrom(
        '{"hc1": 12}',
        '{"hc1": null}',
        '[]',
        'null',
        '{}',
        '{"__proto__": {"hc1": "HC1:x"}}',
        '\uFEFF{"hc1":"HC1:A"}',
        '{"hc1":"HC1:A"',
        '',
      ),
      fc.string({ maxLength: 30 }),
    )
    const type = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'text/plain',
      'application/json; charset=latin1',
    )
    // A verify that throws: 500, and a 'request failed' log line (checked below).
    const first = new Agent({ keepAlive: true })
    const [thrown, thrownRef] = await both(
      first,
      JSON.stringify({ hc1: 'HC1:THROW' }),
      'application/json',
    )
    first.destroy()
    expectSameAnswer(thrown, thrownRef)
    expect(thrown.status).toBe(500)
    // Sequences of requests on one keep-alive connection: the fast path answers until the first
    // other request, node's server from there on. About 60 requests per address against a limit
    // of 40: the last ones get 429 on both sides.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(body, type), { minLength: 1, maxLength: 3 }),
        async (seq) => {
          const agent = new Agent({ keepAlive: true, maxSockets: 1 })
          try {
            for (const [b, t] of seq) {
              const [fast, ref] = await both(agent, b, t)
              expectSameAnswer(fast, ref)
            }
          } finally {
            agent.destroy()
          }
        },
      ),
      { numRuns: 30 },
    )
    // By now the address is past its limit: the 429 carries the security headers too.
    const agent = new Agent({ keepAlive: true })
    const [limited] = await both(agent, JSON.stringify({ hc1: 'HC1:A' }), 'application/json')
    agent.destroy()
    expect(limited.status).toBe(429)
    expect(limited.headers['x-content-type-options']).toBe('nosniff')
  })

  it('logs the route, status and time of a fast request, and nothing of the pass', async () => {
    expect(logs.text).toMatch(
      /"reqId":"req-[0-9a-z]+","method":"POST","route":"\/api\/public\/verify","status":200/,
    )
    expect(logs.text).toMatch(/"reqId":"req-[0-9a-z]+".*"msg":"request failed"/)
    expect(logs.text).not.toContain('NCFOXN')
    expect(logs.text).not.toContain('HC1:THROW')
  })

  it('reads only the exact shape {"hc1": non-empty string}', () => {
    expect(readHc1('{"hc1":"HC1:A"}', 8192)).toBe('HC1:A')
    for (const bad of [
      '{"hc1":""}',
      '{"hc1":1}',
      '{"hc1":"a","b":1}',
      '["hc1"]',
      'nope',
      '{"__proto__":1}',
    ]) {
      expect(readHc1(bad, 8192)).toBeUndefined()
    }
    expect(readHc1(JSON.stringify({ hc1: 'x'.repeat(9) }), 8)).toBeUndefined()
  })
})

describe('verify fast path: framing and connections', () => {
  let storage: Storage
  let served: FastifyInstance
  let reference: FastifyInstance
  let url: string

  beforeAll(async () => {
    storage = await openDatabase({ DATABASE_URL: ':memory:' })
    const deps = {
      db: storage.db,
      now: () => NOW,
      verify: fakeVerify,
      limits: { rateMax: 100_000 },
    }
    served = await buildApp({ ...deps, logger: false })
    reference = await buildApp({ ...deps, logger: false })
    url = await listen(served, { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await served.close()
    await reference.close()
    await storage.close()
  })

  async function expected(body: string): Promise<Answer> {
    const ref = await reference.inject({
      method: 'POST',
      url: VERIFY_PATH,
      headers: { 'content-type': 'application/json' },
      payload: body,
      remoteAddress: '127.0.0.1',
    })
    return { status: ref.statusCode, headers: { ...ref.headers }, body: ref.body }
  }

  const same = (a: Answer, b: Answer) => {
    expect(a.status).toBe(b.status)
    expect(a.body).toBe(b.body)
    expect(a.headers['content-type']).toBe(b.headers['content-type'])
    expect(a.headers['x-content-type-options']).toBe('nosniff')
  }

  it('answers pipelined requests in order, handing the connection to node at the first other body', async () => {
    const bodies = [
      '{"hc1":"HC1:AB"}',
      '{"hc1":"HC1:ABC"}',
      '{"hc1":""}',
      '{"hc1":"HC1:X"}',
      '{"hc1":"Nguyễn"}',
    ]
    const answers = await exchange(url, [bodies.map((b) => rawRequest(b)).join('')], bodies.length)
    expect(answers).toHaveLength(bodies.length)
    for (let i = 0; i < bodies.length; i++) same(answers[i]!, await expected(bodies[i]!))
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 200, 200])
  })

  it('answers many pipelined requests in order while the client reads slowly', async () => {
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    const bodies = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ hc1: `HC1:${'A'.repeat(i % 50)}${i}` }),
    )
    bodies[390] = '{"hc1":""}'
    socket.write(bodies.map((b) => rawRequest(b)).join(''))
    // Unread answers fill the socket's buffers: the fast path stops reading requests until they drain.
    await new Promise((resolve) => setTimeout(resolve, 200))
    let raw = ''
    socket.setEncoding('latin1')
    const answers = await new Promise<Answer[]>((resolve, reject) => {
      socket.on('data', (d: string) => {
        raw += d
        const got = readAnswers(raw)
        if (got.length >= bodies.length) resolve(got)
      })
      socket.on('error', reject)
    })
    socket.destroy()
    expect(answers).toHaveLength(bodies.length)
    for (const i of [0, 1, 199, 389, 390, 391, 399]) same(answers[i]!, await expected(bodies[i]!))
    expect(answers[390]!.status).toBe(400)
  })

  it('answers each of many connections read in one turn with its own report', async () => {
    // Sync, async and throwing verifies, some pipelined, all written at once once every
    // connection is open: the server reads them in one turn and verifies them together.
    const bodies = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ hc1: i % 13 === 5 ? 'HC1:THROW' : `HC1:${'B'.repeat(i % 7)}${i}` }),
    )
    const sent = bodies.map((b, i) => (i % 4 === 0 ? [b, bodies[(i + 1) % bodies.length]!] : [b]))
    const { hostname, port } = new URL(url)
    const sockets = await Promise.all(
      sent.map(
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port), hostname, () => resolve(socket))
            socket.on('error', reject)
          }),
      ),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    const answers = await Promise.all(
      sockets.map((socket, i) => {
        let raw = ''
        socket.setEncoding('latin1')
        const got = new Promise<Answer[]>((resolve) =>
          socket.on('data', (d: string) => {
            raw += d
            if (readAnswers(raw).length >= sent[i]!.length) resolve(readAnswers(raw))
          }),
        )
        socket.write(sent[i]!.map((b) => rawRequest(b)).join(''), 'latin1')
        return got
      }),
    )
    for (const socket of sockets) socket.destroy()
    for (let i = 0; i < sent.length; i++) {
      expect(answers[i]).toHaveLength(sent[i]!.length)
      for (let j = 0; j < sent[i]!.length; j++) {
        same(answers[i]![j]!, await expected(sent[i]![j]!))
      }
    }
  })

  it('reads a request that arrives a few bytes at a time', async () => {
    const req = rawRequest('{"hc1":"HC1:NCFOXN%TS 🙂"}')
    const bytes = Buffer.from(req, 'latin1')
    const chunks: string[] = []
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.toString('latin1', i, i + 7))
    const [answer] = await exchange(url, [...chunks, rawRequest('{"hc1":"HC1:AB"}')], 2)
    same(answer!, await expected('{"hc1":"HC1:NCFOXN%TS 🙂"}'))
  })

  it('leaves other framings to node: chunked, no Host, bare line feeds, another route first', async () => {
    const body = '{"hc1":"HC1:AB"}'
    const chunked =
      `POST ${VERIFY_PATH} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    same((await exchange(url, [chunked], 1))[0]!, await expected(body))
    const noHost = `POST ${VERIFY_PATH} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    expect((await exchange(url, [noHost], 1))[0]!.status).toBe(400)
    const spaced = rawRequest(body, 'Content-Type : application/json\r\n')
    expect((await exchange(url, [spaced], 1))[0]!.status).toBe(400)
    const health = `GET /health HTTP/1.1\r\nHost: t\r\n\r\n`
    const [h, v] = await exchange(url, [health + rawRequest(body)], 2)
    expect(h!.status).toBe(200)
    same(v!, await expected(body))
    // Bare line feeds: node's parser answers at once (400), not a wait for a CRLF blank line.
    const bareLf = rawRequest(body).replaceAll('\r\n', '\n')
    expect((await exchange(url, [bareLf], 1))[0]!.status).toBe(400)
    const long = rawRequest(JSON.stringify({ hc1: 'x'.repeat(20_000) }))
    expect((await exchange(url, [long], 1))[0]!.status).toBe(413)
  })

  it('answers HTTP/1.0 as node does: closed unless it asks to keep alive', async () => {
    const body = '{"hc1":"HC1:AB"}'
    const http10 = rawRequest(body).replace('HTTP/1.1', 'HTTP/1.0').replace('Host: test\r\n', '')
    const [closed, extra] = await exchange(url, [http10 + http10], 2)
    same(closed!, await expected(body))
    expect(closed!.headers.connection).toBe('close')
    expect(extra).toBeUndefined()
    const kept = rawRequest(
      body,
      'Content-Type: application/json\r\nConnection: keep-alive\r\n',
    ).replace('HTTP/1.1', 'HTTP/1.0')
    const both = await exchange(url, [kept + kept], 2)
    expect(both.map((a) => a.headers.connection)).toEqual(['keep-alive', 'keep-alive'])
    same(both[1]!, await expected(body))
  })

  it('closes after the answer to Connection: close', async () => {
    const answers = await exchange(
      url,
      [rawRequest('{"hc1":"HC1:AB"}', 'Content-Type: application/json\r\nConnection: close\r\n')],
      2,
    )
    expect(answers).toHaveLength(1)
    expect(answers[0]!.headers.connection).toBe('close')
  })

  it('serves the common request itself and hands over only the others', async () => {
    const handed: string[] = []
    const fast = createVerifyFastPath(reference, {
      verify: fakeVerify,
      now: () => NOW,
      limiter: createRateLimiter({ max: 100, windowMs: 60_000 }),
      bodyLimit: 16 * 1024,
      maxLength: 8192,
      server: { keepAliveTimeout: 5000, headersTimeout: 60_000 },
      nextRequestId: () => 'req-1',
      fallback: (socket) => {
        socket.once('data', (d: Buffer) => {
          handed.push(d.toString('latin1'))
          socket.destroy()
        })
      },
    })
    const server: Server = createServer((socket) => fast.serve(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const at = `http://127.0.0.1:${port}`
    try {
      const ok = ['{"hc1":"HC1:AB"}', '{"hc1":"HC1:ABC"}', '{ "hc1" : "HC1:A" }']
      const answers = await exchange(at, [ok.map((b) => rawRequest(b)).join('')], 3)
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
      for (let i = 0; i < ok.length; i++) same(answers[i]!, await expected(ok[i]!))
      expect(handed).toEqual([])
      const bad = rawRequest('{"hc1":"HC1:AB","x":1}')
      await exchange(at, [rawRequest('{"hc1":"HC1:AB"}') + bad], 2)
      expect(handed).toEqual([bad])
    } finally {
      fast.closeAll()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('closes idle fast connections when the app closes', async () => {
    const app = await buildApp({
      db: storage.db,
      now: () => NOW,
      verify: fakeVerify,
      logger: false,
    })
    const at = await listen(app, { host: '127.0.0.1', port: 0 })
    const agent = new Agent({ keepAlive: true })
    const answer = await post(at, agent, '{"hc1":"HC1:AB"}', 'application/json')
    expect(answer.status).toBe(200)
    const started = Date.now()
    await app.close()
    // Well within the 72 s keep-alive timeout the connection would otherwise hold the server.
    expect(Date.now() - started).toBeLessThan(5000)
    agent.destroy()
  })

  it('reads only the plain request heads', () => {
    const head = (lines: string[]) => [`POST ${VERIFY_PATH} HTTP/1.1`, ...lines].join('\r\n')
    const base = ['Host: a', 'Content-Type: application/json']
    expect(readHead(head([...base, 'Content-Length: 12']))).toEqual({ length: 12, close: false })
    expect(readHead(head([...base, 'content-length:12', 'Connection: Close']))).toEqual({
      length: 12,
      close: true,
    })
    expect(
      readHead(
        head(['Host: a', 'Content-Type:  Application/JSON; charset=UTF-8 ', 'Content-Length: 1']),
      ),
    ).toEqual({
      length: 1,
      close: false,
    })
    const http10 = (lines: string[]) => [`POST ${VERIFY_PATH} HTTP/1.0`, ...lines].join('\r\n')
    expect(readHead(http10(['Content-Type: application/json', 'Content-Length: 3']))).toEqual({
      length: 3,
      close: true,
    })
    expect(readHead(http10([...base, 'Connection: keep-alive', 'Content-Length: 3']))).toEqual({
      length: 3,
      close: false,
    })
    for (const bad of [
      head([...base]),
      head([...base, 'Content-Length: 0']),
      head([...base, 'Content-Length: 12', 'Content-Length: 12']),
      head([...base, 'Content-Length: +12']),
      head([...base, 'Content-Length: 12', 'Transfer-Encoding: chunked']),
      head([...base, 'Content-Length: 12', 'Expect: 100-continue']),
      head([...base, 'Content-Length: 12', 'Connection: upgrade', 'Upgrade: h2c']),
      head(['Content-Type: application/json', 'Content-Length: 12']),
      head(['Host: a', 'Host: b', 'Content-Type: application/json', 'Content-Length: 12']),
      head(['Host: a', 'Content-Type: text/plain', 'Content-Length: 12']),
      head([...base, 'Content-Length: 12', ' folded']),
      head([...base, 'Content-Length: 12\nX-Smuggled: 1']),
      head([...base, 'Content-Length: 12', 'Bad Name: 1']),
      head([...base, 'Content-Length: 12', 'X: a\u0000b']),
      `POST ${VERIFY_PATH}?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 1`,
      `post ${VERIFY_PATH} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 1`,
    ]) {
      expect(readHead(bad)).toBeUndefined()
    }
  })

  it('reads every head exactly as the straightforward split-and-match reading does', () => {
    const line = fc.oneof(
      fc.constantFrom(
        'Host: a',
        'host:127.0.0.1:8080',
        'Content-Type: application/json',
        'content-type:application/json; charset=utf-8 ',
        'Content-Type: \tApplication/JSON\t',
        'Content-Type: text/plain',
        'Connection: close',
        'connection: Keep-Alive',
        'Connection: upgrade',
        'Transfer-Encoding: chunked',
        'Expect: 100-continue',
        'Upgrade: h2c',
        'X-Empty:',
        'X-Spaces:   \t ',
        ' folded',
        'Bad Name: 1',
        ': no name',
        'NoColon',
        '',
      ),
      fc.constantFrom('1', '12', '0', '007', '123456789', '1234567890', '+1', '1 2', ' 5 ', '1e3', '').map(
        (v) => `Content-Length:${v}`,
      ),
      fc
        .tuple(
          fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{0,6}$/),
          fc.constantFrom(':', ': ', ':\t', ' :', ''),
          fc.string({ unit: fc.integer({ min: 0, max: 0x10f }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
        )
        .map(([n, sep, v]) => n + sep + v),
    )
    const first = fc.constantFrom(
      `POST ${VERIFY_PATH} HTTP/1.1`,
      `POST ${VERIFY_PATH} HTTP/1.0`,
      `POST ${VERIFY_PATH} HTTP/1.1 `,
      `GET ${VERIFY_PATH} HTTP/1.1`,
      '',
    )
    // Mostly heads that are otherwise served, so that one odd line decides.
    const served = ['Host: a', 'Content-Type: application/json', 'Content-Length: 5']
    const lines = fc.oneof(
      fc.array(line, { maxLength: 8 }),
      fc.tuple(fc.array(line, { maxLength: 2 }), fc.nat(3)).map(([extra, at]) => [
        ...served.slice(0, at),
        ...extra,
        ...served.slice(at),
      ]),
    )
    const head = fc.oneof(
      fc
        .tuple(first, lines, fc.constantFrom('\r\n', '\r\n', '\n', '\r'))
        .map(([f, ls, sep]) => [f, ...ls].join(sep)),
      fc
        .tuple(first, lines, fc.nat(120), fc.constantFrom('\r', '\n', '\r\n', '\u0100', '\u007f', ' ', '\t', 'é'))
        .map(([f, ls, at, extra]) => {
          const text = [f, ...ls].join('\r\n')
          const i = Math.min(at, text.length)
          return text.slice(0, i) + extra + text.slice(i)
        }),
      fc.string({ maxLength: 40 }),
    )
    fc.assert(
      fc.property(head, (h) => {
        expect(readHead(h)).toEqual(readHeadBySplit(h))
      }),
      { numRuns: 20000 },
    )
    // Past 64 header lines: node's parser reads it.
    const many = (n: number) =>
      [`POST ${VERIFY_PATH} HTTP/1.1`, 'Host: a', 'Content-Type: application/json', 'Content-Length: 1', ...Array<string>(n - 3).fill('X: 1')].join('\r\n')
    expect(readHead(many(64))).toEqual({ length: 1, close: false })
    expect(readHead(many(65))).toBeUndefined()
    expect(readHeadBySplit(many(65))).toBeUndefined()
  })
})

// The reading of a head that readHead was first written as: split into lines, a regular
// expression per line. The fast path's readHead must agree with it on every head.
function readHeadBySplit(head: string): { length: number; close: boolean } | undefined {
  const lines = head.split('\r\n')
  const http10 = lines[0] === `POST ${VERIFY_PATH} HTTP/1.0`
  if ((lines[0] !== `POST ${VERIFY_PATH} HTTP/1.1` && !http10) || lines.length > 65) return undefined
  let length = -1
  let type: string | undefined
  let host = false
  let close = false
  let keepAlive = false
  for (let i = 1; i < lines.length; i++) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*$/.exec(lines[i]!)
    if (m === null) return undefined
    const value = m[2]!
    switch (m[1]!.toLowerCase()) {
      case 'content-length':
        if (length >= 0 || !/^[0-9]{1,9}$/.test(value)) return undefined
        length = Number(value)
        break
      case 'content-type':
        if (type !== undefined) return undefined
        type = value.toLowerCase()
        break
      case 'host':
        if (host) return undefined
        host = true
        break
      case 'connection': {
        const v = value.toLowerCase()
        if (v === 'close') close = true
        else if (v === 'keep-alive') keepAlive = true
        else return undefined
        break
      }
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
        return undefined
    }
  }
  if (length < 1 || (!host && !http10)) return undefined
  if (http10 && !keepAlive) close = true
  if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return undefined
  return { length, close }
}
