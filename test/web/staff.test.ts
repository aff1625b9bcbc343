import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileDeclaration } from '../../src/storage/declarations/declaration-store.js'
import { launchBrowser, openPage, saveScreenshot, unexpectedErrors } from './browser.js'
import { CITIZEN, REVOKED_PERSON, SITE, startWebServer, type WebServer } from './web-server.js'

const HEADER = 'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code'
// Three good rows and two bad ones (unknown product; a date that does not exist).
const CSV =
  [
    HEADER,
    `${CITIZEN.cccd},${CITIZEN.fullName},${CITIZEN.dob},M,EU/1/20/1528,B3,2022-01-10,3,${SITE}`,
    `${REVOKED_PERSON.cccd},${REVOKED_PERSON.fullName},${REVOKED_PERSON.dob},F,EU/1/20/1528,B3,2022-02-11,3,${SITE}`,
    `001095007777,Lê Văn Cường,1995-03-03,M,EU/1/20/1507,B4,2021-12-01,1,${SITE}`,
    `001095008888,Phạm Thị Dung,1996-04-04,F,NOT-A-VACCINE,B5,2021-12-02,1,${SITE}`,
    `001095009999,Hoàng Văn Em,1997-05-05,M,EU/1/20/1528,B6,2021-02-30,1,${SITE}`,
  ].join('\n') + '\n'

// The staff console in Chromium: site staff upload a CSV and enter a dose, a reviewer works
// the review queue, and the reports draw their charts.
describe('staff console in Chromium', { timeout: 150_000 }, () => {
  let server: WebServer
  let browser: Browser
  let context: BrowserContext

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startWebServer({ people: 80 }), launchBrowser()])
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function signIn(page: Page, who: 'staff' | 'reviewer' | 'admin'): Promise<void> {
    await page.goto(`${server.url}/staff/`)
    await page.waitForSelector('#sign-in-form')
    await page.fill('#f-username', server.users[who].username)
    await page.fill('#f-password', server.users[who].password)
    await page.click('#sign-in-form button[type=submit]')
    await page.waitForSelector('#sign-out')
  }

  it('site staff upload a CSV: progress, summary, rejects file, and a lost connection loses nothing', async () => {
    const { page, consoleErrors } = await openPage(context)
    await page.goto(`${server.url}/staff/`)
    await saveScreenshot(page, 'staff-sign-in')
    await signIn(page, 'staff')
    await page.click('a[href="#/upload"]')
    await page.waitForSelector('#upload-form')
    await page.setInputFiles('#csv-file', {
      name: 'site-export.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    })

    // The network goes down during the upload: the file stays chosen and one click retries.
    await context.setOffline(true)
    try {
      await page.click('#upload-form button[type=submit]')
      await page.waitForSelector('#error')
      expect(await page.textContent('#error')).toContain('Mất kết nối khi tải lên')
      await saveScreenshot(page, 'staff-upload-lost')
    } finally {
      await context.setOffline(false)
    }
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean }
      w.sawProgress = false
      new MutationObserver(() => {
        if (document.querySelector('progress')) w.sawProgress = true
      }).observe(document.body, { childList: true, subtree: true })
    })
    expect(await page.textContent('#retry-upload')).toContain('site-export.csv')
    await page.click('#retry-upload')
    await page.waitForSelector('#notice')
    expect(
      await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress),
    ).toBe(true)
    expect(await page.textContent('#notice')).toBe('Đọc 5 dòng: thêm 3, trùng 0, loại 2.')
    await saveScreenshot(page, 'staff-upload-done')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-rejects'),
    ])
    const rejects = readFileSync((await download.path())!, 'utf8')
    expect(rejects).toContain('NOT-A-VACCINE')
    expect(rejects).toContain('2021-02-30')
    expect(rejects).not.toContain('Lê Văn Cường')
    expect(unexpectedErrors(consoleErrors)).toEqual([])
    await page.close()
  })

  it('site staff enter a dose: errors as they type, in Vietnamese then English', async () => {
    const { page, consoleErrors } = await openPage(context)
    await signIn(page, 'staff')
    await page.waitForSelector('#dose-form')
    await page.fill('#f-cccd', '12345')
    await page.locator('#f-cccd').blur()
    await expect
      .poll(() => page.textContent('#f-cccd-error'))
      .toBe('Số CCCD có 12 chữ số, CMND có 9 chữ số.')
    await page.fill('#f-date', '2099-01-01')
    await page.locator('#f-date').blur()
    await expect
      .poll(() => page.textContent('#f-date-error'))
      .toBe('Ngày tiêm không được ở tương lai.')
    await page.fill('#f-doseNumber', '0')
    await page.locator('#f-doseNumber').blur()
    await expect.poll(() => page.textContent('#f-doseNumber-error')).toBe('Mũi số từ 1 đến 9.')
    await saveScreenshot(page, 'staff-dose-errors-vi')
    await page.click('header button[lang]')
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.inputValue('#f-cccd')).toBe('12345')
    await page.click('#dose-form button[type=submit]')
    await expect
      .poll(() => page.textContent('#f-cccd-error'))
      .toBe('A CCCD has 12 digits, a CMND 9.')
    expect(await page.textContent('#f-date-error')).toBe('The date cannot be in the future.')
    expect(await page.textContent('#f-fullName-error')).toBe('This field is required.')
    await saveScreenshot(page, 'staff-dose-errors-en')

    await page.fill('#f-cccd', '001095007777')
    await page.fill('#f-fullName', 'Lê Văn Cường')
    await page.fill('#f-dob', '1995-03-03')
    await page.selectOption('#f-sex', 'M')
    await page.selectOption('#f-product', 'EU/1/20/1507')
    await page.fill('#f-lot', 'B7')
    await page.fill('#f-date', '2022-01-05')
    await page.fill('#f-doseNumber', '2')
    await page.click('#dose-form button[type=submit]')
    await page.waitForSelector('#notice')
    expect(await page.textContent('#notice')).toContain('Dose saved')
    await saveScreenshot(page, 'staff-dose-saved-en')
    await page.click('header button[lang]')
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('a reviewer sees the differences, approves one declaration and rejects another with a reason', async () => {
    const now = new Date()
    const citizenActor = (cccd: string) => ({ userId: `person:${cccd}`, roles: [] })
    // A lot number the record got wrong (approvable), and a birth date that matches nobody.
    const a = await fileDeclaration(
      server.storage,
      {
        cccd: CITIZEN.cccd,
        fullName: CITIZEN.fullName,
        dob: CITIZEN.dob,
        sex: CITIZEN.sex,
        doses: [
          {
            product: 'EU/1/20/1528',
            lot: 'L2Y',
            date: CITIZEN.lastDoseDate,
            doseNumber: 2,
            siteCode: SITE,
          },
        ],
      },
      citizenActor(CITIZEN.cccd),
      { now },
    )
    const b = await fileDeclaration(
      server.storage,
      {
        cccd: REVOKED_PERSON.cccd,
        fullName: REVOKED_PERSON.fullName,
        dob: '1986-11-02',
        sex: REVOKED_PERSON.sex,
        doses: [
          { product: 'EU/1/20/1528', lot: '', date: '2021-10-05', doseNumber: 2, siteCode: SITE },
        ],
      },
      citizenActor(REVOKED_PERSON.cccd),
      { now },
    )
    const { page, consoleErrors } = await openPage(context)
    await signIn(page, 'reviewer')
    await page.waitForSelector(`article[data-id="${a.id}"] table.doses`)
    await saveScreenshot(page, 'staff-review-queue')
    await page.setViewportSize({ width: 390, height: 844 })
    await saveScreenshot(page, 'staff-review-queue-phone')
    await page.setViewportSize({ width: 1280, height: 900 })
    const cardA = page.locator(`article[data-id="${a.id}"]`)
    const cardB = page.locator(`article[data-id="${b.id}"]`)
    expect(await cardA.locator('table.doses mark.diff').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('L2Y')]),
    )
    expect(await cardB.locator('table.identity mark.diff').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('1986-11-02')]),
    )

    // Rejecting needs a reason, asked for in place.
    await cardB.locator('button.reject').click()
    await expect
      .poll(() => cardB.locator('.field-error').textContent())
      .toBe('Bắt buộc nhập trường này.')
    await cardB.locator('input').fill('Ngày sinh không khớp với CSDL dân cư')
    // A lost connection keeps the reason typed and says the decision was not saved.
    await context.setOffline(true)
    try {
      await cardB.locator('button.reject').click()
      await page.waitForSelector('#error')
      expect(await page.textContent('#error')).toBe(
        'Mất kết nối: quyết định chưa được lưu. Hãy thử lại.',
      )
      expect(await page.locator(`article[data-id="${b.id}"] input`).inputValue()).toBe(
        'Ngày sinh không khớp với CSDL dân cư',
      )
    } finally {
      await context.setOffline(false)
    }
    await page.locator(`article[data-id="${b.id}"] button.reject`).click()
    await page.waitForSelector('#notice')
    expect(await page.textContent('#notice')).toBe(`Đã từ chối khai báo ${b.id}.`)
    await page.waitForSelector(`article[data-id="${a.id}"] table.doses`)
    await page.locator(`article[data-id="${a.id}"] button.approve`).click()
    await page.waitForSelector('#notice')
    expect(await page.textContent('#notice')).toBe(`Đã chấp thuận khai báo ${a.id}.`)
    await page.waitForSelector('text=Không có khai báo nào chờ duyệt.')
    await saveScreenshot(page, 'staff-review-done')
    const statuses = await server.storage.db
      .selectFrom('declarations')
      .select(['id', 'status'])
      .orderBy('id')
      .execute()
    expect(statuses.map((r) => [Number(r.id), r.status])).toEqual([
      [a.id, 'approved'],
      [b.id, 'rejected'],
    ])
    expect(unexpectedErrors(consoleErrors)).toEqual([])
    await page.close()
  })

  it('draws the reports: doses by province, mismatches by reason, certificates per day', async () => {
    const { page, consoleErrors } = await openPage(context)
    await signIn(page, 'admin')
    await page.waitForSelector('#reports-h')
    await page.waitForSelector('svg.chart')
    expect(await page.locator('svg.chart').count()).toBe(3)
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(10)
    const tables = await page.locator('table').allTextContents()
    expect(tables[0]).toContain('Hà Nội')
    expect(tables[2]).toContain(new Date().toISOString().slice(0, 10))
    await saveScreenshot(page, 'staff-reports-vi')
    await page.click('header button[lang]')
    await page.waitForSelector('text=Coverage by province')
    await saveScreenshot(page, 'staff-reports-en')
    await page.setViewportSize({ width: 390, height: 844 })
    await saveScreenshot(page, 'staff-reports-en-phone')
    await page.click('header button[lang]')
    expect(consoleErrors).toEqual([])
    await page.close()
  })
})
