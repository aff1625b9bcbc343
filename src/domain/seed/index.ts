// Synthetic data: a deterministic register and dose history that look like Vietnam's.
export { createPrng, createWeightedPicker } from './create-prng.js'
export type { Prng, WeightedPicker } from './create-prng.js'
export { generatePeople } from './generate-people.js'
export type {
  SeedDefect,
  SeedDose,
  SeedDoseRow,
  SeedOptions,
  SeedPerson,
  SeedRegisterRow,
} from './generate-people.js'
export { listAllSites, listSitesForProvince, siteCodesForProvince } from './sites-for-province.js'
export type { SeedSite } from './sites-for-province.js'
export { createSiteReportTally } from './tally-site-reports.js'
export type { SiteDailyReport, SiteReportTally } from './tally-site-reports.js'
export {
  DOSES_CSV_HEADER,
  REGISTER_CSV_HEADER,
  SITE_REPORTS_CSV_HEADER,
  doseCsvLine,
  registerCsvLine,
  siteReportCsvLine,
} from './seed-csv.js'
export { dayOf, isoOfDay } from './seed-dates.js'
