import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = join(new URL('../..', import.meta.url).pathname, 'screenshots')

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Launches headless Chromium. `fakeCamera` is a .y4m or .mjpeg file that Chromium shows as the
 * camera, so the verifier's scan flow runs on a real getUserMedia stream.
 */
export async function launchBrowser(opts: { fakeCamera?: string } = {}): Promise<Browser> {
  const args = [...BASE_FLAGS]
  if (opts.fakeCamera) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${opts.fakeCamera}`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args })
}

/**
 * Opens a page that records every console error and uncaught page error, so a test can fail on
 * any of them (`expectNoConsoleErrors`).
 */
export async function openPage(
  context: BrowserContext,
): Promise<{ page: Page; consoleErrors: string[] }> {
  const page = await context.newPage()
  // The full suite shares 2 cores with every other test file: be patient, never flaky.
  page.setDefaultTimeout(60_000)
  const consoleErrors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(err.message))
  return { page, consoleErrors }
}

/** Saves a full-page screenshot under screenshots/ (ignored by git). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

/**
 * Console errors other than Chromium's own line for a request refused while a test has cut the
 * network (`context.setOffline(true)`): that one is the browser reporting the cut, not the app.
 */
export function unexpectedErrors(consoleErrors: readonly string[]): string[] {
  return consoleErrors.filter(
    (e) => !/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/.test(e),
  )
}
