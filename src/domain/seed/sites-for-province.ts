import { VN_PROVINCES, findProvince } from '../identity/provinces.js'

/** A vaccination site as synthetic data and the registry describe it. */
export interface SeedSite {
  readonly code: string
  readonly name: string
  readonly provinceCode: string
  /** `hospital` | `health_centre` */
  readonly kind: 'hospital' | 'health_centre'
}

/** The pilot hospitals in Hanoi (MISSION.md): Bạch Mai, E and K. */
const PILOT_HOSPITALS: readonly SeedSite[] = [
  { code: 'BV-001-BACHMAI', name: 'Bệnh viện Bạch Mai', provinceCode: '001', kind: 'hospital' },
  { code: 'BV-001-E', name: 'Bệnh viện E', provinceCode: '001', kind: 'hospital' },
  { code: 'BV-001-K', name: 'Bệnh viện K', provinceCode: '001', kind: 'hospital' },
]

/** About one district health centre per 150,000 people, at least three per province. */
function healthCentreCount(populationThousands: number): number {
  return Math.max(3, Math.round(populationThousands / 150))
}

const cache = new Map<string, readonly SeedSite[]>()

/**
 * The vaccination sites of a province, deterministic and the same on every call: the provincial
 * general hospital `BV-<ppp>-DK`, district health centres `TT-<ppp>-<nn>` (about one per 150,000
 * people), and in Hanoi the pilot hospitals `BV-001-BACHMAI`, `BV-001-E`, `BV-001-K`.
 * Throws a RangeError for an unknown province code.
 *
 * @example
 * listSitesForProvince('001')[0] // { code: 'BV-001-BACHMAI', name: 'Bệnh viện Bạch Mai', ... }
 */
export function listSitesForProvince(provinceCode: string): readonly SeedSite[] {
  const cached = cache.get(provinceCode)
  if (cached !== undefined) return cached
  const province = findProvince(provinceCode)
  if (province === undefined) throw new RangeError(`unknown province code ${provinceCode}`)
  const sites: SeedSite[] = PILOT_HOSPITALS.filter((s) => s.provinceCode === provinceCode)
  sites.push({
    code: `BV-${provinceCode}-DK`,
    name: `Bệnh viện Đa khoa ${province.nameVi}`,
    provinceCode,
    kind: 'hospital',
  })
  const n = healthCentreCount(province.population)
  for (let i = 1; i <= n; i++) {
    const nn = String(i).padStart(2, '0')
    sites.push({
      code: `TT-${provinceCode}-${nn}`,
      name: `Trung tâm Y tế số ${nn}, ${province.nameVi}`,
      provinceCode,
      kind: 'health_centre',
    })
  }
  const frozen = Object.freeze(sites.map((s) => Object.freeze(s)))
  cache.set(provinceCode, frozen)
  return frozen
}

/**
 * The site codes of a province (see {@link listSitesForProvince}).
 *
 * @example
 * siteCodesForProvince('096') // ['BV-096-DK', 'TT-096-01', ...]
 */
export function siteCodesForProvince(provinceCode: string): readonly string[] {
  return listSitesForProvince(provinceCode).map((s) => s.code)
}

/**
 * Every vaccination site of the 63 provinces, in province order.
 *
 * @example
 * listAllSites().length // about 700
 */
export function listAllSites(): readonly SeedSite[] {
  return VN_PROVINCES.flatMap((p) => listSitesForProvince(p.code))
}
