import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { writeFakeCameraY4m } from '../support/fake-camera.js'
import { launchBrowser, openPage, saveScreenshot } from './browser.js'
import { startWebServer, type WebServer } from './web-server.js'

type Kind = 'valid' | 'expired' | 'revoked' | 'tampered'
// What the officer reads, in Vietnamese (the default language).
const EXPECTED: Record<Kind, { valid: boolean; reason: string }> = {
  valid: { valid: true, reason: 'Chữ ký hợp lệ' },
  expired: { valid: false, reason: 'Chứng nhận đã hết hạn.' },
  revoked: { valid: false, reason: 'Chứng nhận đã bị thu hồi.' },
  tampered: { valid: false, reason: 'Chữ ký không hợp lệ: chứng nhận đã bị sửa đổi hoặc giả mạo.' },
}
const KINDS = Object.keys(EXPECTED) as Kind[]

// The border verifier in Chromium: QR image files and a fake camera stream of a valid, an
// expired, a revoked and a tampered certificate, then the same with the network cut.
describe('border verifier in Chromium', { timeout: 150_000 }, () => {
  let server: WebServer
  let browser: Browser
  let context: BrowserContext
  let tmp: string
  const images = {} as Record<Kind, string>

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startWebServer({ people: 20 }), launchBrowser()])
    tmp = mkdtempSync(join(tmpdir(), 'vaxpass-verifier-'))
    for (const kind of KINDS) {
      images[kind] = join(tmp, `${kind}.png`)
      writeFileSync(images[kind], await renderQrPng(server.hc1[kind], { scale: 4 }))
    }
    context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  async function expectVerdict(page: Page, kind: Kind): Promise<void> {
    const verdict = page.locator('.verdict')
    await verdict.waitFor()
    expect(await verdict.getAttribute('data-valid')).toBe(String(EXPECTED[kind].valid))
    expect(await verdict.textContent()).toContain(EXPECTED[kind].reason)
    if (kind !== 'tampered') {
      expect(await page.textContent('#holder-name')).toBe(
        kind === 'revoked' ? 'Trần Thị Bích Ngọc' : 'Nguyễn Văn An',
      )
    }
  }

  async function openImage(page: Page, kind: Kind, check = true): Promise<void> {
    // A fresh result each time: the previous verdict goes away when a new file is chosen.
    await page.evaluate(() => document.querySelector('.verdict')?.remove())
    await page.setInputFiles('#image-input', images[kind])
    if (check) await expectVerdict(page, kind)
    else await page.locator('.verdict').waitFor()
  }

  it('reads image files: green for the valid one, red with the reason for the others', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/verify/`)
    await page.waitForSelector('#data-status[data-state="online"]')
    expect(await page.textContent('#data-status')).toContain('1 khóa ký, 1 chứng nhận bị thu hồi')
    await saveScreenshot(page, 'verify-start')
    for (const kind of KINDS) {
      await openImage(page, kind)
      await saveScreenshot(page, `verify-image-${kind}`)
    }
    // English, too.
    await page.click('header button')
    await openImage(page, 'valid', false)
    expect(await page.textContent('.verdict')).toContain('✓ VALID')
    await openImage(page, 'revoked', false)
    expect(await page.textContent('.verdict')).toContain('The certificate has been revoked.')
    await saveScreenshot(page, 'verify-image-revoked-en')
    await page.click('header button')
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('works with the network cut after the first load, from the saved lists', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/verify/`)
    await page.waitForSelector('#data-status[data-state="online"]')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await page.waitForSelector('#data-status[data-state="online"]')
    await context.setOffline(true)
    try {
      await page.reload()
      await page.waitForSelector('#data-status[data-state="offline"]')
      expect(await page.textContent('#data-status')).toContain('Ngoại tuyến')
      await openImage(page, 'valid')
      await openImage(page, 'revoked')
      await saveScreenshot(page, 'verify-offline')
    } finally {
      await context.setOffline(false)
    }
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('scans the same certificates from a fake camera stream', async () => {
    for (const kind of KINDS) {
      const y4m = await writeFakeCameraY4m(
        join(tmp, `${kind}.y4m`),
        await renderQrPng(server.hc1[kind], { scale: 6 }),
        {
          frames: 3,
        },
      )
      const camBrowser = await launchBrowser({ fakeCamera: y4m })
      try {
        const camContext = await camBrowser.newContext({ viewport: { width: 390, height: 844 } })
        await camContext.grantPermissions(['camera'], { origin: server.url })
        const { page, consoleErrors } = await openPage(camContext)
        await page.goto(`${server.url}/verify/`)
        await page.waitForSelector('#data-status[data-state="online"]')
        await page.click('#scan')
        await expectVerdict(page, kind)
        await saveScreenshot(page, `verify-camera-${kind}`)
        expect(consoleErrors).toEqual([])
      } finally {
        await camBrowser.close()
      }
    }
  })
})
