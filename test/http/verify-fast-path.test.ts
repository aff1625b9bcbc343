import { Agent, request } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerificationReport } from '../../src/core/verify/report.js'
import { buildApp } from '../../src/http/build-app.js'
import { listen } from '../../src/http/server.js'
import { readHc1, VERIFY_PATH } from '../../src/http/verify-fast-path.js'
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

describe('verify fast path', () => {
  let storage: Storage
  // Two identical apps with the same request sequence: one on a socket (the fast path), one
  // answered through inject (fastify's route, the reference), so their rate-limit counters agree.
  let served: FastifyInstance
  let reference: FastifyInstance
  let url: string
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const logs = new LogCapture()

  beforeAll(async () => {
    storage = await openDatabase({ DATABASE_URL: ':memory:' })
    const deps = { db: storage.db, now: () => NOW, verify: fakeVerify, limits: { rateMax: 40 } }
    served = await buildApp({ ...deps, logger: { stream: logs } })
    reference = await buildApp({ ...deps, logger: false })
    url = await listen(served, { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    agent.destroy()
    await served.close()
    await reference.close()
    await storage.close()
  })

  async function both(body: string, contentType: string): Promise<[Answer, Answer]> {
    const fast = await post(url, agent, body, contentType)
    const ref = await reference.inject({
      method: 'POST',
      url: VERIFY_PATH,
      headers: { 'content-type': contentType },
      payload: body,
      remoteAddress: '127.0.0.1',
    })
    return [
      comparable(fast),
      comparable({ status: ref.statusCode, headers: { ...ref.headers }, body: ref.body }),
    ]
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
    // 60 requests per address against a limit of 40: the last ones get 429 on both sides.
    await fc.assert(
      fc.asyncProperty(body, type, async (b, t) => {
        const [fast, ref] = await both(b, t)
        expect(fast).toEqual(ref)
      }),
      { numRuns: 60 },
    )
    // By now the address is past its limit: the 429 carries the security headers too.
    const [limited] = await both(JSON.stringify({ hc1: 'HC1:A' }), 'application/json')
    expect(limited.status).toBe(429)
    expect(limited.headers['x-content-type-options']).toBe('nosniff')
  })

  it('logs the route, status and time of a fast request, and nothing of the pass', async () => {
    expect(logs.text).toMatch(/"route":"\/api\/public\/verify","status":200/)
    expect(logs.text).not.toContain('NCFOXN')
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
