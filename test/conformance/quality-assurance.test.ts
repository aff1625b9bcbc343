import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { validateDcc } from '../../src/core/dcc/validate-dcc.js'
import { decodeHc1 } from '../../src/core/hc1/hc1.js'
import { bytesToHex } from '../../src/core/platform/bytes.js'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'

const dir = fileURLToPath(new URL('../../../shared/testdata/dcc-quality-assurance', import.meta.url))
const images: string[] = []
const walk = (d: string): void => {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n)
    if (statSync(p).isDirectory()) walk(p)
    else if (/\.(png|jpe?g)$/i.test(n)) images.push(p)
  }
}
walk(dir)

describe('dcc-quality-assurance: every national QR decodes to a payload our reader accepts', () => {
  it('finds the images', () => expect(images.length).toBeGreaterThan(10))
  it.each(images.map((f) => [relative(dir, f), f]))('%s', async (_rel, file) => {
    const [text] = await readQrCodes(new Uint8Array(readFileSync(file)))
    expect(text).toMatch(/^HC1:/)
    const { claims } = await decodeHc1(text ?? '')
    const v = validateDcc(claims.dcc, { mode: 'read' })
    expect(v.errors).toEqual([])
    expect(v.type).not.toBeNull()
  })
  it('reads the Vietnamese sample as MISSION.md describes it', async () => {
    const [text] = await readQrCodes(new Uint8Array(readFileSync(join(dir, 'VN/1.3.0/VAC_VN.png'))))
    const { claims, cose } = await decodeHc1(text ?? '')
    expect(cose.alg).toBe(-37)
    expect(bytesToHex(cose.kid ?? new Uint8Array())).toBe('f30da46716f7882d')
    expect(claims.iss).toBe('VN')
    const dcc = claims.dcc as { nam: Record<string, string>; v: Array<Record<string, string>> }
    expect(dcc.nam).toEqual({ fn: 'Nguyễn', gn: 'Bảo Duy', fnt: 'NGUYEN', gnt: 'BAO<DUY' })
    expect(dcc.v[0]?.ci).toMatch(/^URN:UVCI:01:VN:[0-9A-Fa-f]{32}$/)
    expect(dcc.v[0]?.is).toBe('Ban Co Yeu')
  })
})
