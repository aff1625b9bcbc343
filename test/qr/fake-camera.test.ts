// The fake camera file for browser tests: a frame read back decodes to the QR it was given, and
// Chromium, fed the file as its camera, delivers frames that decode too.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { readY4mFrame, writeFakeCameraY4m } from '../support/fake-camera.js'

const HC1 = 'HC1:' + 'NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I1P1'.repeat(8)
const tmp = mkdtempSync(join(tmpdir(), 'vaxpass-cam-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function lumaToRgba(luma: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(luma.length * 4)
  luma.forEach((v, i) => rgba.set([v, v, v, 255], i * 4))
  return rgba
}

const hasChromium = (() => {
  try {
    execFileSync('chromium', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('writeFakeCameraY4m', () => {
  it('writes frames that decode to the QR text', async () => {
    const path = await writeFakeCameraY4m(
      join(tmp, 'cam.y4m'),
      await renderQrPng(HC1, { scale: 3 }),
      { frames: 4 },
    )
    for (const i of [0, 3]) {
      const f = await readY4mFrame(path, i)
      expect([f.width, f.height]).toEqual([640, 480])
      expect(
        await readQrCodes({ width: f.width, height: f.height, data: lumaToRgba(f.luma) }),
      ).toEqual([HC1])
    }
    await expect(readY4mFrame(path, 4)).rejects.toThrow('no such frame')
  })

  it.skipIf(!hasChromium)('is accepted by Chromium as its camera', async () => {
    const path = await writeFakeCameraY4m(
      join(tmp, 'chromium.y4m'),
      await renderQrPng(HC1, { scale: 4 }),
    )
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${path}`,
      ],
    })
    // getUserMedia needs a secure context: http://127.0.0.1 is one, about:blank is not.
    const server = createServer((_, res) => res.end('<!doctype html><title>camera</title>'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      const frame = await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true })
        const video = document.createElement('video')
        video.muted = true
        video.srcObject = stream
        await video.play()
        await new Promise((r) => setTimeout(r, 300))
        const canvas = document.createElement('canvas')
        canvas.width = video.videoWidth
        canvas.height = video.videoHeight
        canvas.getContext('2d')!.drawImage(video, 0, 0)
        stream.getTracks().forEach((t) => t.stop())
        return { width: canvas.width, height: canvas.height, png: canvas.toDataURL('image/png') }
      })
      expect([frame.width, frame.height]).toEqual([640, 480])
      const png = Buffer.from(frame.png.replace(/^data:image\/png;base64,/, ''), 'base64')
      expect(await readQrCodes(png)).toEqual([HC1])
    } finally {
      await browser.close()
      server.close()
    }
  })
})
