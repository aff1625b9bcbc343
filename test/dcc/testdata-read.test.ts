// Every DCC payload of ../shared/testdata/dgc-testdata through our reader: nothing throws, and
// the schema verdict (read mode, value-set codes required) matches EXPECTEDSCHEMAVALIDATION for
// every case that known_issues.csv does not list.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dccToEvents } from '../../src/core/dcc/dcc-to-events.js'
import { dccToHolder } from '../../src/core/dcc/dcc-to-holder.js'
import { validateDcc } from '../../src/core/dcc/validate-dcc.js'

const root = fileURLToPath(new URL('../../../shared/testdata/dgc-testdata', import.meta.url))

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f)
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.json') ? [p] : []
    })
}

interface Case {
  JSON?: unknown
  EXPECTEDRESULTS?: { EXPECTEDSCHEMAVALIDATION?: boolean }
}

const known = readFileSync(join(root, 'known_issues.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .filter((c) => c[0] === 'test_cose_schema')
  .map(([, country, set]) => ({ country: country ?? '', set: set ?? '' }))

function isKnownIssue(rel: string): boolean {
  const country = rel.split('/')[0]
  const stem = basename(rel, '.json')
  return known.some((k) => k.country === country && (k.set === '' || k.set === stem))
}

const cases = walk(root).flatMap((file) => {
  let parsed: Case
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Case
  } catch {
    return []
  }
  return parsed.JSON === undefined ? [] : [{ rel: relative(root, file), c: parsed }]
})

describe('dgc-testdata payloads', () => {
  it('are there', () => {
    expect(cases.length).toBeGreaterThan(300)
  })

  it('read mode and the normalisers never throw', () => {
    for (const { rel, c } of cases) {
      for (const mode of ['read', 'issue'] as const) {
        const r = validateDcc(c.JSON, { mode })
        expect(typeof r.ok, rel).toBe('boolean')
      }
      expect(typeof dccToHolder(c.JSON).name, rel).toBe('string')
      expect(Array.isArray(dccToEvents(c.JSON)), rel).toBe(true)
    }
  })

  it('read mode with known codes matches EXPECTEDSCHEMAVALIDATION (known issues aside)', () => {
    const mismatches: string[] = []
    let checked = 0
    let invalid = 0
    for (const { rel, c } of cases) {
      const expected = c.EXPECTEDRESULTS?.EXPECTEDSCHEMAVALIDATION
      if (expected === undefined || isKnownIssue(rel)) continue
      checked++
      if (!expected) invalid++
      const r = validateDcc(c.JSON, { mode: 'read', requireKnownCodes: true })
      if (r.ok !== expected) {
        mismatches.push(`${rel}: expected ${expected}, ${r.errors.map((e) => e.path).join(' ')}`)
      }
    }
    expect(mismatches).toEqual([])
    expect(checked).toBeGreaterThan(50)
    expect(invalid).toBeGreaterThan(0)
  })

  it('reads names and events from real vaccination passes', () => {
    const vaccinations = cases.filter(({ c }) => {
      const v = (c.JSON as { v?: unknown } | null)?.v
      return Array.isArray(v) && v.length === 1
    })
    expect(vaccinations.length).toBeGreaterThan(50)
    for (const { rel, c } of vaccinations) {
      const events = dccToEvents(c.JSON)
      expect(events, rel).toHaveLength(1)
      expect(events[0]!.date, rel).toMatch(/^\d{4}-\d{2}-\d{2}$/u)
      expect(dccToHolder(c.JSON).name.length, rel).toBeGreaterThan(0)
    }
  })
})
