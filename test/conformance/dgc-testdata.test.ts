import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkDgcTestCase, type DgcTestCase } from '../../src/core/hc1/check-dgc-test-case.js'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import { isKnown, listCaseFiles, readKnownIssues } from '../../src/cli/commands/testdata.js'
import { DGC_DEVIATIONS } from './deviations.js'

const dir = fileURLToPath(new URL('../../../shared/testdata/dgc-testdata', import.meta.url))
const files = listCaseFiles(dir)
const issues = readKnownIssues(dir)
const known: string[] = []

describe('dgc-testdata: every case file, every expected key', () => {
  it('finds the test data', () => {
    expect(files.length).toBeGreaterThan(400)
    expect(issues.length).toBeGreaterThan(10)
  })
  it.each(files.map((f) => [relative(dir, f), f]))('%s', async (rel, file) => {
    const tc = JSON.parse(readFileSync(file, 'utf8')) as DgcTestCase
    const results = await checkDgcTestCase(tc, { readQr: (png) => readQrCodes(png) })
    const expectedKeys = Object.keys(tc.EXPECTEDRESULTS ?? {}).filter((k) => k in results)
    expect(Object.keys(results).sort()).toEqual(expectedKeys.sort())
    for (const [key, r] of Object.entries(results)) {
      if (isKnown(issues, rel, key)) {
        known.push(`${rel} ${key}`)
        continue
      }
      const deviation = DGC_DEVIATIONS.find((d) => d.path === rel && d.key === key)
      if (deviation !== undefined) {
        expect(r.pass, `${key} was a documented deviation but now passes: update the list`).toBe(false)
        continue
      }
      expect(r, `${key}: ${r.reason ?? ''}`).toMatchObject({ pass: true })
    }
  })
  it('reports the known issues as known', () => {
    expect(known.length).toBeGreaterThan(0)
    expect(known.every((k) => k.startsWith('NL/') || k.startsWith('BG/') || k.startsWith('ES/'))).toBe(true)
  })
})
