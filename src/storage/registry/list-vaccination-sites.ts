import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/**
 * Every vaccination site (public data: code, name, province), ordered by province then code.
 *
 * @example
 * const sites = await listVaccinationSites(storage.db)
 * sites[0] // { code: 'HN-001', name: '...', provinceCode: '01' }
 */
export async function listVaccinationSites(
  db: Kysely<Database>,
): Promise<Array<{ code: string; name: string; provinceCode: string }>> {
  const rows = await db
    .selectFrom('vaccination_sites')
    .select(['code', 'name', 'province_code'])
    .orderBy('province_code')
    .orderBy('code')
    .execute()
  return rows.map((r) => ({ code: r.code, name: r.name, provinceCode: r.province_code }))
}
