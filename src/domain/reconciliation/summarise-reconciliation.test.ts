import { describe, expect, it } from 'vitest'
import { summariseReconciliation } from './summarise-reconciliation.js'

const site = (
  siteCode: string,
  provinceCode: string,
  administered: number,
  entered: number,
  linked: number,
) => ({
  siteCode,
  provinceCode,
  administered,
  entered,
  linked,
  certifiable: linked,
  pending: 0,
})

describe('summariseReconciliation', () => {
  it('works out gaps per site, per province and in total without cancelling', () => {
    const r = summariseReconciliation(
      [
        site('001-B', '001', 100, 96, 90),
        site('001-A', '001', 10, 12, 12),
        site('096-A', '096', 0, 5, 1),
      ],
      { not_found: 3, name_differs: 1 },
    )
    expect(r.sites.map((s) => s.siteCode)).toEqual(['001-A', '001-B', '096-A'])
    const hanoi = r.provinces.find((p) => p.provinceCode === '001')!
    expect(hanoi).toMatchObject({
      name: 'Hà Nội',
      administered: 110,
      entered: 108,
      linked: 102,
      notEntered: 4,
      enteredUnreported: 2,
      notLinked: 6,
    })
    expect(hanoi.enteredShare).toBeCloseTo(108 / 110)
    expect(r.totals).toMatchObject({
      administered: 110,
      entered: 113,
      notEntered: 4,
      enteredUnreported: 7,
    })
    expect(r.provinces.find((p) => p.provinceCode === '096')!.enteredShare).toBeNull()
    expect(r.mismatchedPeople).toEqual({
      not_found: 3,
      ambiguous: 0,
      name_differs: 1,
      dob_differs: 0,
      sex_differs: 0,
      id_malformed: 0,
    })
  })

  it('gives an empty report for no data', () => {
    const r = summariseReconciliation([], {})
    expect(r.totals).toMatchObject({
      administered: 0,
      entered: 0,
      enteredShare: null,
      linkedShare: null,
    })
    expect(r.provinces).toEqual([])
  })
})
