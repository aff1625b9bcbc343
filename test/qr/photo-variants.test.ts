// The reader on "photos" of a rendered QR: rotated, blurred, scaled down, JPEG-compressed, with
// margin, noise and low contrast. Each variant is a real image file decoded from bytes.
import { beforeAll, describe, expect, it } from 'vitest'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { renderQrPng } from '../../src/core/qr/render-qr-png.js'
import * as T from './image-transforms.js'

// The length of a real vaccination pass (about 600 base45 characters, QR version 18 at level Q).
const HC1 =
  'HC1:' +
  'NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I1P1YS+4F*4WD3OFGNSEGIE DCB2IX8S:4S.7BX76M6L8'.repeat(
    6,
  )

let clean: T.Grey

beforeAll(async () => {
  clean = T.decodePng(await renderQrPng(HC1, { scale: 6 }))
})

const variants: [string, () => T.Grey][] = [
  ['rotated 90 degrees', () => T.rotate(clean, 90)],
  ['rotated 180 degrees', () => T.rotate(clean, 180)],
  ['rotated 270 degrees', () => T.rotate(clean, 270)],
  ['rotated 7 degrees', () => T.rotate(clean, 7)],
  ['rotated -23 degrees', () => T.rotate(clean, -23)],
  ['rotated 45 degrees', () => T.rotate(clean, 45)],
  ['blurred (sigma ~ 0.4 module)', () => T.blur(clean, 2)],
  ['scaled down to ~1.6 px per module', () => T.scaleDown(clean, 3.7)],
  [
    'small in a large noisy frame',
    () => T.noiseAndContrast(T.pad(T.scaleDown(clean, 2), 400), 30, 0.6),
  ],
  ['seen at an angle (perspective)', () => T.tilt(T.pad(clean, 40, 255), 1.35)],
  ['unevenly lit (bright to dim)', () => T.lighting(T.pad(clean, 40, 255), 1, 0.35)],
  ['low contrast and noisy', () => T.noiseAndContrast(clean, 45, 0.35, 9)],
  [
    'rotated, blurred, noisy, in a frame',
    () => T.noiseAndContrast(T.blur(T.rotate(T.pad(clean, 80), 11), 2), 25, 0.6, 3),
  ],
]

describe('photo variants', () => {
  it.each(variants)('%s, as PNG', async (_, make) => {
    expect(await readQrCodes(T.encodePng(make()))).toEqual([HC1])
  })

  it.each(variants)('%s, as JPEG quality 40', async (_, make) => {
    expect(await readQrCodes(T.encodeJpeg(make(), 40))).toEqual([HC1])
  })

  it('reads RGBA pixels as a canvas gives them', async () => {
    const g = T.rotate(clean, 13)
    const data = new Uint8ClampedArray(g.width * g.height * 4)
    g.px.forEach((v, i) => data.set([v, v, v, 255], i * 4))
    expect(await readQrCodes({ width: g.width, height: g.height, data })).toEqual([HC1])
  })

  it('reads two different codes in one image', async () => {
    const other = T.decodePng(await renderQrPng('HC1:OTHER', { scale: 6 }))
    const both: T.Grey = {
      width: clean.width + other.width,
      height: clean.height,
      px: new Float32Array((clean.width + other.width) * clean.height).fill(255),
    }
    for (let y = 0; y < clean.height; y++) {
      both.px.set(clean.px.subarray(y * clean.width, (y + 1) * clean.width), y * both.width)
      if (y < other.height)
        both.px.set(
          other.px.subarray(y * other.width, (y + 1) * other.width),
          y * both.width + clean.width,
        )
    }
    expect((await readQrCodes(T.encodePng(both))).sort()).toEqual([HC1, 'HC1:OTHER'].sort())
  })

  it('needs the extra passes for some photos; fast mode (camera frames) makes only the first', async () => {
    const photo = T.encodePng(
      T.noiseAndContrast(T.blur(T.rotate(T.pad(clean, 80), 11), 2), 25, 0.6, 3),
    )
    expect(await readQrCodes(photo, { fast: true })).toEqual([])
    expect(await readQrCodes(photo)).toEqual([HC1])
    expect(await readQrCodes(T.encodePng(clean), { fast: true })).toEqual([HC1])
  })

  it('does not read a code blurred beyond recovery (the variants above are not trivial)', async () => {
    expect(await readQrCodes(T.encodePng(T.blur(clean, 6)))).toEqual([])
  })
})
