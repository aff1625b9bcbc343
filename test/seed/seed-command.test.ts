import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vaxpass-seed-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  vi.restoreAllMocks()
  delete process.env.DATABASE_URL
})

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  const status = await main(args)
  vi.restoreAllMocks()
  return { status, out, err }
}

describe('vaxpass seed', () => {
  it('writes the same CSV bytes for the same seed, in the import formats', async () => {
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    const c = join(dir, 'c')
    expect((await run(['seed', '--people', '400', '--seed', '9', '--csv', a])).status).toBe(0)
    expect(
      (await run(['seed', '--people', '400', '--seed', '9', '--csv', b, '--json'])).status,
    ).toBe(0)
    expect((await run(['seed', '--people', '400', '--seed', '10', '--csv', c])).status).toBe(0)
    for (const f of ['register.csv', 'doses.csv', 'site-reports.csv']) {
      expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)))
    }
    expect(readFileSync(join(a, 'doses.csv'))).not.toEqual(readFileSync(join(c, 'doses.csv')))
    const register = readFileSync(join(a, 'register.csv'), 'utf8').split('\n')
    expect(register[0]).toBe('cccd,full_name,dob,sex,province_code,phone,email')
    expect(register.length).toBeGreaterThan(390)
    const doses = readFileSync(join(a, 'doses.csv'), 'utf8').split('\n')
    expect(doses[0]).toBe('cccd,full_name,dob,sex,product,lot,date,dose_number,site_code')
    const reports = readFileSync(join(a, 'site-reports.csv'), 'utf8').trim().split('\n')
    expect(reports[0]).toBe('site_code,date,doses_administered')
    // Sites report every dose given, entered or not: more than the entered rows.
    const administered = reports.slice(1).reduce((s, l) => s + Number(l.split(',')[2]), 0)
    expect(administered).toBeGreaterThan(doses.length - 2)
  })

  it('prints a JSON summary', async () => {
    const r = await run(['seed', '--people', '200', '--csv', join(dir, 'd'), '--json'])
    const s = JSON.parse(r.out) as Record<string, number>
    expect(s).toMatchObject({ people: 200 })
    expect(s.doseRows! + s.notEntered!).toBe(s.dosesAdministered)
  })

  it('loads the database through the imports and links the doses', async () => {
    process.env.DATABASE_URL = join(dir, 'seed.db')
    const r = await run(['seed', '--people', '500', '--seed', '4', '--json'])
    expect(r.status).toBe(0)
    const s = JSON.parse(r.out) as {
      registerRows: number
      doseRows: number
      registerImport: { inserted: number; rejected: number }
      doseImport: { inserted: number; rejected: number }
      link: { processed: number; byStatus: Record<string, number> }
    }
    expect(s.registerImport).toMatchObject({ inserted: s.registerRows, rejected: 0 })
    expect(s.doseImport).toMatchObject({ inserted: s.doseRows, rejected: 0 })
    expect(s.link.processed).toBe(s.doseRows)
    expect(s.link.byStatus.linked! / s.doseRows).toBeGreaterThan(0.9)
    // Seeding again adds nothing: the imports are idempotent.
    const again = JSON.parse(
      (await run(['seed', '--people', '500', '--seed', '4', '--json'])).out,
    ) as {
      doseImport: { inserted: number; duplicate: number }
    }
    expect(again.doseImport).toMatchObject({ inserted: 0, duplicate: s.doseRows })
  })

  it('refuses bad options with exit status 2', async () => {
    expect((await run(['seed', '--people', '0', '--csv', dir])).status).toBe(2)
    expect((await run(['seed', '--people', 'x', '--csv', dir])).status).toBe(2)
    expect(
      (await run(['seed', '--people', '5', '--as-of', '2020-01-01', '--csv', dir])).status,
    ).toBe(2)
    expect((await run(['seed', '--csv', dir])).status).toBe(2)
  })
})
