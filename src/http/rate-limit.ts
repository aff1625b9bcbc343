import type { FastifyInstance } from 'fastify'
import { normalizeIP } from '@fastify/rate-limit'
import { VaxpassError } from '../core/errors.js'

/** One client's window: requests counted since `start` (ms). */
interface Window {
  count: number
  start: number
}

/** What {@link createRateLimiter} decides for one request. */
export interface RateDecision {
  readonly limited: boolean
  /** Requests left in the window (0 once limited). */
  readonly remaining: number
  /** Seconds until the window ends. */
  readonly resetS: number
}

/** Per-key fixed-window counters, held in this process's memory. */
export interface RateLimiter {
  readonly max: number
  /** Counts one request of `key` at `nowMs` and says whether it is over the limit. */
  hit(key: string, nowMs: number): RateDecision
}

/**
 * Fixed-window counters per key, as @fastify/rate-limit's in-memory store counts (a window opens
 * at a key's first request; the request after `max` is limited until it ends), without its
 * promise chain per request. At most `capacity` keys are kept: past that, ended windows are
 * dropped, then the oldest.
 *
 * @example
 * const limiter = createRateLimiter({ max: 600, windowMs: 60_000 })
 * limiter.hit('10.0.0.1', Date.now()).limited // false
 */
export function createRateLimiter(options: {
  max: number
  windowMs: number
  capacity?: number
}): RateLimiter {
  const { max, windowMs } = options
  const capacity = options.capacity ?? 5000
  const windows = new Map<string, Window>()
  const evict = (nowMs: number) => {
    for (const [key, w] of windows) if (w.start + windowMs <= nowMs) windows.delete(key)
    for (const key of windows.keys()) {
      if (windows.size < capacity) break
      windows.delete(key)
    }
  }
  return {
    max,
    hit(key, nowMs) {
      let w = windows.get(key)
      if (w === undefined) {
        if (windows.size >= capacity) evict(nowMs)
        w = { count: 0, start: nowMs }
        windows.set(key, w)
      } else if (w.start + windowMs <= nowMs) {
        w.count = 0
        w.start = nowMs
      }
      w.count++
      const resetS = Math.ceil((w.start + windowMs - nowMs) / 1000)
      return { limited: w.count > max, remaining: Math.max(0, max - w.count), resetS }
    },
  }
}

/**
 * The key a client address counts under: IPv4 as is, IPv6 by its /64 (one host's addresses).
 *
 * @example
 * rateLimitKey('2001:db8:1:2::1') // '2001:db8:1:2::'
 */
export function rateLimitKey(ip: string): string {
  return ip.includes(':') ? normalizeIP(ip, 64) : ip
}

/**
 * Limits every request of the app (routes and 404s) per client address: `x-ratelimit-limit`,
 * `x-ratelimit-remaining` and `x-ratelimit-reset` on each answer; past the limit, 429
 * `ERR_RATE_LIMITED` with `retry-after`. A synchronous onRequest hook: the verify route serves
 * thousands of requests a second, and @fastify/rate-limit's async hook cost a chain of promises
 * on each. Returns the counters, which the verify fast path (verify-fast-path.ts) shares.
 *
 * @example
 * const limiter = registerRateLimit(app, { max: 600, windowMs: 60_000 })
 */
export function registerRateLimit(
  app: FastifyInstance,
  options: { max: number; windowMs: number },
): RateLimiter {
  const limiter = createRateLimiter(options)
  const max = String(limiter.max)
  app.addHook('onRequest', (request, reply, done) => {
    const d = limiter.hit(rateLimitKey(request.ip), Date.now())
    reply.header('x-ratelimit-limit', max)
    reply.header('x-ratelimit-remaining', d.remaining)
    reply.header('x-ratelimit-reset', d.resetS)
    if (!d.limited) return done()
    reply.header('retry-after', d.resetS)
    done(new VaxpassError('ERR_RATE_LIMITED', `too many requests; retry in ${d.resetS} s`))
  })
  return limiter
}
