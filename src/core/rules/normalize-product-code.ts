import { CVX_COVID_PRODUCTS } from '../shc/cvx-products.js'
import type { PassFormat, VaccinationEvent } from '../verify/report.js'

/** Product names as VDS-NC and other passes write them, mapped to EU DCC `mp` codes. */
const NAMES: Readonly<Record<string, string>> = {
  comirnaty: 'EU/1/20/1528',
  'pfizer-biontech': 'EU/1/20/1528',
  pfizer: 'EU/1/20/1528',
  spikevax: 'EU/1/20/1507',
  moderna: 'EU/1/20/1507',
  vaxzevria: 'EU/1/21/1529',
  astrazeneca: 'EU/1/21/1529',
  covishield: 'Covishield',
  jcovden: 'EU/1/20/1525',
  janssen: 'EU/1/20/1525',
  nuvaxovid: 'EU/1/21/1618',
  novavax: 'EU/1/21/1618',
  covovax: 'Covovax',
  coronavac: 'CoronaVac',
  sinovac: 'CoronaVac',
  'bbibp-corv': 'BBIBP-CorV',
  sinopharm: 'BBIBP-CorV',
  covaxin: 'Covaxin',
  'sputnik v': 'Sputnik-V',
  'sputnik-v': 'Sputnik-V',
  'sputnik light': 'Sputnik-Light',
  convidecia: 'Convidecia',
  'hayat-vax': 'Hayat-Vax',
  abdala: 'Abdala',
}

/**
 * The EU DCC product code (`mp`) of an event, whatever the pass format wrote: EU codes as they
 * are, SHC CVX codes through the CVX table, VDS-NC product names through a name table. Unknown
 * products come back unchanged, so a rule can still name them.
 *
 * @example
 * normalizeProductCode({ product: '207', date: '2021-01-01' }, 'SHC') // 'EU/1/20/1507'
 */
export function normalizeProductCode(event: VaccinationEvent, format: PassFormat | null): string {
  const product = event.product.trim()
  if (format === 'SHC') return CVX_COVID_PRODUCTS[product]?.euProduct ?? product
  if (format === 'EU_DCC') return product
  return NAMES[product.toLowerCase()] ?? NAMES[(event.productName ?? '').toLowerCase()] ?? product
}
