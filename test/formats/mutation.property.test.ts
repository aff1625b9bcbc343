import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { canonicalizeJson } from '../../src/core/jcs/canonicalize-json.js'
import { verifyNzcp } from '../../src/core/nzcp/verify-nzcp.js'
import { verifyShc } from '../../src/core/shc/verify-shc.js'
import { verifyVdsNc } from '../../src/core/vds-nc/verify-vds-nc.js'
import type { PartnerTrustStore } from '../../src/core/partner-trust/partner-trust-store.js'
import { exampleStore, readTestdata } from './support/shared-testdata.js'
import { createTestPki, sampleVdsData, signVdsNc } from './support/test-pki.js'

/** Replaces one character of `text` at `at` (modulo its length) by `c`. */
function mutate(text: string, at: number, c: string): string {
  const i = at % text.length
  return text.slice(0, i) + c + text.slice(i + 1)
}

describe('random one-character changes never crash a verifier and are never accepted', () => {
  const trust = exampleStore()

  it('NZCP', async () => {
    const valid = readTestdata('nzcp/valid/nzcp.txt').trim()
    const now = new Date('2021-11-03T20:05:30Z')
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:/=1'),
        async (at, c) => {
          const input = mutate(valid, at, c)
          fc.pre(input !== valid)
          const report = await verifyNzcp(input, { trust, now })
          expect(report.valid).toBe(false)
        },
      ),
      { numRuns: 150 },
    )
    // A change found by this property: exp became an integer past the range of dates.
    const report = await verifyNzcp(mutate(valid, 1644002491, '7'), { trust, now })
    expect(report.valid).toBe(false)
  })

  it('SHC', async () => {
    const valid = readTestdata('smart-health-cards/example-00-d-jws.txt').trim()
    const p = JSON.parse(readTestdata('smart-health-cards/example-00-b-jws-payload-expanded.json'))
    const now = new Date((p.nbf + 60) * 1000)
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'AZaz09-_.=+/ '), async (at, c) => {
        const input = mutate(valid, at, c)
        fc.pre(input !== valid)
        const report = await verifyShc(input, { trust, now })
        expect(report.valid).toBe(false)
      }),
      { numRuns: 150 },
    )
  })

  describe('VDS-NC', () => {
    let valid: string
    let store: PartnerTrustStore
    beforeAll(async () => {
      const pki = await createTestPki('AU')
      valid = await signVdsNc(sampleVdsData(), pki)
      store = {
        countries: [
          {
            country: 'AU',
            formats: ['VDS_NC'],
            cscas: [{ certificate: Buffer.from(pki.cscaDer).toString('base64') }],
          },
        ],
      }
    })

    it('is accepted only when the change leaves the canonical data and the signature as they were', async () => {
      const now = new Date('2022-01-15T00:00:00Z')
      const original = JSON.parse(valid)
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.constantFrom(...'{}[]":,0129aAzZ-_ \\'), async (at, c) => {
          const input = mutate(valid, at, c)
          fc.pre(input !== valid)
          const report = await verifyVdsNc(input, { trust: store, now })
          if (report.valid) {
            const parsed = JSON.parse(input)
            expect(canonicalizeJson(parsed.data)).toBe(canonicalizeJson(original.data))
            expect(parsed.sig.sigvl).toBe(original.sig.sigvl)
          }
        }),
        { numRuns: 150 },
      )
    })
  })
})

describe('arbitrary text never makes a verifier throw', () => {
  const trust = exampleStore()
  const now = new Date('2022-01-01T00:00:00Z')
  const texts = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ maxLength: 300 }).map((s) => `shc:/${s}`),
    fc.stringMatching(/^shc:\/[0-9]{1,2}\/[0-9]{1,2}\/[0-9]{0,40}$/),
    fc.string({ maxLength: 300 }).map((s) => `NZCP:/1/${s}`),
    fc.json({ maxDepth: 6 }),
    fc.json({ maxDepth: 4 }).map((j) => `{"data":${j},"sig":${j}}`),
  )
  it('SHC, NZCP and VDS-NC each return a report with a code on every failed check', async () => {
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        for (const report of [
          await verifyShc(text, { trust, now }),
          await verifyNzcp(text, { trust, now }),
          await verifyVdsNc(text, { trust, now }),
        ]) {
          expect(report.valid).toBe(false)
          for (const c of report.checks)
            if (!c.ok && c.skipped !== true) expect(c.code).toMatch(/^ERR_/)
          expect(report.checks.some((c) => c.code === 'ERR_INTERNAL')).toBe(false)
        }
      }),
      { numRuns: 200 },
    )
  })
})
