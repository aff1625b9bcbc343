import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VN_PROVINCES, findProvince, isProvinceCode } from './provinces.js'

const csvUrl = new URL('../../../../shared/reference/vn-provinces.csv', import.meta.url)

describe('VN_PROVINCES', () => {
  it('matches the reference table code for code and name for name', () => {
    const rows = readFileSync(csvUrl, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter((l) => l !== '')
    expect(rows[0]).toBe('code,name')
    const reference = rows.slice(1).map((l) => {
      const [code, ...name] = l.split(',')
      return { code, name: name.join(',').normalize('NFC') }
    })
    expect(reference).toHaveLength(63)
    expect(VN_PROVINCES.map((p) => ({ code: p.code, name: p.nameVi }))).toEqual(reference)
  })

  it('has 63 unique codes, ASCII English names and a plausible population', () => {
    expect(new Set(VN_PROVINCES.map((p) => p.code)).size).toBe(63)
    for (const p of VN_PROVINCES) {
      expect(p.nameEn).toMatch(/^[A-Za-z -]+$/)
      expect(p.population).toBeGreaterThan(250)
    }
    const total = VN_PROVINCES.reduce((s, p) => s + p.population, 0)
    expect(total).toBeGreaterThan(90_000)
    expect(total).toBeLessThan(100_000)
  })

  it('looks codes up', () => {
    expect(findProvince('079')?.nameEn).toBe('Ho Chi Minh City')
    expect(findProvince('003')).toBeUndefined()
    expect(isProvinceCode('001')).toBe(true)
    expect(isProvinceCode('1')).toBe(false)
  })
})
