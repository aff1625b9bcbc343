import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/http/build-app.js'
import { openDatabase } from '../../src/storage/open-database.js'
import type { Storage } from '../../src/storage/storage.js'
import { ensureWebBuild, WEB_ROOT } from './web-server.js'

// The server serves the built apps with the right types, compressed for browsers that accept it.
describe('web apps served by the vaxpass server', () => {
  let storage: Storage
  let app: FastifyInstance

  beforeAll(async () => {
    ensureWebBuild()
    storage = await openDatabase({ DATABASE_URL: ':memory:' })
    app = await buildApp({
      db: storage.db as unknown as Kysely<any>,
      now: () => new Date(),
      webRoot: WEB_ROOT,
    })
  })
  afterAll(async () => {
    await app?.close()
    await storage?.close()
  })

  it('redirects / to the wallet', async () => {
    const res = await app.inject({ url: '/' })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/wallet/')
  })

  it.each([
    ['/wallet/', 'text/html'],
    ['/staff/', 'text/html'],
    ['/verify/', 'text/html'],
    ['/wallet/app.js', 'javascript'],
    ['/verify/sw.js', 'javascript'],
    ['/wallet/manifest.webmanifest', 'manifest+json'],
    ['/assets/styles.css', 'text/css'],
    ['/assets/icon.svg', 'image/svg+xml'],
    ['/assets/zxing_reader.wasm', 'application/wasm'],
  ])('serves %s as %s', async (url, type) => {
    const res = await app.inject({ url })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain(type)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('sends the brotli copy to browsers that accept it, the same bytes once decoded', async () => {
    const res = await app.inject({
      url: '/verify/app.js',
      headers: { 'accept-encoding': 'br, gzip' },
    })
    expect(res.headers['content-encoding']).toBe('br')
    const raw = readFileSync(join(WEB_ROOT, 'verify/app.js'))
    expect(res.rawPayload.length).toBeLessThan(raw.length / 2)
    expect(brotliDecompressSync(res.rawPayload).equals(raw)).toBe(true)
  })

  it('keeps API 404s as JSON errors', async () => {
    const res = await app.inject({ url: '/api/public/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('ERR_NOT_FOUND')
  })
})
