import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkDoseOrder } from './check-dose-order.js'
import { isIsoDate, isPartialDate } from './dates.js'
import { generateSites, PILOT_SITES } from './generate-sites.js'
import { personKey } from './person-key.js'
import { listProvinces } from './registry-sources.js'
import { validateDoseRow } from './validate-dose-row.js'
import { validateRegisterRow } from './validate-register-row.js'

const CTX = {
  products: new Set(['EU/1/20/1528']),
  sites: new Set(['001-BVBM']),
  firstDate: '2021-03-08',
  today: '2022-03-01',
}
const ROW = ['001085012345', ' Nguyễn  Văn An ', '1985-03-02', 'M', 'EU/1/20/1528', 'FK1', '2021-08-01', '2', '001-BVBM']

describe('registry rules', () => {
  it('checks calendar and partial dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2023-02-29')).toBe(false)
    expect(isIsoDate('2021-04-31')).toBe(false)
    expect(isPartialDate('1950')).toBe(true)
    expect(isPartialDate('1950-13')).toBe(false)
  })

  it('validates a dose row and normalises its name', () => {
    const v = validateDoseRow(ROW, CTX)
    expect(v).toEqual({
      ok: true,
      row: expect.objectContaining({ fullName: 'Nguyễn Văn An', doseNumber: 2, personKey: '001085012345' }),
    })
    const nfd = [...ROW]
    nfd[1] = 'Nguyễn Văn An'.normalize('NFD')
    expect(validateDoseRow(nfd, CTX)).toMatchObject({ ok: true, row: { fullName: 'Nguyễn Văn An' } })
    const withTab = [...ROW]
    withTab[5] = 'FK\u00011'
    expect(validateDoseRow(withTab, CTX)).toEqual({ ok: false, reason: 'control_character' })
    const before = [...ROW]
    before[6] = '1984-01-01'
    expect(validateDoseRow(before, CTX)).toEqual({ ok: false, reason: 'date_out_of_range' })
  })

  it('refuses dates with non-digits and dose numbers outside 1-9', () => {
    for (const s of ['19a5', '1985-1a', '1985-00', '198-', '1985-03-0x', '+985-03-02', '1985/03/02']) {
      expect(isPartialDate(s)).toBe(false)
    }
    expect(isIsoDate('2021-1a-01')).toBe(false)
    expect(isIsoDate('2021-02-00')).toBe(false)
    expect(isPartialDate('1985-12')).toBe(true)
    for (const dn of ['0', '10', 'a', '', ' 1']) {
      expect(validateDoseRow(ROW.map((f, i) => (i === 7 ? dn : f)), CTX)).toEqual({ ok: false, reason: 'dose_number_invalid' })
    }
  })

  it('cleans names like NFC + collapse + trim, for any input', () => {
    const reference = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim()
    const chars = fc.constantFrom('a', 'Z', ' ', '\u00a0', '\u3000', 'ễ', 'e\u0302\u0303', 'Đ', '\u2003', '-')
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), (name) => {
        const v = validateDoseRow(ROW.map((f, i) => (i === 1 ? name : f)), CTX)
        const want = reference(name)
        if (want === '') expect(v).toEqual({ ok: false, reason: 'name_missing' })
        else expect(v).toMatchObject({ ok: true, row: { fullName: want } })
      }),
    )
  })

  it('keys a dose without an ID by its normalised name and birth date', () => {
    expect(personKey('', 'NGUYỄN Văn  An', '1985')).toBe('~nguyen van an|1985')
  })

  it('orders doses by number and date', () => {
    const known = [{ doseNumber: 1, date: '2021-08-01', product: 'P' }]
    expect(checkDoseOrder(known, { doseNumber: 2, date: '2021-09-01', product: 'P' })).toBe('ok')
    expect(checkDoseOrder(known, { doseNumber: 2, date: '2021-08-01', product: 'P' })).toBe(
      'dose_out_of_order',
    )
    expect(checkDoseOrder(known, { doseNumber: 1, date: '2021-08-01', product: 'P' })).toBe('ok')
    expect(checkDoseOrder(known, { doseNumber: 1, date: '2021-08-02', product: 'P' })).toBe(
      'dose_number_conflict',
    )
  })

  it('validates register rows strictly', () => {
    const ctx = { provinces: new Set(['001']), today: '2022-03-01' }
    const ok = ['001085012345', 'Nguyễn Văn An', '1985', 'M', '001', '091 234 5678', '']
    expect(validateRegisterRow(ok, ctx)).toMatchObject({ ok: true, row: { phone: '0912345678', email: null } })
    expect(validateRegisterRow(['123456789', ...ok.slice(1)], ctx)).toEqual({ ok: false, reason: 'cccd_malformed' })
    expect(validateRegisterRow([...ok.slice(0, 4), '003', '', ''], ctx)).toEqual({ ok: false, reason: 'province_unknown' })
    expect(validateRegisterRow([...ok.slice(0, 6), 'not-an-email'], ctx)).toEqual({ ok: false, reason: 'email_invalid' })
  })

  it('generates a deterministic site list with the Hanoi pilot hospitals', () => {
    const provinces = listProvinces()
    expect(provinces).toHaveLength(63)
    const a = generateSites(provinces)
    expect(generateSites(provinces)).toEqual(a)
    expect(a.slice(0, 3)).toEqual(PILOT_SITES)
    expect(new Set(a.map((s) => s.code)).size).toBe(a.length)
    expect(new Set(a.map((s) => s.provinceCode)).size).toBe(63)
  })
})
