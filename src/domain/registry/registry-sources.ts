import { VACCINE_MEDICINAL_PRODUCT } from '../../core/dcc/value-sets.js'
import { VN_PROVINCES } from '../identity/provinces.js'
import type { SiteProvince } from './generate-sites.js'

/**
 * The provinces the registry seeds and checks against (one place to swap the source).
 *
 * @example
 * listProvinces().length // 63
 */
export function listProvinces(): Array<SiteProvince & { nameEn: string }> {
  return VN_PROVINCES.map((p) => ({
    code: p.code,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    population: p.population,
  }))
}

/**
 * The EU `mp` product codes a dose record may carry: every code of the DCC value set.
 *
 * @example
 * listProductCodes().has('EU/1/20/1528') // true
 */
export function listProductCodes(): ReadonlySet<string> {
  return new Set(Object.keys(VACCINE_MEDICINAL_PRODUCT))
}
