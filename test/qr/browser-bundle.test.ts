// src/core/qr must run in a browser: bundled by esbuild for the browser platform, loaded in
// Chromium with the wasm served by us (never the CDN), it renders and reads a QR code.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'

const hasChromium = (() => {
  try {
    execFileSync('chromium', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

const HC1 = 'HC1:' + 'NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I1P1'.repeat(6)

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('../../src/core/qr/index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}

describe('src/core/qr in a browser', () => {
  it('bundles for the browser without importing Node modules', async () => {
    const js = await bundle()
    expect(js).not.toMatch(/from\s*["']node:|require\(["']node:/)
  })

  it.skipIf(!hasChromium)(
    'renders and reads a QR code in Chromium with a self-served wasm',
    async () => {
      const js = await bundle()
      const wasm = readFileSync(
        createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
      )
      const server = createServer((req, res) => {
        if (req.url === '/qr.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
        else if (req.url === '/assets/zxing_reader.wasm')
          res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm)
        else
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<!doctype html><title>qr</title>')
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox'],
      })
      const foreign: string[] = []
      try {
        const page = await browser.newPage()
        page.on('request', (r) => {
          if (!r.url().startsWith(origin)) foreign.push(r.url())
        })
        await page.goto(origin + '/')
        // A string, not a function: vitest rewrites import() inside test functions.
        const result: unknown = await page.evaluate(`(async () => {
        const qr = await import('/qr.js')
        qr.configureQrReader({ wasmUrl: '/assets/zxing_reader.wasm' })
        const png = await qr.renderQrPng(${JSON.stringify(HC1)}, { scale: 4 })
        const svg = qr.renderQrSvg(${JSON.stringify(HC1)})
        return { codes: await qr.readQrCodes(png), svg: svg.slice(0, 4) }
      })()`)
        expect(result).toEqual({ codes: [HC1], svg: '<svg' })
        expect(foreign).toEqual([])

        // Without configureQrReader zxing-wasm would fetch from its CDN: blocked here (nothing
        // leaves the machine), the failure is ERR_INTERNAL, not blamed on the image.
        const page2 = await browser.newPage()
        const blocked: string[] = []
        page2.on('request', (r) => {
          if (!r.url().startsWith(origin)) blocked.push(r.url())
        })
        await page2.route(
          (url) => !url.href.startsWith(origin),
          (route) => route.abort(),
        )
        await page2.goto(origin + '/')
        const unconfigured: unknown = await page2.evaluate(`(async () => {
        const qr = await import('/qr.js')
        const png = await qr.renderQrPng('HC1:X')
        return qr.readQrCodes(png).then(() => 'read', (e) => e.code)
      })()`)
        expect(unconfigured).toBe('ERR_INTERNAL')
        expect(blocked.some((u) => u.includes('zxing_reader.wasm'))).toBe(true)
      } finally {
        await browser.close()
        server.close()
      }
    },
  )
})
