import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'
import { forEachDarkRun } from '../core/qr/for-each-dark-run.js'
import { qrMatrix } from '../core/qr/qr-matrix.js'
import type { CertificateView } from './certificate-view.js'

/** Options for {@link renderCertificatePdf}. */
export interface RenderCertificatePdfOptions {
  /** The authority named in the letterhead; the Ministry of Health by default. */
  authority?: { vi: string; en: string }
  /**
   * Creation date written in the PDF's metadata. Defaults to `view.issuedAt` when that parses as a
   * date, else 1970-01-01: never the clock, so that the same view gives the same bytes.
   */
  creationDate?: Date
  /** Side of the QR symbol without its quiet zone, in mm; 38 by default, clamped to 26..42. */
  qrSideMm?: number
}

const MM = 72 / 25.4
const PAGE_W = 595.28
const PAGE_H = 841.89
const LEFT = 50
const CONTENT_W = PAGE_W - 2 * LEFT
const NAVY = '#173a6a'
const RED = '#a3151b'
const GREY = '#59626e'
const RULE = '#c9d2de'
const TINT = '#eaf0f7'

const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  oblique: 'DejaVuSans-Oblique.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const
type FontName = keyof typeof FONT_FILES

let fontCache: Record<FontName, Buffer> | undefined

/** DejaVu covers every Vietnamese letter with its diacritics; the PDF base fonts do not. */
function loadFonts(): Record<FontName, Buffer> {
  if (!fontCache) {
    const require = createRequire(import.meta.url)
    const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/')
    const entries = Object.entries(FONT_FILES).map(([k, f]) => [k, readFileSync(dir + f)])
    fontCache = Object.fromEntries(entries) as Record<FontName, Buffer>
  }
  return fontCache
}

/**
 * Renders the paper certificate: one A4 page, Vietnamese and English side by side, the 11 fields
 * of Decision 5772/QD-BYT plus nationality, issue and expiry dates, and the QR code drawn as vector
 * rectangles (symbol 38 mm a side, 54 mm diagonal, with a 4-module quiet zone). The same view and
 * options always give the same bytes. Long values are cut with an ellipsis so that the page never
 * overflows.
 *
 * @example
 * const pdf = await renderCertificatePdf(view)
 * await fs.writeFile('certificate.pdf', pdf)
 */
export async function renderCertificatePdf(
  input: CertificateView,
  opts: RenderCertificatePdfOptions = {},
): Promise<Uint8Array> {
  // Names arrive in NFC or NFD; DejaVu draws precomposed Vietnamese letters best.
  const view = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, String(v ?? '').normalize('NFC')]),
  ) as unknown as CertificateView
  const fonts = loadFonts()
  const authority = opts.authority ?? { vi: 'BỘ Y TẾ', en: 'MINISTRY OF HEALTH' }
  const creationDate = opts.creationDate ?? parseDate(view.issuedAt) ?? new Date(0)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0, // we place every line ourselves; no automatic page breaks
    autoFirstPage: true,
    lang: 'vi-VN',
    info: {
      Title: 'Chứng nhận tiêm chủng COVID-19 / COVID-19 Vaccination Certificate',
      Producer: 'vaxpass',
      Creator: 'vaxpass',
      CreationDate: creationDate,
      ModDate: creationDate,
    },
  })
  for (const name of Object.keys(FONT_FILES) as FontName[]) doc.registerFont(name, fonts[name])
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })

  drawFrame(doc)
  let y = drawLetterhead(doc, authority)
  y = drawTitle(doc, y)
  const sections: Section[] = [
    [
      'I. THÔNG TIN NGƯỜI ĐƯỢC TIÊM CHỦNG',
      'HOLDER',
      [
        [
          '1. Họ và tên',
          'Full name',
          `${view.familyName} ${view.givenName}`.trim(),
          'name',
          `${view.familyNameTransliterated}<<${view.givenNameTransliterated}`,
        ],
        ['2. Ngày tháng năm sinh', 'Date of birth', view.dateOfBirth],
        ['3. Quốc tịch', 'Nationality', view.nationality],
      ],
    ],
    [
      'II. THÔNG TIN TIÊM CHỦNG',
      'VACCINATION',
      [
        ['4. Bệnh dịch', 'Disease or agent targeted', view.disease],
        ['5. Số mũi tiêm đã nhận', 'Total doses in series', view.dosesInSeries],
        ['6. Ngày tiêm', 'Date of vaccination', view.vaccinationDate],
        ['7. Liều số', 'Dose number', view.doseNumber],
        ['8. Vắc xin', 'Vaccine type', view.vaccineType],
        ['9. Sản phẩm vắc xin', 'Vaccine product', view.vaccineProduct],
        ['10. Nhà sản xuất', 'Manufacturer', view.manufacturer],
      ],
    ],
    [
      'III. THÔNG TIN CHỨNG NHẬN',
      'CERTIFICATE',
      [
        ['11. Mã số chứng nhận', 'Unique certificate identifier', view.certificateId, 'mono'],
        ['Đơn vị cấp', 'Issued by', view.issuer],
        ['Ngày cấp', 'Date of issue', view.issuedAt],
        ['Có giá trị đến', 'Valid until', view.expiresAt],
      ],
    ],
  ]
  const qrBox = qrBoxSide(view.hc1, opts.qrSideMm)
  // Long values get up to three lines, fewer when the QR would not fit above the footer.
  let maxLines = 3
  while (
    maxLines > 1 &&
    y + sections.reduce((h, sec) => h + sectionHeight(doc, sec, maxLines), 0) + qrBox + 8 > FOOTER_Y
  ) {
    maxLines--
  }
  for (const sec of sections) y = drawSection(doc, y, sec, maxLines)
  drawQrBlock(doc, y, FOOTER_Y, view.hc1, opts.qrSideMm)
  drawFooter(doc)

  doc.end()
  await done
  return new Uint8Array(Buffer.concat(chunks))
}

type Doc = PDFKit.PDFDocument
type Row = [vi: string, en: string, value: string, style?: 'name' | 'mono', sub?: string]
type Section = [vi: string, en: string, rows: Row[]]

function parseDate(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? undefined : d
}

function drawFrame(doc: Doc): void {
  doc
    .lineWidth(1.6)
    .strokeColor(NAVY)
    .rect(22, 22, PAGE_W - 44, PAGE_H - 44)
    .stroke()
  doc
    .lineWidth(0.5)
    .rect(26, 26, PAGE_W - 52, PAGE_H - 52)
    .stroke()
}

function centred(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  font: FontName,
  size: number,
  color: string,
): number {
  doc
    .font(font)
    .fontSize(size)
    .fillColor(color)
    .text(text, x, y, { width, align: 'center', lineBreak: false })
  return y + doc.currentLineHeight(true)
}

function drawLetterhead(doc: Doc, authority: { vi: string; en: string }): number {
  const top = 44
  const leftW = 190
  const rightX = LEFT + 205
  const rightW = CONTENT_W - 205
  let l = centred(doc, authority.vi, LEFT, top, leftW, 'bold', 11, NAVY)
  l = centred(doc, authority.en, LEFT, l, leftW, 'regular', 7.5, GREY)
  doc
    .lineWidth(0.7)
    .strokeColor(NAVY)
    .moveTo(LEFT + leftW / 2 - 30, l + 4)
    .lineTo(LEFT + leftW / 2 + 30, l + 4)
    .stroke()

  let r = centred(
    doc,
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    rightX,
    top,
    rightW,
    'bold',
    10.5,
    '#000',
  )
  r = centred(doc, 'Độc lập - Tự do - Hạnh phúc', rightX, r, rightW, 'bold', 10, '#000')
  doc
    .lineWidth(0.7)
    .strokeColor('#000')
    .moveTo(rightX + rightW / 2 - 72, r + 2.5)
    .lineTo(rightX + rightW / 2 + 72, r + 2.5)
    .stroke()
  r = centred(doc, 'SOCIALIST REPUBLIC OF VIET NAM', rightX, r + 5, rightW, 'regular', 7.5, GREY)
  r = centred(doc, 'Independence - Freedom - Happiness', rightX, r, rightW, 'regular', 7.5, GREY)
  return Math.max(l, r) + 22
}

function drawTitle(doc: Doc, y: number): number {
  y = centred(doc, 'CHỨNG NHẬN TIÊM CHỦNG COVID-19', LEFT, y, CONTENT_W, 'serifBold', 19, RED)
  y = centred(doc, 'COVID-19 VACCINATION CERTIFICATE', LEFT, y + 2, CONTENT_W, 'bold', 12, NAVY)
  y = centred(
    doc,
    'Chứng nhận số theo chuẩn EU Digital COVID Certificate',
    LEFT,
    y + 3,
    CONTENT_W,
    'oblique',
    7.5,
    GREY,
  )
  return y + 14
}

const COL_VI = 150
const COL_EN = 122
const VALUE_X = LEFT + COL_VI + COL_EN
const VALUE_W = CONTENT_W - COL_VI - COL_EN - 6
const PAD = 5

const SECTION_BAR = 18
const SECTION_GAP = 10

function valueFont(style: Row[3]): [FontName, number] {
  return style === 'name' ? ['bold', 12] : style === 'mono' ? ['mono', 8.5] : ['regular', 10]
}

/** Heights of a row's label, value and sub-line, with the value cut to `maxLines` lines. */
function rowHeights(
  doc: Doc,
  row: Row,
  maxLines: number,
): { hVi: number; hEn: number; hVal: number; maxH: number } {
  const [labelVi, labelEn, value, style, sub] = row
  const hVi = doc
    .font('bold')
    .fontSize(9)
    .heightOfString(labelVi, { width: COL_VI - 12 })
  const hEn = doc
    .font('oblique')
    .fontSize(8.5)
    .heightOfString(labelEn, { width: COL_EN - 8 })
  const [font, size] = valueFont(style)
  doc.font(font).fontSize(size)
  const maxH = doc.currentLineHeight(true) * maxLines
  let hVal = Math.min(doc.heightOfString(value.slice(0, 300), { width: VALUE_W }), maxH)
  if (sub !== undefined) hVal += doc.font('mono').fontSize(7.5).currentLineHeight(true) + 1
  return { hVi, hEn, hVal, maxH }
}

function sectionHeight(doc: Doc, [, , rows]: Section, maxLines: number): number {
  let h = SECTION_BAR + SECTION_GAP
  for (const row of rows) {
    const { hVi, hEn, hVal } = rowHeights(doc, row, maxLines)
    h += 2 * PAD + Math.max(hVi, hEn, hVal)
  }
  return h
}

function drawSection(doc: Doc, y: number, [vi, en, rows]: Section, maxLines: number): number {
  doc.rect(LEFT, y, CONTENT_W, SECTION_BAR).fill(TINT)
  doc.rect(LEFT, y, 3, SECTION_BAR).fill(NAVY)
  doc
    .font('bold')
    .fontSize(9)
    .fillColor(NAVY)
    .text(vi, LEFT + 10, y + 4.5, { lineBreak: false })
  const viW = doc.widthOfString(vi)
  doc
    .font('oblique')
    .fontSize(8.5)
    .fillColor(GREY)
    .text(`/ ${en}`, LEFT + 16 + viW, y + 5, { lineBreak: false })
  y += SECTION_BAR
  for (const row of rows) {
    const [labelVi, labelEn, value, style, sub] = row
    const { hVi, hEn, hVal, maxH } = rowHeights(doc, row, maxLines)
    const top = y + PAD
    doc
      .font('bold')
      .fontSize(9)
      .fillColor('#111')
      .text(labelVi, LEFT + 10, top, { width: COL_VI - 12 })
    doc
      .font('oblique')
      .fontSize(8.5)
      .fillColor(GREY)
      .text(labelEn, LEFT + COL_VI, top + 0.5, { width: COL_EN - 8 })
    const [font, size] = valueFont(style)
    // Cut with an ellipsis: the page must never overflow.
    doc.font(font).fontSize(size).fillColor('#000')
    doc.text(value.slice(0, 300), VALUE_X, top - (style === 'name' ? 1.5 : 0.5), {
      width: VALUE_W,
      height: maxH,
      ellipsis: true,
    })
    if (sub !== undefined) {
      const subTop = top + hVal - doc.font('mono').fontSize(7.5).currentLineHeight(true) - 1
      doc
        .fillColor(GREY)
        .text(sub.slice(0, 90), VALUE_X, subTop, { width: VALUE_W, height: 10, ellipsis: true })
    }
    y = top + Math.max(hVi, hEn, hVal) + PAD
    doc
      .lineWidth(0.4)
      .strokeColor(RULE)
      .moveTo(LEFT, y)
      .lineTo(LEFT + CONTENT_W, y)
      .stroke()
  }
  return y + SECTION_GAP
}

function qrBoxSide(hc1: string, sideMm = 38): number {
  const side = Math.min(42, Math.max(26, sideMm)) * MM
  return side + (8 * side) / qrMatrix(hc1).size
}

function drawQrBlock(doc: Doc, top: number, bottom: number, hc1: string, sideMm = 38): void {
  const m = qrMatrix(hc1)
  const side = Math.min(42, Math.max(26, sideMm)) * MM
  const module = side / m.size
  const quiet = 4 * module
  const boxSide = side + 2 * quiet
  // Centred in the space left between the fields and the footer.
  const y = top + Math.max(4, (bottom - top - boxSide) / 2)
  const x = LEFT + 8
  // Light border around the quiet zone, so that the code reads as a distinct element when printed.
  doc
    .lineWidth(0.6)
    .strokeColor(RULE)
    .rect(x - 0.5, y - 0.5, boxSide + 1, boxSide + 1)
    .stroke()
  doc.rect(x, y, boxSide, boxSide).fill('#fff')
  // One rectangle per horizontal run of dark modules; filled as one path.
  forEachDarkRun(m, (row, col, length) => {
    doc.rect(x + quiet + col * module, y + quiet + row * module, length * module, module)
  })
  doc.fill('#000')

  const tx = x + boxSide + 22
  const tw = LEFT + CONTENT_W - tx
  let ty = y + 8
  const para = (text: string, font: FontName, size: number, color: string, gap: number): void => {
    doc.font(font).fontSize(size).fillColor(color).text(text, tx, ty, { width: tw })
    ty = doc.y + gap
  }
  para('Mã QR chứng nhận', 'bold', 10.5, NAVY, 0)
  para('Certificate QR code', 'oblique', 8.5, GREY, 8)
  para(
    'Chứng nhận được ký số. Quét mã QR bằng ứng dụng xác thực chứng nhận COVID-19 để kiểm tra tính hợp lệ; không cần kết nối mạng.',
    'regular',
    8.5,
    '#111',
    4,
  )
  para(
    'This certificate is digitally signed. Scan the QR code with any EU Digital COVID Certificate verifier app to check that it is authentic; no network connection is needed.',
    'oblique',
    8,
    GREY,
    8,
  )
  para(
    'Mã QR chứa các thông tin trên và chữ ký số của đơn vị cấp. / The QR code holds the data above and the issuer\u2019s digital signature.',
    'regular',
    7,
    GREY,
    0,
  )
}

const FOOTER_Y = PAGE_H - 52

function drawFooter(doc: Doc): void {
  const y = FOOTER_Y
  doc
    .lineWidth(0.4)
    .strokeColor(RULE)
    .moveTo(LEFT, y)
    .lineTo(LEFT + CONTENT_W, y)
    .stroke()
  doc
    .font('regular')
    .fontSize(7)
    .fillColor(GREY)
    .text(
      'Chứng nhận chỉ có giá trị khi mã QR được xác thực thành công. / Valid only when its QR code verifies successfully.',
      LEFT,
      y + 5,
      { width: CONTENT_W, align: 'center', lineBreak: false },
    )
}
