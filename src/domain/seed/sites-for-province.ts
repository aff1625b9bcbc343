import { generateSites } from '../registry/generate-sites.js'
import type { VaccinationSite } from '../registry/generate-sites.js'
import { listProvinces } from '../registry/registry-sources.js'

/** A vaccination site, as the registry seeds it (`vaccination_sites`). */
export type SeedSite = VaccinationSite

let byProvince: Map<string, readonly SeedSite[]> | undefined

function sitesByProvince(): Map<string, readonly SeedSite[]> {
  if (byProvince === undefined) {
    // The registry's own site list, so that generated doses name sites the database knows.
    const map = new Map<string, SeedSite[]>()
    for (const s of generateSites(listProvinces())) {
      const list = map.get(s.provinceCode) ?? []
      list.push(s)
      map.set(s.provinceCode, list)
    }
    byProvince = new Map([...map].map(([k, v]) => [k, Object.freeze(v)]))
  }
  return byProvince
}

/**
 * The vaccination sites of a province, from the registry's reference list (`generateSites`):
 * the general hospital, the CDC, district health centres, and in Hanoi the pilot hospitals
 * Bạch Mai, E and K. Throws a RangeError for an unknown province code.
 *
 * @example
 * listSitesForProvince('001')[0].name // 'Bệnh viện Bạch Mai'
 */
export function listSitesForProvince(provinceCode: string): readonly SeedSite[] {
  const sites = sitesByProvince().get(provinceCode)
  if (sites === undefined) throw new RangeError(`unknown province code ${provinceCode}`)
  return sites
}

/**
 * The site codes of a province (see {@link listSitesForProvince}).
 *
 * @example
 * siteCodesForProvince('096') // ['096-BVDK', '096-CDC', '096-TTYT01', ...]
 */
export function siteCodesForProvince(provinceCode: string): readonly string[] {
  return listSitesForProvince(provinceCode).map((s) => s.code)
}

/**
 * Every vaccination site of the 63 provinces, in province order.
 *
 * @example
 * listAllSites().length // about 750
 */
export function listAllSites(): readonly SeedSite[] {
  return [...sitesByProvince().values()].flat()
}
