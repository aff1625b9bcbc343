// The paper certificate, checked the way a reader sees it: rendered to pixels by poppler and the
// QR decoded, text extracted, pages counted, the printed QR size measured.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBarcodes } from 'zxing-wasm/reader'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import type { CertificateView } from '../../src/pdf/certificate-view.js'
import { renderCertificatePdf } from '../../src/pdf/render-certificate-pdf.js'
import { sampleView } from './sample-view.js'

const tmp = mkdtempSync(join(tmpdir(), 'vaxpass-pdf-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

let n = 0
function save(pdf: Uint8Array): string {
  const path = join(tmp, `c${n++}.pdf`)
  writeFileSync(path, pdf)
  return path
}

function rasterise(pdfPath: string, dpi: number): Uint8Array {
  const base = pdfPath.replace(/\.pdf$/, `-${dpi}`)
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', pdfPath, base])
  return readFileSync(`${base}.png`)
}

function pageCount(pdfPath: string): number {
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])
}

/** The longest real HC1 string of the EU test data (QR version 26 at level Q). */
function longestTestdataHc1(): string {
  const root = fileURLToPath(new URL('../../../shared/testdata/dgc-testdata', import.meta.url))
  let best = ''
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.json')) {
        const prefix = (JSON.parse(readFileSync(p, 'utf8')) as { PREFIX?: unknown }).PREFIX
        if (
          typeof prefix === 'string' &&
          /^HC1:[0-9A-Z $%*+\-./:]+$/.test(prefix) &&
          prefix.length > best.length
        )
          best = prefix
      }
    }
  }
  walk(root)
  return best
}

describe('renderCertificatePdf', () => {
  let pdfPath: string
  let pdf: Uint8Array
  let page300: Uint8Array

  beforeAll(async () => {
    pdf = await renderCertificatePdf(sampleView)
    pdfPath = save(pdf)
    page300 = rasterise(pdfPath, 300)
  })

  it('is one A4 page', () => {
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-')
    expect(pageCount(pdfPath)).toBe(1)
    expect(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })).toMatch(
      /Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/,
    )
  })

  it('holds the QR code, decodable from a 300 dpi rendering, equal to view.hc1', async () => {
    expect(await readQrCodes(page300)).toEqual([sampleView.hc1])
  })

  it('prints the QR at 35-60 mm diagonal, measured on the rendered page', async () => {
    const dpi = 300
    const [r] = await readBarcodes(page300, { formats: ['QRCode'] })
    expect(r?.text).toBe(sampleView.hc1)
    const { topLeft, bottomRight, topRight, bottomLeft } = r!.position
    const px = Math.max(
      Math.hypot(bottomRight.x - topLeft.x, bottomRight.y - topLeft.y),
      Math.hypot(topRight.x - bottomLeft.x, topRight.y - bottomLeft.y),
    )
    const mm = (px / dpi) * 25.4
    expect(mm).toBeGreaterThanOrEqual(35)
    expect(mm).toBeLessThanOrEqual(60)
    // The design value: a 38 mm symbol, 53.7 mm diagonal (corners are found to about a module).
    expect(Math.abs(mm - 38 * Math.SQRT2)).toBeLessThan(1.5)
  })

  it('keeps the QR within 35-60 mm diagonal whatever size is asked for', async () => {
    for (const [qrSideMm, expected] of [
      [100, 42],
      [5, 26],
    ] as const) {
      const path = save(await renderCertificatePdf(sampleView, { qrSideMm }))
      const [r] = await readBarcodes(rasterise(path, 200), { formats: ['QRCode'] })
      const { topLeft, bottomRight } = r!.position
      const mm = (Math.hypot(bottomRight.x - topLeft.x, bottomRight.y - topLeft.y) / 200) * 25.4
      expect(Math.abs(mm - expected * Math.SQRT2)).toBeLessThan(1.5)
    }
  })

  it('carries the Vietnamese and English labels and the holder name with diacritics as text', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], {
      encoding: 'utf8',
    }).normalize('NFC')
    for (const label of [
      'CHỨNG NHẬN TIÊM CHỦNG COVID-19',
      'COVID-19 VACCINATION CERTIFICATE',
      'Họ và tên',
      'Ngày tháng năm sinh',
      'Quốc tịch',
      'Bệnh dịch',
      'Số mũi tiêm đã nhận',
      'Ngày tiêm',
      'Liều số',
      'Vắc xin',
      'Sản phẩm vắc xin',
      'Nhà sản xuất',
      'Mã số chứng nhận',
      'Full name',
      'Date of birth',
      'Nationality',
      'Dose number',
      'Manufacturer',
      'Date of issue',
      'Valid until',
      'Nguyễn Thị Hồng Đào',
      'NGUYEN<<THI<HONG<DAO',
      'Việt Nam / Viet Nam',
      'Comirnaty',
      'Biontech Manufacturing GmbH',
      'SARS-CoV-2 mRNA vaccine',
      '1990-05-17',
      '2021-09-14',
      '2022-01-10',
      '2023-01-10',
      'Bộ Y tế / Ministry of Health',
    ]) {
      expect(text, label).toContain(label)
    }
    // The UVCI may wrap in its cell; its characters are all there in order.
    expect(text.replace(/\s+/g, '')).toContain(sampleView.certificateId)
  })

  it('gives the same bytes for the same view, dated from the view and not the clock', async () => {
    const again = await renderCertificatePdf(sampleView)
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true)
    expect(execFileSync('pdfinfo', ['-isodates', pdfPath], { encoding: 'utf8' })).toMatch(
      /CreationDate:\s+2022-01-10T00:00:00/,
    )
    const other = await renderCertificatePdf({ ...sampleView, doseNumber: '3' })
    expect(Buffer.from(other).equals(Buffer.from(pdf))).toBe(false)
  })

  it('draws names given in NFD like those in NFC', async () => {
    const nfd: CertificateView = {
      ...sampleView,
      familyName: 'Nguyễn'.normalize('NFD'),
      givenName: 'Thị Hồng Đào'.normalize('NFD'),
    }
    expect(Buffer.from(await renderCertificatePdf(nfd)).equals(Buffer.from(pdf))).toBe(true)
  })

  it('stays on one page with absurdly long values, and a long real HC1 still decodes', async () => {
    const hc1 = longestTestdataHc1()
    expect(hc1.length).toBeGreaterThan(1000)
    // Every field far too long: values are cut to fit, the QR keeps its size above the footer.
    const long = Object.fromEntries(
      Object.entries(sampleView).map(([k, v]) => [k, `${v} `.repeat(40)]),
    ) as unknown as CertificateView
    long.hc1 = hc1
    const path = save(await renderCertificatePdf(long))
    expect(pageCount(path)).toBe(1)
    expect(await readQrCodes(rasterise(path, 300))).toEqual([hc1])
  })
})
