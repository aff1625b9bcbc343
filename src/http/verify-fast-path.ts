import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { VerificationReport } from '../core/verify/report.js'
import type { VerifyPass } from './app-deps.js'
import { errorResponseFor, failureLogFields } from './error-status.js'
import { rateLimitKey, type RateLimiter } from './rate-limit.js'

/** The route served here; fastify keeps its declaration (schema, OpenAPI, `app.inject`). */
export const VERIFY_PATH = '/api/public/verify'

const JSON_TYPE = 'application/json; charset=utf-8'
// Headers of the answer that belong to the connection, not to the route.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date'])

/**
 * `POST /api/public/verify` outside fastify's request lifecycle, for the common request only: a
 * JSON body `{"hc1": "..."}` of at most `bodyLimit` bytes with its length declared. It answers
 * as the fastify route does (security and rate-limit headers, the report as JSON, 429 past the
 * limit, the same log line) and costs about a sixth less CPU per request, most of it fastify's
 * per-request objects, hooks and body parser. Returns false, having read nothing, for any other
 * request: fastify serves it. A body that turns out not to be that shape (bad JSON, other keys,
 * another type, an empty or long pass) is answered by the fastify route itself through
 * `app.inject`, so every validation error keeps its exact status, code and message.
 *
 * @example
 * const fast = createVerifyFastPath(app, { verify, now, limiter, bodyLimit: 16 * 1024, maxLength: 8192 })
 * http.createServer((req, res) => fast(req, res) || fastifyHandler(req, res))
 */
export function createVerifyFastPath(
  app: FastifyInstance,
  options: {
    readonly verify: VerifyPass
    readonly now: () => Date
    readonly limiter: RateLimiter
    readonly bodyLimit: number
    /** The schema's maxLength of `hc1`; longer strings go to fastify (it counts code points). */
    readonly maxLength: number
  },
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { verify, now, limiter, bodyLimit, maxLength } = options
  const limit = String(limiter.max)
  const logInfo = app.log.level === 'info' || app.log.level === 'debug' || app.log.level === 'trace'

  const finish = (
    res: ServerResponse,
    start: number,
    status: number,
    headers: Record<string, string | number>,
    body: string,
  ) => {
    headers['content-length'] = Buffer.byteLength(body)
    res.writeHead(status, headers)
    res.end(body)
    if (logInfo) {
      const ms = Math.round((performance.now() - start) * 10) / 10
      app.log.info({ method: 'POST', route: VERIFY_PATH, status, ms }, 'request')
    }
  }

  // The fastify route answers (errors included): the body goes in again through inject.
  const delegate = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    app
      .inject({
        method: 'POST',
        url: VERIFY_PATH,
        headers: req.headers,
        payload: body,
        remoteAddress: req.socket.remoteAddress ?? '',
      })
      .then((answer) => {
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value)
        }
        res.writeHead(answer.statusCode)
        res.end(answer.rawPayload)
      })
      .catch(() => res.destroy())
  }

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== VERIFY_PATH) return false
    const h = req.headers
    const type = h['content-type']?.toLowerCase()
    if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return false
    if (h['transfer-encoding'] !== undefined || h.expect !== undefined) return false
    const length = Number(h['content-length'])
    if (!Number.isInteger(length) || length < 1 || length > bodyLimit) return false

    const start = performance.now()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      const hc1 = readHc1(raw.toString('utf8'), maxLength)
      if (hc1 === undefined) return delegate(req, res, raw)
      const d = limiter.hit(rateLimitKey(req.socket.remoteAddress ?? ''), Date.now())
      const headers: Record<string, string | number> = {
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-ratelimit-limit': limit,
        'x-ratelimit-remaining': d.remaining,
        'x-ratelimit-reset': d.resetS,
        'content-type': JSON_TYPE,
      }
      if (d.limited) {
        headers['retry-after'] = d.resetS
        const message = `too many requests; retry in ${d.resetS} s`
        return finish(
          res,
          start,
          429,
          headers,
          JSON.stringify({ error: { code: 'ERR_RATE_LIMITED', message } }),
        )
      }
      const ok = (report: VerificationReport) =>
        finish(res, start, 200, headers, JSON.stringify(report))
      // A verify that throws fails as in the route's error handler (build-app.ts).
      const failed = (err: unknown) => {
        const { status, body } = errorResponseFor(err)
        if (status >= 500 && body.error.code !== 'ERR_NOT_AVAILABLE') {
          app.log.error(failureLogFields(VERIFY_PATH, body.error.code, err), 'request failed')
        }
        if (status === 429) headers['retry-after'] = headers['retry-after'] ?? '60'
        finish(res, start, status, headers, JSON.stringify(body))
      }
      let report: VerificationReport | Promise<VerificationReport>
      try {
        report = verify(hc1, now())
      } catch (err) {
        return failed(err)
      }
      if (report instanceof Promise) report.then(ok, failed)
      else ok(report)
    })
    req.on('error', () => res.destroy())
    return true
  }
}

/**
 * The pass when `text` is exactly `{"hc1": <string>}` as the route's schema accepts it without
 * coercion (1 to `maxLength` characters, no other key); otherwise undefined.
 */
export function readHc1(text: string, maxLength: number): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const keys = Object.keys(body)
  if (keys.length !== 1 || keys[0] !== 'hc1') return undefined
  const hc1 = (body as { hc1: unknown }).hc1
  // UTF-16 units >= code points: within maxLength units, the schema's limit holds too.
  if (typeof hc1 !== 'string' || hc1.length === 0 || hc1.length > maxLength) return undefined
  return hc1
}
