import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkVaccineConsistency } from './check-vaccine-consistency.js'
import { VACCINE_ENCODING } from './vaccine-encoding.js'
import { VACCINE_MAH_MANF, VACCINE_MEDICINAL_PRODUCT, VACCINE_PROPHYLAXIS } from './value-sets.js'
import { VIETNAM_VACCINES } from './vietnam-vaccines.js'

const file = new URL(
  '../../../../shared/reference/eu-dcc-valuesets/vaccine-encoding-instructions.json',
  import.meta.url,
)
const instructions = (
  JSON.parse(readFileSync(file, 'utf8')) as {
    valueSetValues: Record<
      string,
      { 'vaccine-code': string; 'vaccine-manufacturer': string; 'sct-codes': string[] }
    >
  }
).valueSetValues
const byCode = new Map(
  Object.values(instructions).map((v) => [v['vaccine-code'].replace(/ \(deprecated\)$/u, ''), v]),
)

describe('VACCINE_ENCODING', () => {
  it('matches the encoding instructions, product by product', () => {
    expect(Object.keys(VACCINE_ENCODING).sort()).toEqual([...byCode.keys()].sort())
    for (const [mp, rule] of Object.entries(VACCINE_ENCODING)) {
      const v = byCode.get(mp)!
      expect(rule.ma, mp).toBe(v['vaccine-manufacturer'])
      expect([...rule.vp].sort(), mp).toEqual([...v['sct-codes']].sort())
    }
  })
})

describe('VIETNAM_VACCINES', () => {
  it('lists the nine vaccines of MISSION.md with the right codes', () => {
    expect(VIETNAM_VACCINES.map((v) => `${v.mp} ${v.ma}`)).toEqual([
      'EU/1/20/1528 ORG-100030215',
      'EU/1/20/1507 ORG-100031184',
      'EU/1/21/1529 ORG-100001699',
      'EU/1/20/1525 ORG-100001417',
      'Sputnik-V Gamaleya-Research-Institute',
      'BBIBP-CorV ORG-100020693',
      'Hayat-Vax ORG-100023050',
      'Abdala CIGB',
      'Covaxin Bharat-Biotech',
    ])
    expect(new Set(VIETNAM_VACCINES.map((v) => v.key)).size).toBe(9)
  })

  it('follows the encoding instructions and the value sets', () => {
    for (const v of VIETNAM_VACCINES) {
      const rule = byCode.get(v.mp)
      expect(rule, v.mp).toBeDefined()
      expect(v.ma).toBe(rule!['vaccine-manufacturer'])
      expect([...v.vp].sort()).toEqual([...rule!['sct-codes']].sort())
      expect(VACCINE_MEDICINAL_PRODUCT[v.mp]).toBeDefined()
      expect(VACCINE_MAH_MANF[v.ma]).toBeDefined()
      for (const vp of v.vp) expect(VACCINE_PROPHYLAXIS[vp]).toBeDefined()
      // vp[0] is what we issue: the specific code, not the generic "COVID-19 vaccine", when one exists.
      if (v.vp.length > 1) expect(v.vp[0]).not.toBe('28531000087107')
      expect(checkVaccineConsistency(v.mp, v.ma, v.vp[0]!).ok).toBe(true)
      expect(v.nameEn.length).toBeGreaterThan(0)
      expect(v.nameVi).toMatch(/Vắc xin/u)
    }
  })

  it('has the full series doses: Janssen 1, Abdala 3, the rest 2', () => {
    const doses = Object.fromEntries(VIETNAM_VACCINES.map((v) => [v.key, v.seriesDoses]))
    expect(doses).toEqual({
      comirnaty: 2,
      spikevax: 2,
      vaxzevria: 2,
      janssen: 1,
      'sputnik-v': 2,
      sinopharm: 2,
      'hayat-vax': 2,
      abdala: 3,
      covaxin: 2,
    })
  })
})

describe('checkVaccineConsistency', () => {
  it('refuses a Vaxzevria mp with a BioNTech ma (the flaw of the real Vietnamese sample)', () => {
    const r = checkVaccineConsistency('EU/1/21/1529', 'ORG-100030215', '29061000087103')
    expect(r.ok).toBe(false)
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toMatch(/^ma ORG-100030215/u)
  })
  it('refuses an mRNA vp on a viral-vector vaccine', () => {
    const r = checkVaccineConsistency('EU/1/21/1529', 'ORG-100001699', '1119349007')
    expect(r.ok).toBe(false)
    expect(r.problems[0]).toMatch(/^vp 1119349007/u)
  })
  it('refuses an unknown mp, and reports both mismatches at once', () => {
    expect(checkVaccineConsistency('NOPE', 'ORG-100001699', '1119349007').ok).toBe(false)
    expect(checkVaccineConsistency('Abdala', 'ORG-100001699', '1119349007').problems).toHaveLength(
      2,
    )
  })
  it('accepts the generic vp for every product', () => {
    for (const [mp, rule] of Object.entries(VACCINE_ENCODING)) {
      expect(checkVaccineConsistency(mp, rule.ma, '28531000087107').ok, mp).toBe(true)
    }
  })
})
