// Real QR images from national issuing systems and from the EU test data must decode.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'

const testdata = fileURLToPath(new URL('../../../shared/testdata', import.meta.url))

function walk(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p, keep))
    else if (keep(name)) out.push(p)
  }
  return out
}

const qaImages = walk(join(testdata, 'dcc-quality-assurance'), (n) => /\.png$/i.test(n))

describe('dcc-quality-assurance images (VN, DE, NL, PL)', () => {
  it('finds images of every country', () => {
    for (const country of ['VN', 'DE', 'NL', 'PL']) {
      expect(qaImages.some((p) => p.includes(`/${country}/`))).toBe(true)
    }
  })

  it.each(qaImages.map((p) => [p.slice(testdata.length + 1), p]))(
    '%s decodes to HC1:',
    async (_, path) => {
      const codes = await readQrCodes(readFileSync(path))
      expect(codes).toHaveLength(1)
      expect(codes[0]).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/)
    },
  )
})

interface Case {
  PREFIX?: string
  '2DCODE'?: string
  EXPECTEDRESULTS?: { EXPECTEDPICTUREDECODE?: boolean }
}

const cases = walk(join(testdata, 'dgc-testdata'), (n) => n.endsWith('.json'))
  .map((path) => ({ path, c: JSON.parse(readFileSync(path, 'utf8')) as Case }))
  .filter(
    ({ c }) =>
      typeof c['2DCODE'] === 'string' && c.EXPECTEDRESULTS?.EXPECTEDPICTUREDECODE !== undefined,
  )

describe('dgc-testdata 2DCODE images', () => {
  it('has cases of both verdicts', () => {
    expect(
      cases.filter(({ c }) => c.EXPECTEDRESULTS!.EXPECTEDPICTUREDECODE).length,
    ).toBeGreaterThan(100)
    expect(cases.some(({ c }) => c.EXPECTEDRESULTS!.EXPECTEDPICTUREDECODE === false)).toBe(true)
  })

  it.each(cases.map(({ path, c }) => [path.slice(testdata.length + 1), c]))('%s', async (_, c) => {
    const image = Buffer.from(c['2DCODE']!, 'base64')
    if (c.EXPECTEDRESULTS!.EXPECTEDPICTUREDECODE) {
      expect(await readQrCodes(image)).toEqual([c.PREFIX])
    } else {
      // "cannot be read, or reads differently": undecodable bytes are ERR_QR_IMAGE, else no match.
      const codes = await readQrCodes(image).catch((e: { code?: string }) => e.code)
      expect(codes === 'ERR_QR_IMAGE' || (Array.isArray(codes) && !codes.includes(c.PREFIX!))).toBe(
        true,
      )
    }
  })
})
