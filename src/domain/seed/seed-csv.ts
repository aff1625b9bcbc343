import type { SeedDoseRow, SeedRegisterRow } from './generate-people.js'
import type { SiteDailyReport } from './tally-site-reports.js'

/** Header of the register snapshot CSV. */
export const REGISTER_CSV_HEADER = 'cccd,full_name,dob,sex,province_code,phone,email'
/** Header of a site's dose export CSV. */
export const DOSES_CSV_HEADER = 'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code'
/** Header of the site daily reports CSV. */
export const SITE_REPORTS_CSV_HEADER = 'site_code,date,doses_administered'

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV field, quoted only when it must be (RFC 4180). */
function field(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * A register row as one CSV line, with its `\n`.
 *
 * @example
 * registerCsvLine({ cccd: '001085012345', fullName: 'Nguyễn Văn An', dob: '1985-03-02', sex: 'M',
 *   provinceCode: '001', phone: '', email: '' }) // '001085012345,Nguyễn Văn An,1985-03-02,M,001,,\n'
 */
export function registerCsvLine(r: SeedRegisterRow): string {
  return `${field(r.cccd)},${field(r.fullName)},${field(r.dob)},${r.sex},${field(r.provinceCode)},${field(r.phone)},${field(r.email)}\n`
}

/**
 * A dose row as one CSV line, with its `\n`.
 *
 * @example
 * doseCsvLine(row) // '001085012345,Nguyễn Văn An,1985-03-02,M,EU/1/21/1529,AZ0012,2021-09-01,1,TT-001-01\n'
 */
export function doseCsvLine(r: SeedDoseRow): string {
  return `${field(r.cccd)},${field(r.fullName)},${field(r.dob)},${r.sex},${field(r.product)},${field(r.lot)},${r.date},${r.doseNumber},${field(r.siteCode)}\n`
}

/**
 * A site daily report as one CSV line, with its `\n`.
 *
 * @example
 * siteReportCsvLine({ siteCode: 'TT-001-01', date: '2021-09-01', dosesAdministered: 3 }) // 'TT-001-01,2021-09-01,3\n'
 */
export function siteReportCsvLine(r: SiteDailyReport): string {
  return `${field(r.siteCode)},${r.date},${r.dosesAdministered}\n`
}
