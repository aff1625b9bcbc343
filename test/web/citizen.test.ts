import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { rejectDeclaration } from '../../src/storage/declarations/declaration-store.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { launchBrowser, openPage, saveScreenshot } from './browser.js'
import { CITIZEN, startWebServer, type WebServer } from './web-server.js'

// The citizen wallet in Chromium against a real server: lookup, one-time code, certificate,
// PDF, keep on the device, and the saved certificate shown with the network cut.
describe('citizen wallet in Chromium', { timeout: 150_000 }, () => {
  let server: WebServer
  let browser: Browser
  let context: BrowserContext
  let tmp: string

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startWebServer({ people: 40 }), launchBrowser()])
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
    })
    tmp = mkdtempSync(join(tmpdir(), 'vaxpass-wallet-'))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  async function fillLookup(page: Page, values: Partial<typeof CITIZEN> = {}): Promise<void> {
    const v = { ...CITIZEN, ...values }
    await page.fill('#f-fullName', v.fullName)
    await page.fill('#f-dateOfBirth', v.dob)
    await page.selectOption('#f-sex', v.sex)
    await page.fill('#f-idNumber', v.cccd)
    await page.fill('#f-lastDoseDate', v.lastDoseDate)
  }

  it('validates as the user types, in Vietnamese then English', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/wallet/`)
    await page.fill('#f-idNumber', '12345')
    await page.locator('#f-idNumber').blur()
    await expect
      .poll(() => page.textContent('#f-idNumber-error'))
      .toBe('Số CCCD có 12 chữ số, CMND có 9 chữ số.')
    expect(await page.getAttribute('#f-idNumber', 'aria-invalid')).toBe('true')
    await page.fill('#f-idNumber', '001090001234')
    await expect.poll(() => page.textContent('#f-idNumber-error')).toBe('')
    await page.fill('#f-idNumber', '0010900')
    await expect
      .poll(() => page.textContent('#f-idNumber-error'))
      .toBe('Số CCCD có 12 chữ số, CMND có 9 chữ số.')
    await saveScreenshot(page, 'wallet-lookup-error-vi')
    await page.click('header button')
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en')
    // The value typed survives the language switch and its error is explained in English.
    expect(await page.inputValue('#f-idNumber')).toBe('0010900')
    await page.click('button[type=submit]')
    await expect
      .poll(() => page.textContent('#f-idNumber-error'))
      .toBe('A CCCD has 12 digits, a CMND 9.')
    expect(await page.textContent('#f-fullName-error')).toBe('This field is required.')
    await saveScreenshot(page, 'wallet-lookup-error-en')
    await page.click('header button')
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('vi')
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('answers the same for an unknown person and a wrong field (no enumeration)', async () => {
    const answers: string[] = []
    for (const values of [{ cccd: '001099999999' }, { lastDoseDate: '2021-09-02' }, {}]) {
      const { page, consoleErrors } = await openPage(context)
      await page.goto(`${server.url}/wallet/`)
      await fillLookup(page, values)
      await page.click('button[type=submit]')
      await page.waitForSelector('#code-form')
      answers.push((await page.textContent('main'))!)
      expect(consoleErrors).toEqual([])
      await page.close()
    }
    expect(new Set(answers).size).toBe(1)
    // Only the real lookup sent a code.
    expect(await server.readOtp(CITIZEN.phone)).toMatch(/^\d{6}$/)
  })

  it('slows down repeated failed lookups of one ID and says so', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/wallet/`)
    await fillLookup(page, { cccd: '001099888888' })
    let locked = false
    for (let i = 0; i < 8 && !locked; i++) {
      await page.click('#lookup-form button[type=submit]')
      await page.waitForSelector('#code-form, #error')
      locked = (await page.locator('#error').count()) > 0
      // What was typed is still there for the next try.
      if (!locked) await page.click('#code-form button.secondary')
    }
    expect(locked).toBe(true)
    expect(await page.textContent('#error')).toBe(
      'Quá nhiều lần tra cứu không thành công. Vui lòng đợi rồi thử lại.',
    )
    expect(await page.inputValue('#f-idNumber')).toBe('001099888888')
    await saveScreenshot(page, 'wallet-lookup-locked')
    // The browser logs the 429 answer itself; the page has no other error.
    expect(consoleErrors.filter((e) => !/status of 429/.test(e))).toEqual([])
    await page.close()
  })

  it('looks up, confirms the code, shows the certificate, downloads the PDF and keeps it offline', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/wallet/`)
    await saveScreenshot(page, 'wallet-lookup')
    await fillLookup(page)
    await page.click('button[type=submit]')
    await page.waitForSelector('#code-form')
    await saveScreenshot(page, 'wallet-code')
    const code = await server.readOtp(CITIZEN.phone)
    expect(code).toMatch(/^\d{6}$/)
    await page.fill('#f-code', code!)
    await page.click('#code-form button[type=submit]')
    await page.waitForSelector('#qr svg')
    await saveScreenshot(page, 'wallet-certificate')

    // The 11 fields and the expiry.
    const terms = await page.$$eval('dl.fields dt', (els) => els.map((e) => e.textContent))
    expect(terms.length).toBeGreaterThanOrEqual(12)
    expect(await page.textContent('#holder-name')).toBe('Nguyễn Văn An')
    expect(await page.textContent('#uvci')).toMatch(/^URN:UVCI:01:VN:/)
    const expires = (await page.textContent('#expires'))!
    expect(expires).toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/)
    const body = (await page.textContent('dl.fields'))!
    for (const text of [
      'Việt Nam',
      'COVID-19',
      'Comirnaty',
      'Biontech Manufacturing GmbH',
      '17/05/1990',
    ])
      expect(body).toContain(text)

    // The QR on screen holds the certificate.
    const png = await page.locator('#qr').screenshot()
    const [qrText] = await readQrCodes(new Uint8Array(png))
    expect(qrText).toBe(server.hc1.valid)

    // PDF download: a PDF whose QR holds the same certificate.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pdf')])
    const pdfPath = join(tmp, 'certificate.pdf')
    await download.saveAs(pdfPath)
    const pdf = readFileSync(pdfPath)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdfPath, join(tmp, 'page')])
    expect(await readQrCodes(new Uint8Array(readFileSync(join(tmp, 'page.png'))))).toContain(
      server.hc1.valid,
    )

    // Keep it on the device, then reload with the network cut.
    await page.click('#save')
    await page.waitForSelector('.notice.ok')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    // The service worker controls the page after a reload; make sure the shell is cached.
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    // Installable as an app: Chromium finds nothing missing (test contexts are incognito).
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: Array<{ errorId: string }>
    }
    expect(
      installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'),
    ).toEqual([])
    await cdp.detach()
    await context.setOffline(true)
    try {
      await page.reload()
      await page.waitForSelector('#qr svg')
      expect(await page.textContent('#holder-name')).toBe('Nguyễn Văn An')
      await expect.poll(() => page.textContent('.notice')).toContain('ngoại tuyến')
      await saveScreenshot(page, 'wallet-offline')
    } finally {
      await context.setOffline(false)
    }
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('asks for a correction with a photo of the paper card and lists it', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/wallet/`)
    // The certificate kept on the device opens first; the session from the lookup still holds.
    await page.waitForSelector('#qr svg')
    await page.click('#ask-correction')
    await page.waitForSelector('#correction-form')
    await page.selectOption('#f-c_product', 'EU/1/20/1528')
    await page.fill('#f-c_lot', 'L2Y')
    await page.fill('#f-c_date', CITIZEN.lastDoseDate)
    await page.fill('#f-c_doseNumber', '2')
    await page.selectOption('#f-c_site', '001-BVBM')
    await page.fill('#f-c_dob', CITIZEN.dob)
    await page.selectOption('#f-c_sex', CITIZEN.sex)
    const photo = await renderQrPng('paper card', { scale: 4 })
    await page.setInputFiles('#evidence', {
      name: 'card.png',
      mimeType: 'image/png',
      buffer: Buffer.from(photo),
    })
    await saveScreenshot(page, 'wallet-correction')
    await page.click('#correction-form button[type=submit]')
    await page.waitForSelector('.notice.ok')
    expect(await page.textContent('.notice.ok')).toMatch(
      /^Đã gửi yêu cầu số \d+\. Trạng thái: đang chờ xem xét\.$/,
    )
    expect(await page.textContent('.panel ul')).toContain('Đang chờ xem xét')
    const filed = await server.storage.db
      .selectFrom('declarations')
      .select(['cccd', 'status', 'evidence_media_type'])
      .execute()
    expect(filed).toEqual([
      { cccd: CITIZEN.cccd, status: 'pending', evidence_media_type: 'image/png' },
    ])
    await saveScreenshot(page, 'wallet-correction-sent')
    // The holder follows its status: a reviewer rejects it, the wallet shows why.
    const { id } = await server.storage.db
      .selectFrom('declarations')
      .select('id')
      .executeTakeFirstOrThrow()
    await rejectDeclaration(
      server.storage,
      Number(id),
      { userId: 'u:reviewer', roles: ['reviewer'] },
      'Ảnh phiếu tiêm không đọc được',
      { now: new Date() },
    )
    await page.reload()
    await page.waitForSelector('#requests li[data-status="rejected"]')
    expect(await page.textContent('#requests li')).toContain(
      'Bị từ chối (Ảnh phiếu tiêm không đọc được)',
    )
    await saveScreenshot(page, 'wallet-correction-rejected')
    expect(consoleErrors).toEqual([])
    await page.close()
  })
})
