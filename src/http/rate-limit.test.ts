import { createRequire } from 'node:module'
import Fastify from 'fastify'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRateLimiter, registerRateLimit } from './rate-limit.js'

// The reference: @fastify/rate-limit's in-memory store, which this limiter replaces.
type StoreResult = { current: number; ttl: number }
const LocalStore = createRequire(import.meta.url)(
  '@fastify/rate-limit/store/LocalStore.js',
) as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache: number,
) => {
  incr(
    key: string,
    cb: (err: Error | null, res: StoreResult) => void,
    timeWindow: number,
    max: number,
  ): void
}

describe('createRateLimiter', () => {
  it('counts like @fastify/rate-limit: same limited/remaining/reset on any sequence of requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 2500 })), {
          maxLength: 60,
        }),
        (max, windowMs, steps) => {
          const limiter = createRateLimiter({ max, windowMs })
          const store = new LocalStore(false, false, 5000)
          let now = 1_700_000_000_000
          const realNow = Date.now
          try {
            for (const [key, delta] of steps) {
              now += delta
              Date.now = () => now // LocalStore reads the clock itself
              let ref: StoreResult | undefined
              store.incr(key, (_e, r) => (ref = { ...r }), windowMs, max)
              const got = limiter.hit(key, now)
              expect(got).toEqual({
                limited: ref!.current > max,
                remaining: Math.max(0, max - ref!.current),
                resetS: Math.ceil(ref!.ttl / 1000),
              })
            }
          } finally {
            Date.now = realNow
          }
        },
      ),
    )
  })

  it('keeps at most `capacity` keys, dropping ended windows first', () => {
    const limiter = createRateLimiter({ max: 1, windowMs: 1000, capacity: 2 })
    expect(limiter.hit('a', 0).limited).toBe(false)
    expect(limiter.hit('b', 500).limited).toBe(false)
    // 'a' has ended: adding 'c' drops it and keeps 'b', which is still limited on its next request.
    expect(limiter.hit('c', 1200).limited).toBe(false)
    expect(limiter.hit('b', 1300).limited).toBe(true)
    // Past capacity with no ended window, the oldest key goes.
    expect(limiter.hit('d', 1400).limited).toBe(false)
    expect(limiter.hit('b', 1450).limited).toBe(false)
  })
})

describe('registerRateLimit', () => {
  async function app(max: number) {
    const a = Fastify({ logger: false })
    registerRateLimit(a, { max, windowMs: 60_000 })
    a.get('/x', async () => ({ ok: true }))
    a.setNotFoundHandler((_req, reply) => {
      reply.code(404).send({ error: 'none' })
    })
    a.setErrorHandler((err, _req, reply) => {
      reply
        .code((err as { code?: string }).code === 'ERR_RATE_LIMITED' ? 429 : 500)
        .send({ message: (err as Error).message })
    })
    await a.ready()
    return a
  }

  it('sets the limit headers on each answer and answers ERR_RATE_LIMITED with retry-after past the limit', async () => {
    const a = await app(2)
    const first = await a.inject({ url: '/x', remoteAddress: '10.0.0.1' })
    expect(first.statusCode).toBe(200)
    expect(first.headers['x-ratelimit-limit']).toBe('2')
    expect(first.headers['x-ratelimit-remaining']).toBe('1')
    expect(first.headers['x-ratelimit-reset']).toBe('60')
    expect((await a.inject({ url: '/x', remoteAddress: '10.0.0.1' })).statusCode).toBe(200)
    const third = await a.inject({ url: '/x', remoteAddress: '10.0.0.1' })
    expect(third.statusCode).toBe(429)
    expect(third.headers['x-ratelimit-remaining']).toBe('0')
    expect(third.headers['retry-after']).toBe('60')
    expect(third.json().message).toBe('too many requests; retry in 60 s')
    expect((await a.inject({ url: '/x', remoteAddress: '10.0.0.2' })).statusCode).toBe(200)
    await a.close()
  })

  it('limits unknown routes too, and counts an IPv6 client by its /64', async () => {
    const a = await app(1)
    expect((await a.inject({ url: '/nope', remoteAddress: '10.0.0.3' })).statusCode).toBe(404)
    expect((await a.inject({ url: '/nope', remoteAddress: '10.0.0.3' })).statusCode).toBe(429)
    expect((await a.inject({ url: '/x', remoteAddress: '2001:db8:1:2::1' })).statusCode).toBe(200)
    expect((await a.inject({ url: '/x', remoteAddress: '2001:db8:1:2:ffff::9' })).statusCode).toBe(
      429,
    )
    expect((await a.inject({ url: '/x', remoteAddress: '2001:db8:1:3::1' })).statusCode).toBe(200)
    await a.close()
  })
})
