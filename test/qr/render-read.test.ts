// QR out -> QR in round trips on real images, and the encoding HCERT asks for (one alphanumeric
// segment, error correction Q), read back from the decoded symbol.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readBarcodes } from 'zxing-wasm/reader'
import { qrMatrix } from '../../src/core/qr/qr-matrix.js'
import { readQrCode, readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import { renderQrSvg } from '../../src/core/qr/render-qr-svg.js'
import { decodePng } from './image-transforms.js'

// A long, realistic HC1 string: the base45 alphabet in a pseudo-random order, 1,200 characters.
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
function longHc1(n: number): string {
  let s = 7
  let out = 'HC1:'
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    out += B45[(s >>> 8) % 45]
  }
  return out
}
const HC1 = longHc1(1200)

const tmp = mkdtempSync(join(tmpdir(), 'vaxpass-qr-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('qrMatrix', () => {
  it('encodes HC1 text as one alphanumeric segment with error correction Q', () => {
    const m = qrMatrix(HC1)
    expect(m.modes).toEqual(['alphanumeric'])
    expect(m.errorCorrection).toBe('Q')
    expect(m.size).toBe(17 + 4 * m.version)
    // Finder pattern corners are dark, the separator beside them light.
    expect([m.isDark(0, 0), m.isDark(0, m.size - 1), m.isDark(m.size - 1, 0)]).toEqual([
      true,
      true,
      true,
    ])
    expect(m.isDark(7, 7)).toBe(false)
    expect(m.isDark(-1, 0)).toBe(false)
    expect(m.isDark(0, m.size)).toBe(false)
  })

  it('needs a smaller symbol than byte mode would', () => {
    // Alphanumeric packs 5.5 bits per character, byte mode 8: the forced mode must pay off.
    const alnum = qrMatrix(HC1)
    const bytes = qrMatrix(HC1.toLowerCase())
    expect(bytes.modes).toContain('byte')
    expect(alnum.version).toBeLessThan(bytes.version)
  })

  it('refuses empty and oversized text', () => {
    expect(() => qrMatrix('')).toThrow(expect.objectContaining({ code: 'ERR_INPUT_EMPTY' }))
    expect(() => qrMatrix(longHc1(5000))).toThrow(
      expect.objectContaining({ code: 'ERR_INPUT_TOO_LARGE' }),
    )
  })
})

describe('renderQrPng -> readQrCodes', () => {
  it('round-trips a long HC1 string, read back as EC level Q', async () => {
    const png = await renderQrPng(HC1)
    expect(await readQrCodes(png)).toEqual([HC1])
    expect(await readQrCode(png)).toBe(HC1)
    const [r] = await readBarcodes(png, { formats: ['QRCode'] })
    expect(r?.ecLevel).toBe('Q')
    expect(r?.version).toBe(String(qrMatrix(HC1).version))
  })

  it('draws scale x modules plus the quiet zone, deterministically', async () => {
    const png = await renderQrPng(HC1, { scale: 3, margin: 2 })
    const g = decodePng(png)
    const side = (qrMatrix(HC1).size + 4) * 3
    expect([g.width, g.height]).toEqual([side, side])
    // Quiet zone white, first finder module black.
    expect(g.px[0]).toBe(255)
    expect(g.px[6 * side + 6]).toBe(0)
    expect(await renderQrPng(HC1, { scale: 3, margin: 2 })).toEqual(png)
  })

  it('round-trips short text, non-alphanumeric text (byte mode) and Vietnamese UTF-8', async () => {
    for (const text of ['HC1:1', 'https://example.vn/cert?id=42', 'Nguyễn Thị Hồng Đào']) {
      expect(await readQrCodes(await renderQrPng(text, { scale: 4 }))).toEqual([text])
    }
  })

  it('refuses a scale that would make a huge image', async () => {
    await expect(renderQrPng(HC1, { scale: 200 })).rejects.toMatchObject({
      code: 'ERR_INPUT_TOO_LARGE',
    })
  })
})

const chromium = (() => {
  try {
    execFileSync('chromium', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('renderQrSvg', () => {
  it('is a standalone SVG with the requested size', () => {
    const svg = renderQrSvg(HC1, { size: '45mm' })
    const full = qrMatrix(HC1).size + 8
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).toContain(`viewBox="0 0 ${full} ${full}"`)
    expect(svg).toContain('width="45mm"')
    expect(renderQrSvg(HC1)).toBe(renderQrSvg(HC1))
    expect(renderQrSvg('x', { dark: '"><script>' })).not.toContain('<script>')
  })

  // Rasterised by a real SVG renderer (Debian's chromium, which CI installs), then decoded.
  it.skipIf(!chromium)('rasterised by chromium, decodes to the same HC1 string', async () => {
    const svgPath = join(tmp, 'qr.svg')
    const pngPath = join(tmp, 'qr.png')
    writeFileSync(svgPath, renderQrSvg(HC1, { size: 600 }))
    execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--screenshot=${pngPath}`,
        '--window-size=640,640',
        `file://${svgPath}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    )
    expect(await readQrCodes(readFileSync(pngPath))).toEqual([HC1])
  })
})
