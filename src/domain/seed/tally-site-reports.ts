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
  // Nested maps: no key string built per dose (this runs once per generated dose).
  const bySite = new Map<string, Map<string, number>>()
  return {
    add(siteCode, date) {
      let days = bySite.get(siteCode)
      if (days === undefined) bySite.set(siteCode, (days = new Map()))
      days.set(date, (days.get(date) ?? 0) + 1)
    },
    reports() {
      const out: SiteDailyReport[] = []
      for (const siteCode of [...bySite.keys()].sort()) {
        const days = bySite.get(siteCode) as Map<string, number>
        for (const date of [...days.keys()].sort()) {
          out.push({ siteCode, date, dosesAdministered: days.get(date) as number })
        }
      }
      return out
    },
  }
}
