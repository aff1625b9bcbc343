import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { VerificationReport } from '../core/verify/report.js'
import type { VerifyPass } from './app-deps.js'
import { errorResponseFor, failureLogFields } from './error-status.js'
import { rateLimitKey, type RateLimiter } from './rate-limit.js'

/** The route served here; fastify keeps its declaration (schema, OpenAPI, `app.inject`). */
export const VERIFY_PATH = '/api/public/verify'

/** A listening server's connections as the verify fast path serves them. */
export interface VerifyFastPath {
  /** Takes a new connection: answers its verify requests, hands it to node's HTTP server at the first other request. */
  serve(socket: Socket): void
  /** Closes the connections between requests; the others close after their answer (server shutdown). */
  closeIdle(): void
  /** Closes every connection still served here. */
  closeAll(): void
}

const REQUEST_LINE = `POST ${VERIFY_PATH} HTTP/1.1`
// What a reverse proxy sends by default; node answers it in HTTP/1.1 and closes unless asked not to.
const REQUEST_LINE_10 = `POST ${VERIFY_PATH} HTTP/1.0`
// Longest request head read here; a longer one goes to node's parser, which answers 431 past its limit.
const MAX_HEAD = 8 * 1024
const MAX_HEADERS = 64
// The characters of a header name (RFC 9110 tchar), by latin1 code: 1 where allowed.
const TOKEN = new Uint8Array(256).map((_, c) =>
  /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(String.fromCharCode(c)) ? 1 : 0,
)
const JSON_TYPE = 'application/json; charset=utf-8'
const DIGITS = /^[0-9]{1,9}$/

/**
 * `POST /api/public/verify` straight off the connection, outside node's HTTP objects and
 * fastify's request lifecycle, for the common request only: HTTP/1.1 or 1.0, one `Content-Length` of
 * 1 to `bodyLimit` bytes, no `Transfer-Encoding`, `Expect` or `Upgrade`, a `Host` (HTTP/1.1), content type
 * `application/json` (optionally `; charset=utf-8`), every header line well-formed, and a body
 * that is exactly `{"hc1": <1 to maxLength characters>}`. It answers as the fastify route does
 * (security and rate-limit headers, the report as JSON, 429 past the limit, the same log line
 * with a request id from the app's sequence) in one write with the headers written out, at
 * about 45 us less server CPU per request than node's `http` objects and streams here. The
 * requests read in one turn of the event loop are verified after all of them are read, and
 * their answers written after all of them are verified (at `setImmediate`, answers corked).
 *
 * At the first request that is anything else (another route, another shape, a framing this
 * parser does not read), the connection goes to node's HTTP server with that request's bytes
 * untouched, and fastify serves it and everything after it on that connection: every error keeps
 * its status, code and message, and request framing is only ever decided here when it is
 * unambiguous. Connections time out as node's do (keep-alive timeout between requests, the
 * headers timeout for a request that never completes).
 *
 * @example
 * const fast = createVerifyFastPath(app, { verify, now, limiter, bodyLimit: 16 * 1024, maxLength: 8192,
 *   server, nextRequestId, fallback: (socket) => httpConnection.call(server, socket) })
 * server.on('connection', (socket) => fast.serve(socket))
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
    /** Where `keepAliveTimeout` and `headersTimeout` are read, as node's server reads them. */
    readonly server: { readonly keepAliveTimeout: number; readonly headersTimeout: number }
    /** The app's request ids (fastify's `genReqId`), for the log line. */
    readonly nextRequestId: () => string
    /** Node's HTTP handling of a connection; bytes already read are emitted to it as `data`. */
    readonly fallback: (socket: Socket) => void
  },
): VerifyFastPath {
  const { verify, now, limiter, bodyLimit, maxLength, server, nextRequestId, fallback } = options
  const limitHeader = `x-ratelimit-limit: ${limiter.max}\r\n`
  const logInfo = app.log.level === 'info' || app.log.level === 'debug' || app.log.level === 'trace'
  const open = new Set<Connection>()
  let closing = false
  let dateSecond = -1
  let dateText = ''
  // Sockets whose answers wait, corked, for the end of this event-loop turn's poll phase: the
  // requests that arrived together are verified back to back, then their answers written one
  // write each. Interleaving each verify with its socket write (the kernel's loopback TCP,
  // waking the client) cost 20-50 us more server CPU per request at full load, likely as the
  // signature code's data left the caches in between. The corked bytes count as unread answers
  // (`writableNeedDrain`), so a pipelining client still stops this path from reading.
  const corked: Socket[] = []
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork()
    corked.length = 0
  }
  // The verifications wait for the end of the poll phase too: a turn's reads, then its
  // verifications, then its writes, each run back to back (-11% server CPU per request at full
  // load, -8% at 5,000/s, against verifying each request as it is read; interleaved A/B runs).
  const queued: Array<() => void> = []
  let flushing = false
  const verifyQueued = () => {
    flushing = true
    // A verification may let its connection read a pipelined request, queued here meanwhile.
    for (let i = 0; i < queued.length; i++) queued[i]!()
    queued.length = 0
    flushing = false
    uncorkAll()
  }

  // Node's own answer headers (a Date cached per second, keep-alive) after the route's.
  const answer = (
    conn: Connection,
    reqId: string,
    start: number,
    nowMs: number,
    status: number,
    routeHeaders: string,
    body: string,
  ) => {
    const second = Math.floor(nowMs / 1000)
    if (second !== dateSecond) {
      dateSecond = second
      dateText = new Date(second * 1000).toUTCString()
    }
    const keep = conn.keepAlive && !closing
    const head =
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${routeHeaders}` +
      `content-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nDate: ${dateText}\r\n` +
      (keep
        ? `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(server.keepAliveTimeout / 1000)}\r\n\r\n`
        : 'Connection: close\r\n\r\n')
    const socket = conn.socket
    if (!socket.destroyed) {
      if (!socket.writableCorked) {
        if (corked.length === 0 && !flushing) setImmediate(uncorkAll)
        corked.push(socket)
        socket.cork()
      }
      socket.write(head + body)
      if (!keep) socket.end()
    }
    if (logInfo) {
      const ms = Math.round((performance.now() - start) * 10) / 10
      app.log.info({ reqId, method: 'POST', route: VERIFY_PATH, status, ms }, 'request')
    }
  }

  // The request's body is `{"hc1": ...}`: rate limit, verify, answer.
  const serveVerify = (conn: Connection, hc1: string, start: number) => {
    // Drawn from the app's sequence for every request, as fastify does, so ids stay unique.
    const reqId = nextRequestId()
    const nowMs = Date.now()
    const d = limiter.hit(conn.rateKey, nowMs)
    let headers =
      'x-content-type-options: nosniff\r\nreferrer-policy: no-referrer\r\n' +
      `${limitHeader}x-ratelimit-remaining: ${d.remaining}\r\nx-ratelimit-reset: ${d.resetS}\r\n`
    if (d.limited) {
      const message = `too many requests; retry in ${d.resetS} s`
      headers += `retry-after: ${d.resetS}\r\n`
      const body = JSON.stringify({ error: { code: 'ERR_RATE_LIMITED', message } })
      return answer(conn, reqId, start, nowMs, 429, headers, body)
    }
    // A verify that throws fails as in the route's error handler (build-app.ts).
    const failed = (err: unknown) => {
      const { status, body } = errorResponseFor(err)
      if (status >= 500 && body.error.code !== 'ERR_NOT_AVAILABLE') {
        app.log.error(
          { reqId, ...failureLogFields(VERIFY_PATH, body.error.code, err) },
          'request failed',
        )
      }
      if (status === 429) headers += 'retry-after: 60\r\n'
      answer(conn, reqId, start, Date.now(), status, headers, JSON.stringify(body))
    }
    const ok = (report: VerificationReport) => {
      let json: string
      try {
        json = JSON.stringify(report)
      } catch (err) {
        return failed(err)
      }
      answer(conn, reqId, start, Date.now(), 200, headers, json)
    }
    // Later requests on this connection wait, in order, until this one is answered.
    conn.busy = true
    const settle = () => {
      conn.busy = false
      conn.resume()
    }
    if (queued.length === 0 && !flushing) setImmediate(verifyQueued)
    queued.push(() => {
      let report: VerificationReport | Promise<VerificationReport>
      try {
        report = verify(hc1, now())
      } catch (err) {
        failed(err)
        return settle()
      }
      if (!(report instanceof Promise)) {
        ok(report)
        return settle()
      }
      report
        .then(ok, failed)
        .catch(() => conn.socket.destroy())
        .finally(settle)
    })
  }

  class Connection {
    readonly socket: Socket
    readonly rateKey: string
    /** Bytes read and not yet answered (the start of the next request), or undefined. */
    pending: Buffer | undefined = undefined
    /** Where the search for the end of the head resumes in `pending`. */
    scanned = 0
    /** When the request in `pending` began (ms), for the headers timeout. */
    since = 0
    keepAlive = true
    /** A verify is queued or running: later requests wait, in order. */
    busy = false
    handedOff = false
    readonly onData = (chunk: Buffer) => {
      if (this.pending === undefined) {
        this.pending = chunk
        this.since = Date.now()
      } else {
        this.pending = Buffer.concat([this.pending, chunk])
        if (Date.now() - this.since > server.headersTimeout) {
          this.socket.destroy()
          return
        }
      }
      if (this.busy || this.waiting) this.socket.pause()
      else this.drain()
    }
    /** Waiting for the client to read its answers before reading more requests. */
    waiting = false
    readonly onDrain = () => {
      this.waiting = false
      this.resume()
    }
    readonly onTimeout = () => this.socket.destroy()
    readonly onError = () => this.socket.destroy()
    readonly onClose = () => open.delete(this)

    constructor(socket: Socket) {
      this.socket = socket
      this.rateKey = rateLimitKey(socket.remoteAddress ?? '')
      socket.on('data', this.onData)
      socket.on('error', this.onError)
      socket.on('close', this.onClose)
      socket.setTimeout(server.keepAliveTimeout, this.onTimeout)
    }

    /** Answers the complete requests in `pending`, in order, until one must go to node. */
    drain(): void {
      while (!this.busy && !this.handedOff && this.keepAlive) {
        const buf = this.pending
        if (buf === undefined) return
        // As node's server does: no more answers while the client leaves them unread.
        if (this.socket.writableNeedDrain) {
          this.waiting = true
          this.socket.pause()
          this.socket.once('drain', this.onDrain)
          return
        }
        const start = performance.now()
        const end = buf.indexOf('\r\n\r\n', this.scanned, 'latin1')
        if (end < 0) {
          // A head ended by bare line feeds is not one read here: node's parser answers it.
          if (buf.length > MAX_HEAD || buf.indexOf('\n\n', 0, 'latin1') >= 0) return this.handOff()
          this.scanned = Math.max(0, buf.length - 3)
          return
        }
        const head = readHead(buf.toString('latin1', 0, end))
        if (head === undefined || head.length > bodyLimit) return this.handOff()
        const bodyEnd = end + 4 + head.length
        if (buf.length < bodyEnd) {
          this.scanned = end
          return
        }
        const hc1 = readHc1(buf.toString('utf8', end + 4, bodyEnd), maxLength)
        if (hc1 === undefined) return this.handOff()
        this.keepAlive = !head.close
        this.scanned = 0
        if (buf.length === bodyEnd) {
          this.pending = undefined
        } else {
          this.pending = buf.subarray(bodyEnd)
          this.since = Date.now()
        }
        serveVerify(this, hc1, start)
      }
    }

    /** Reads again after an asynchronous verify or a full write buffer. */
    resume(): void {
      if (this.handedOff) return
      this.drain()
      if (!this.busy && !this.waiting && !this.handedOff) this.socket.resume()
    }

    /** From the first byte of `pending` on, node's HTTP server reads this connection. */
    handOff(): void {
      this.handedOff = true
      open.delete(this)
      const socket = this.socket
      socket.removeListener('data', this.onData)
      socket.removeListener('error', this.onError)
      socket.removeListener('close', this.onClose)
      socket.setTimeout(0)
      socket.removeListener('timeout', this.onTimeout)
      socket.removeListener('drain', this.onDrain)
      const rest = this.pending
      this.pending = undefined
      fallback(socket)
      if (rest !== undefined && !socket.destroyed) socket.emit('data', rest)
      // Paused for backpressure: what the socket buffered meanwhile now goes to node too.
      if (socket.isPaused()) socket.resume()
    }

    /** Between requests: nothing read, nothing being answered. */
    idle(): boolean {
      return this.pending === undefined && !this.busy && !this.waiting
    }
  }

  return {
    serve(socket) {
      open.add(new Connection(socket))
    },
    closeIdle() {
      closing = true
      for (const conn of open) if (conn.idle()) conn.socket.destroy()
    },
    closeAll() {
      closing = true
      for (const conn of open) conn.socket.destroy()
    },
  }
}

/**
 * The framing of a request head (without its final blank line) that the fast path serves:
 * `POST /api/public/verify HTTP/1.1` (or 1.0, which closes unless it asks to keep alive),
 * well-formed header lines, one Content-Length, a Host (HTTP/1.1), the JSON content type,
 * Connection absent, `keep-alive` or `close`, and none of Transfer-Encoding, Expect or Upgrade.
 * Undefined for anything else: node's parser then reads the request.
 *
 * @example
 * readHead('POST /api/public/verify HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 9')
 * // { length: 9, close: false }
 */
export function readHead(head: string): { length: number; close: boolean } | undefined {
  // One pass over the lines: no array of lines, no regular expression per header.
  let eol = head.indexOf('\r\n')
  if (eol < 0) eol = head.length
  const http10 = eol === REQUEST_LINE_10.length && head.startsWith(REQUEST_LINE_10)
  if (!http10 && !(eol === REQUEST_LINE.length && head.startsWith(REQUEST_LINE))) return undefined
  let length = -1
  let type: string | undefined
  let host = false
  let close = false
  let keepAlive = false
  for (let lines = 1; eol < head.length; lines++) {
    if (lines > MAX_HEADERS) return undefined
    const from = eol + 2
    eol = head.indexOf('\r\n', from)
    if (eol < 0) eol = head.length
    // A well-formed line: a token, a colon, then value characters; the value without the
    // spaces and tabs around it.
    let colon = from
    while (colon < eol && TOKEN[head.charCodeAt(colon)] === 1) colon++
    if (colon === from || colon === eol || head.charCodeAt(colon) !== 0x3a) return undefined
    let first = -1
    let last = -1
    for (let i = colon + 1; i < eol; i++) {
      const c = head.charCodeAt(i)
      if (c === 0x20 || c === 0x09) continue
      if (c < 0x20 || c === 0x7f || c > 0xff) return undefined
      if (first < 0) first = i
      last = i
    }
    const value = first < 0 ? '' : head.slice(first, last + 1)
    switch (head.slice(from, colon).toLowerCase()) {
      case 'content-length':
        if (length >= 0 || !DIGITS.test(value)) return undefined
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
  // Node requires a Host of HTTP/1.1 only; HTTP/1.0 keeps the connection only when asked to.
  if (length < 1 || (!host && !http10)) return undefined
  if (http10 && !keepAlive) close = true
  if (type !== 'application/json' && type !== JSON_TYPE) return undefined
  return { length, close }
}

/**
 * The pass when `text` is exactly `{"hc1": <string>}` as the route's schema accepts it without
 * coercion (1 to `maxLength` characters, no other key); otherwise undefined.
 *
 * @example
 * readHc1('{"hc1":"HC1:6BF..."}', 8192) // 'HC1:6BF...'
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
