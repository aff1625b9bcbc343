import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeSigner } from '../../src/core/cose/node-signer.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { signCandidate } from '../../src/storage/certificates/certificate-store.js'
import { loadIssuanceCandidate } from '../../src/storage/certificates/load-issuance-candidates.js'
import { loadActiveSigningKey } from '../../src/storage/keystore/keystore.js'
import { writeFakeCameraY4m } from '../support/fake-camera.js'
import { launchBrowser, openPage, saveScreenshot } from './browser.js'
import { CITIZEN, startWebServer, type WebServer } from './web-server.js'

type Kind = 'valid' | 'expired' | 'revoked' | 'tampered' | 'dose1' | 'recent'
// What the officer reads, in Vietnamese (the default language), and the entry rules shown unmet.
// `dose1` is dose 1 of 2; `recent` is dose 2 of 2 given 5 days before the device's clock.
const EXPECTED: Record<Kind, { valid: boolean; reason: string; rules?: string[] }> = {
  valid: { valid: true, reason: 'Chữ ký hợp lệ', rules: [] },
  expired: { valid: false, reason: 'Chứng nhận đã hết hạn.' },
  revoked: { valid: false, reason: 'Chứng nhận đã bị thu hồi.' },
  tampered: { valid: false, reason: 'Chữ ký không hợp lệ: chứng nhận đã bị sửa đổi hoặc giả mạo.' },
  dose1: { valid: false, reason: 'Phải tiêm đủ liều cơ bản.', rules: ['VR-VN-0002'] },
  recent: {
    valid: false,
    reason: 'Mũi tiêm cuối phải cách ngày nhập cảnh ít nhất 14 ngày.',
    rules: ['VR-VN-0003'],
  },
}
const KINDS = Object.keys(EXPECTED) as Kind[]
// The camera flow launches a browser per pass: the signature/validity/revocation cases.
const CAMERA_KINDS: Kind[] = ['valid', 'expired', 'revoked', 'tampered']
// test/web/web-server.ts keeps the signing keys of the seeded server here, under this passphrase.
const KEYSTORE_PASSPHRASE = 'web test passphrase'

/**
 * Signs, with the server's own (trusted) key, the citizen's certificate built from only the doses
 * `pick` returns: genuine signature and in force, so only the entry rules can turn it red.
 */
async function signCitizenWith(
  server: WebServer,
  pick: (doses: Array<{ date: string; doseNumber: number }>) => Array<{
    date: string
    doseNumber: number
  }>,
): Promise<string> {
  const now = new Date()
  const candidate = await loadIssuanceCandidate(server.storage, CITIZEN.cccd)
  if (candidate === undefined) throw new Error('no candidate')
  const active = loadActiveSigningKey({
    dir: join(server.dir, 'keys'),
    passphrase: KEYSTORE_PASSPHRASE,
    now,
  })
  const key = {
    signer: createNodeSigner({
      privateKey: active.privateKey,
      alg: active.alg,
      kid: Buffer.from(active.kid, 'base64'),
    }),
    kid: active.kid,
  }
  const doses = pick(candidate.doses) as typeof candidate.doses
  return signCandidate(
    { ...candidate, doses },
    key,
    { issuer: 'Ministry of Health of Viet Nam', country: 'VN' },
    now,
    'issued',
  ).hc1
}

const DAY = 86_400_000

// The border verifier in Chromium: QR image files and a fake camera stream of a valid, an
// expired, a revoked and a tampered certificate, then the same with the network cut; and
// Vietnam's entry rules: dose 1 of 2, and dose 2 of 2 under 14 days old, are red with the rule.
describe('border verifier in Chromium', { timeout: 150_000 }, () => {
  let server: WebServer
  let browser: Browser
  let context: BrowserContext
  let tmp: string
  const images = {} as Record<Kind, string>
  let hc1: Record<Kind, string>

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startWebServer({ people: 20 }), launchBrowser()])
    tmp = mkdtempSync(join(tmpdir(), 'vaxpass-verifier-'))
    const recentDate = new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10)
    hc1 = {
      ...server.hc1,
      dose1: await signCitizenWith(server, (doses) => doses.filter((d) => d.doseNumber === 1)),
      recent: await signCitizenWith(server, (doses) =>
        doses.map((d) => (d.doseNumber === 2 ? { ...d, date: recentDate } : d)),
      ),
    }
    for (const kind of KINDS) {
      images[kind] = join(tmp, `${kind}.png`)
      writeFileSync(images[kind], await renderQrPng(hc1[kind], { scale: 4 }))
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
    const rules = EXPECTED[kind].rules
    if (rules !== undefined) {
      const shown = await verdict
        .locator('.rule')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))
      expect(shown).toEqual(rules)
    }
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
    await openImage(page, 'dose1', false)
    expect(await page.getAttribute('.verdict', 'data-valid')).toBe('false')
    expect(await page.textContent('.verdict')).toContain(
      'The primary vaccination series must be complete.',
    )
    expect(await page.textContent('.verdict')).not.toContain('Phải tiêm đủ liều cơ bản.')
    await openImage(page, 'recent', false)
    expect(await page.textContent('.verdict')).toContain(
      'The last dose must be at least 14 days before arrival.',
    )
    await saveScreenshot(page, 'verify-image-recent-en')
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
      // The entry rules are bundled: they apply offline too.
      await openImage(page, 'dose1')
      await saveScreenshot(page, 'verify-offline')
    } finally {
      await context.setOffline(false)
    }
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('scans the same certificates from a fake camera stream', async () => {
    for (const kind of CAMERA_KINDS) {
      const y4m = await writeFakeCameraY4m(
        join(tmp, `${kind}.y4m`),
        await renderQrPng(hc1[kind], { scale: 6 }),
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
