/** A site's daily report: doses administered at a site on a day. */
export interface SiteDailyReport {
  readonly siteCode: string
  readonly date: string
  readonly dosesAdministered: number
}

/** Counts administered doses per site and day, as sites report them (entered or not). */
export interface SiteReportTally {
  add(siteCode: string, date: string): void
  /** The reports, sorted by site code then date. */
  reports(): SiteDailyReport[]
}

/**
 * Creates a tally of doses per site and day. Memory grows with sites x days (under a million
 * keys for Vietnam's ~700 sites over two years), not with doses.
 *
 * @example
 * const tally = createSiteReportTally()
 * tally.add('TT-001-01', '2021-09-01')
 * tally.reports() // [{ siteCode: 'TT-001-01', date: '2021-09-01', dosesAdministered: 1 }]
 */
export function createSiteReportTally(): SiteReportTally {
  const counts = new Map<string, number>()
  return {
    add(siteCode, date) {
      const key = `${siteCode}\u0000${date}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    },
    reports() {
      return [...counts.keys()].sort().map((key) => {
        const [siteCode, date] = key.split('\u0000') as [string, string]
        return { siteCode, date, dosesAdministered: counts.get(key) as number }
      })
    },
  }
}
