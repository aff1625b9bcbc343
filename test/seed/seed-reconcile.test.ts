import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import { ADAPTERS, openTestStorage, type TestStorage } from '../storage/open-test-storage.js'

async function run(args: string[], databaseUrl: string): Promise<{ status: number; out: string }> {
  let out = ''
  process.env.DATABASE_URL = databaseUrl
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    return { status: await main(args), out }
  } finally {
    vi.restoreAllMocks()
    delete process.env.DATABASE_URL
  }
}

interface SeedSummary {
  dosesAdministered: number
  doseRows: number
  notEntered: number
  link: { byStatus: Record<string, number> }
}

describe.each(ADAPTERS)('seed and reconcile on %s', (kind) => {
  let t: TestStorage
  let seeded: SeedSummary
  beforeAll(async () => {
    t = await openTestStorage(kind)
    const r = await run(['seed', '--people', '600', '--seed', '11', '--json'], t.databaseUrl)
    expect(r.status).toBe(0)
    seeded = JSON.parse(r.out) as SeedSummary
  })
  afterAll(async () => t.dispose())
  afterEach(() => vi.restoreAllMocks())

  it('reports administered, entered, linked and the gap exactly as seeded', async () => {
    const r = await run(['reconcile', '--json'], t.databaseUrl)
    expect(r.status).toBe(0)
    const report = JSON.parse(r.out) as {
      totals: Record<string, number>
      provinces: Array<{ provinceCode: string; administered: number; entered: number }>
      sites: Array<{ siteCode: string }>
      mismatchedPeople: Record<string, number>
    }
    expect(report.totals).toMatchObject({
      administered: seeded.dosesAdministered,
      entered: seeded.doseRows,
      notEntered: seeded.notEntered,
      linked: seeded.link.byStatus.linked,
      pending: 0,
      enteredUnreported: 0,
    })
    expect(report.totals.certifiable).toBe(report.totals.linked)
    const provinceSum = report.provinces.reduce((n, p) => n + p.administered, 0)
    expect(provinceSum).toBe(seeded.dosesAdministered)
    expect(report.provinces.length).toBeGreaterThan(40)
    const failing = Object.values(report.mismatchedPeople).reduce((a, b) => a + b, 0)
    expect(failing).toBeGreaterThan(0)
    // Each failing record belongs to one person key: people never outnumber records.
    expect(failing).toBeLessThanOrEqual(seeded.doseRows - seeded.link.byStatus.linked!)
    expect(report.mismatchedPeople.name_differs).toBeGreaterThan(0)
  })

  it('prints a table per province with a total line', async () => {
    const r = await run(['reconcile'], t.databaseUrl)
    expect(r.status).toBe(0)
    expect(r.out).toMatch(/^province +administered/)
    expect(r.out).toContain('001 Hà Nội')
    expect(r.out).toMatch(new RegExp(`\\ntotal +${seeded.dosesAdministered} +${seeded.doseRows} `))
    expect(r.out).toMatch(/people with mismatches: not_found \d+/)
  })

  it('loads site daily reports from the CSV the seed writes, counting bad rows by reason', async () => {
    const dir = join(t.dir, 'csv')
    expect(
      (await run(['seed', '--people', '600', '--seed', '11', '--csv', dir], t.databaseUrl)).status,
    ).toBe(0)
    const file = join(dir, 'site-reports.csv')
    appendFileSync(
      file,
      'NOPE,2021-09-01,3\n001-BVBM,2021-02-30,3\n001-BVBM,2021-09-01,-1\n001-BVBM,2021-09-01\n',
    )
    const r = await run(['reconcile', '--reports', file, '--json'], t.databaseUrl)
    expect(r.status).toBe(0)
    const out = JSON.parse(r.out) as {
      imported: {
        read: number
        saved: number
        rejected: number
        rejectedByReason: Record<string, number>
      }
      totals: { administered: number }
    }
    expect(out.imported.rejectedByReason).toEqual({
      unknown_site: 1,
      bad_date: 1,
      bad_count: 1,
      columns: 1,
    })
    expect(out.imported.saved).toBe(out.imported.read - 4)
    // The same seed reports the same totals: re-imported reports replace, never add.
    expect(out.totals.administered).toBe(seeded.dosesAdministered)
    expect(
      (await run(['reconcile', '--reports', join(dir, 'missing.csv')], t.databaseUrl)).status,
    ).toBe(2)
  })
})
