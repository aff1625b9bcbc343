/** A vaccination site. */
export interface VaccinationSite {
  /** `<province code>-<local code>`, e.g. `001-BVBM`. */
  readonly code: string
  readonly name: string
  readonly provinceCode: string
  readonly kind: 'hospital' | 'health_centre'
}

/** The province facts the site list needs. */
export interface SiteProvince {
  readonly code: string
  readonly nameVi: string
  /** Thousands of inhabitants: more people, more district health centres. */
  readonly population: number
}

/** The pilot hospitals of the 2022 certificate roll-out, all in Hanoi (province 001). */
export const PILOT_SITES: readonly VaccinationSite[] = Object.freeze([
  { code: '001-BVBM', name: 'Bệnh viện Bạch Mai', provinceCode: '001', kind: 'hospital' },
  { code: '001-BVE', name: 'Bệnh viện E', provinceCode: '001', kind: 'hospital' },
  { code: '001-BVK', name: 'Bệnh viện K', provinceCode: '001', kind: 'hospital' },
])

/**
 * The reference list of vaccination sites: in every province a general hospital, a centre for
 * disease control and one district health centre per ~150,000 inhabitants (at least 5), plus the
 * pilot hospitals in Hanoi. Deterministic: the same provinces give the same codes.
 *
 * @example
 * generateSites([{ code: '001', nameVi: 'Hà Nội', population: 8054 }])[0]
 * // { code: '001-BVBM', name: 'Bệnh viện Bạch Mai', provinceCode: '001', kind: 'hospital' }
 */
export function generateSites(provinces: readonly SiteProvince[]): VaccinationSite[] {
  const out: VaccinationSite[] = []
  for (const p of provinces) {
    if (p.code === '001') out.push(...PILOT_SITES)
    out.push({
      code: `${p.code}-BVDK`,
      name: `Bệnh viện Đa khoa ${p.nameVi}`,
      provinceCode: p.code,
      kind: 'hospital',
    })
    out.push({
      code: `${p.code}-CDC`,
      name: `Trung tâm Kiểm soát Bệnh tật ${p.nameVi}`,
      provinceCode: p.code,
      kind: 'health_centre',
    })
    const districts = Math.max(5, Math.round(p.population / 150))
    for (let i = 1; i <= districts; i++) {
      const n = String(i).padStart(2, '0')
      out.push({
        code: `${p.code}-TTYT${n}`,
        name: `Trung tâm Y tế ${n} ${p.nameVi}`,
        provinceCode: p.code,
        kind: 'health_centre',
      })
    }
  }
  return out
}
