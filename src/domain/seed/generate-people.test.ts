import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'
import { linkIdentity } from '../identity/link-identity.js'
import { normaliseName } from '../identity/normalise-name.js'
import { VN_PROVINCES } from '../identity/provinces.js'
import type { RegisterEntry } from '../identity/types.js'
import { cccdAgreesWith } from '../identity/cccd-agrees-with.js'
import { validateCccd } from '../identity/validate-cccd.js'
import { generatePeople } from './generate-people.js'
import type { SeedPerson } from './generate-people.js'
import { doseCsvLine, registerCsvLine } from './seed-csv.js'
import { siteCodesForProvince } from './sites-for-province.js'

const N = 6000
const people: SeedPerson[] = [...generatePeople({ people: N, seed: 'test' })]
const allDoses = people.flatMap((p) => p.doses)

function digest(seed: number | string, n: number): string {
  const h = createHash('sha256')
  for (const p of generatePeople({ people: n, seed })) {
    h.update(registerCsvLine(p.register))
    for (const d of p.doses) h.update(`${d.entered ? 1 : 0}${doseCsvLine(d.row)}`)
  }
  return h.digest('hex')
}

describe('generatePeople: determinism', () => {
  it('gives the same bytes for the same seed and different bytes for another', () => {
    expect(digest(42, 2000)).toBe(digest(42, 2000))
    expect(digest('42', 500)).toBe(digest(42, 500))
    expect(digest(43, 2000)).not.toBe(digest(42, 2000))
  })

  it('yields a prefix of a longer run for a shorter one', () => {
    const short = [...generatePeople({ people: 50, seed: 'test' })]
    expect(short).toEqual(people.slice(0, 50))
  })

  it('refuses a bad count', () => {
    expect(() => generatePeople({ people: -1 }).next()).toThrow(TypeError)
    expect(() => generatePeople({ people: 1.5 }).next()).toThrow(TypeError)
  })
})

describe('generatePeople: the register', () => {
  it('gives unique CCCDs that follow the rules and agree with dob and sex', () => {
    const ids = new Set<string>()
    const bad: string[] = []
    for (const { register: r } of people) {
      const v = validateCccd(r.cccd, { now: new Date('2022-08-31T00:00:00Z') })
      const a = cccdAgreesWith(r.cccd, r)
      if (!v.valid || !('checked' in a) || !a.agrees || !a.checked) bad.push(r.cccd)
      ids.add(r.cccd)
    }
    expect(bad).toEqual([])
    expect(ids.size).toBe(N)
  })

  it('draws provinces by population and names at their real frequencies', () => {
    const byProvince = new Map<string, number>()
    for (const p of people) {
      const code = p.register.cccd.slice(0, 3)
      byProvince.set(code, (byProvince.get(code) ?? 0) + 1)
    }
    expect(byProvince.size).toBeGreaterThan(55)
    const hcmc = (byProvince.get('079') ?? 0) / N
    expect(hcmc).toBeGreaterThan(0.07)
    expect(hcmc).toBeLessThan(0.12)
    const family = (name: string) =>
      people.filter((p) => p.register.fullName.startsWith(`${name} `)).length / N
    expect(family('Nguyễn')).toBeGreaterThan(0.34)
    expect(family('Nguyễn')).toBeLessThan(0.43)
    expect(family('Trần')).toBeGreaterThan(0.08)
    expect(family('Huỳnh')).toBeGreaterThan(0.005)
    const women = people.filter((p) => p.register.sex === 'F')
    expect(women.length / N).toBeGreaterThan(0.45)
    expect(
      women.filter((p) => p.register.fullName.split(' ')[1] === 'Thị').length / women.length,
    ).toBeGreaterThan(0.2)
    expect(people.some((p) => / Văn /.test(p.register.fullName) && p.register.sex === 'M')).toBe(
      true,
    )
    for (const p of people) expect(p.register.fullName).toBe(p.register.fullName.normalize('NFC'))
  })

  it('spreads birth dates over children and adults, with valid phones and reserved e-mail domains', () => {
    const years = people.map((p) => Number(p.register.dob.slice(0, 4)))
    expect(Math.min(...years)).toBeLessThan(1935)
    expect(Math.max(...years)).toBeGreaterThan(2017)
    const children = years.filter((y) => y >= 2005).length / N
    expect(children).toBeGreaterThan(0.2)
    expect(children).toBeLessThan(0.35)
    const provinces = new Set(VN_PROVINCES.map((p) => p.code))
    const bad = people
      .map((p) => p.register)
      .filter(
        (r) =>
          !/^\d{4}(-\d{2}-\d{2})?$/.test(r.dob) ||
          !/^(0\d{9})?$/.test(r.phone) ||
          !/^([a-z]+(\.[a-z]+)*\d*@example\.(com|net|org))?$/.test(r.email) ||
          !provinces.has(r.provinceCode),
      )
    expect(bad).toEqual([])
    expect(people.filter((p) => p.register.phone !== '').length / N).toBeGreaterThan(0.85)
    expect(people.filter((p) => p.register.email !== '').length / N).toBeGreaterThan(0.2)
  })
})

describe('generatePeople: doses', () => {
  const mps = new Set(VIETNAM_VACCINES.map((v) => v.mp))

  it('gives 1 to 4 doses in order, from 8 March 2021 to asOf, at sites of the home province', () => {
    const bad: unknown[] = []
    for (const p of people) {
      if (p.doses.length > 4) bad.push(p)
      const sites = siteCodesForProvince(p.register.provinceCode)
      let last = ''
      p.doses.forEach((d, i) => {
        const r = d.row
        const ok =
          r.doseNumber === i + 1 &&
          r.date >= '2021-03-08' &&
          r.date <= '2022-08-31' &&
          r.date > last &&
          mps.has(r.product) &&
          sites.includes(r.siteCode) &&
          /^[A-Z]{2}\d{4}$/.test(r.lot)
        if (!ok) bad.push(r)
        last = r.date
      })
    }
    expect(bad).toEqual([])
    const perPerson = allDoses.length / N
    expect(perPerson).toBeGreaterThan(1.8)
    expect(perPerson).toBeLessThan(2.8)
    expect(new Set(allDoses.map((d) => d.row.product)).size).toBeGreaterThanOrEqual(8)
    // No child under 5 (at asOf) is vaccinated.
    expect(people.filter((p) => p.register.dob >= '2017-09-01' && p.doses.length > 0)).toEqual([])
  })

  it('gives Abdala as a 3-dose series two weeks apart', () => {
    const abdala = people.filter((p) => p.doses[0]?.row.product === 'Abdala' && p.doses.length >= 3)
    expect(abdala.length).toBeGreaterThan(10)
    for (const p of abdala) {
      expect(p.doses.slice(0, 3).map((d) => d.row.product)).toEqual(['Abdala', 'Abdala', 'Abdala'])
      const gap = (Date.parse(p.doses[1]!.row.date) - Date.parse(p.doses[0]!.row.date)) / 86_400_000
      expect(gap).toBeGreaterThanOrEqual(14)
      expect(gap).toBeLessThanOrEqual(17)
    }
  })

  it('leaves about 4% of doses unentered and puts defects in a few percent of rows', () => {
    const unentered = allDoses.filter((d) => !d.entered).length / allDoses.length
    expect(unentered).toBeGreaterThan(0.025)
    expect(unentered).toBeLessThan(0.06)
    const defective = allDoses.filter((d) => d.defect !== null).length / allDoses.length
    expect(defective).toBeGreaterThan(0.03)
    expect(defective).toBeLessThan(0.07)
    for (const kind of [
      'name_no_diacritics',
      'name_typo',
      'dob_wrong',
      'id_missing',
      'id_typo',
      'sex_wrong',
    ]) {
      expect(
        allDoses.some((d) => d.defect === kind),
        kind,
      ).toBe(true)
    }
  })
})

describe('generatePeople: linkage finds exactly the defects', () => {
  const byId = new Map<string, RegisterEntry>()
  const byName = new Map<string, RegisterEntry[]>()
  for (const p of people) {
    if (!p.inRegister) continue
    const e: RegisterEntry = { ...p.register }
    byId.set(e.cccd, e)
    const key = normaliseName(e.fullName)
    byName.set(key, [...(byName.get(key) ?? []), e])
  }
  const link = (row: { cccd: string; fullName: string; dob: string; sex: string }) =>
    linkIdentity(
      row,
      row.cccd === ''
        ? (byName.get(normaliseName(row.fullName)) ?? [])
        : [byId.get(row.cccd.trim())].filter((e) => e !== undefined),
    )

  it('links every clean row of a registered person and explains every defect', () => {
    const expected: Record<string, string[]> = {
      clean: ['linked'],
      name_no_diacritics: ['linked'],
      name_typo: ['name_differs'],
      dob_wrong: ['dob_differs'],
      sex_wrong: ['sex_differs'],
      id_missing: ['linked', 'ambiguous'],
      id_typo: ['id_malformed', 'not_found', 'name_differs', 'dob_differs', 'sex_differs'],
    }
    const bad: string[] = []
    let linked = 0
    for (const p of people) {
      for (const d of p.doses) {
        const r = link(d.row)
        if (r.status === 'linked') linked++
        if (!p.inRegister) {
          if (r.status === 'linked') bad.push(`unregistered -> linked`)
          continue
        }
        if (!expected[d.defect ?? 'clean']!.includes(r.status))
          bad.push(`${d.defect} -> ${r.status}`)
        if (r.status === 'linked' && d.defect !== 'id_missing' && r.cccd !== p.register.cccd) {
          bad.push(`${d.defect} linked to someone else`)
        }
        if (
          d.defect === 'name_no_diacritics' &&
          !r.differences.some((x) => x.field === 'full_name' && x.kind === 'diacritics')
        ) {
          bad.push('diacritics difference not reported')
        }
      }
    }
    expect(bad).toEqual([])
    expect(linked / allDoses.length).toBeGreaterThan(0.93)
  })
})
