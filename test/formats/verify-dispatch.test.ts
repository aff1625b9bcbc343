import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TrustStore } from '../../src/core/trust/trust-store.js'
import { verify } from '../../src/core/verify/verify.js'
import { vietnamEntryRules } from '../../src/core/rules/vietnam-entry-rules.js'
import { createTestPki, sampleVdsData, signVdsNc } from './support/test-pki.js'
import {
  exampleStore,
  listTestdata,
  readTestdata,
  testdataPath,
} from './support/shared-testdata.js'

const trust = new TrustStore()
const partnerTrust = exampleStore()

describe('verify() recognises every format and applies entry rules', () => {
  it('SHC: numeric chunks as lines of one input, and the .smart-health-card file', async () => {
    const chunks = listTestdata('smart-health-cards')
      .filter((f) => f.startsWith('example-02-f-qr-code-numeric'))
      .map((f) => readTestdata(`smart-health-cards/${f}`).trim())
    const p = JSON.parse(readTestdata('smart-health-cards/example-02-b-jws-payload-expanded.json'))
    const now = new Date((p.nbf + 60) * 1000)
    const report = await verify(chunks.join('\n'), { trust, now, partnerTrust })
    expect([report.format, report.valid]).toEqual(['SHC', true])
    const file = await verify(
      readFileSync(testdataPath('smart-health-cards/example-00-e-file.smart-health-card')),
      {
        trust,
        now,
        partnerTrust,
      },
    )
    expect([file.format, file.valid]).toEqual(['SHC', true])
  })

  it('NZCP text and NZCP QR image', async () => {
    const now = new Date('2021-11-03T00:00:00Z')
    const text = await verify(readTestdata('nzcp/valid/nzcp.txt'), { trust, now, partnerTrust })
    expect([text.format, text.valid]).toEqual(['NZCP', true])
    const image = await verify(new Uint8Array(readFileSync(testdataPath('nzcp/valid/nzcp.png'))), {
      trust,
      now,
      partnerTrust,
    })
    expect([image.format, image.valid]).toEqual(['NZCP', true])
    const untrusted = await verify(readTestdata('nzcp/valid/nzcp.txt'), { trust, now })
    expect(untrusted.checks.find((c) => c.id === 'issuer')?.code).toBe('ERR_UNTRUSTED')
  })

  it('VDS-NC JSON, with Vietnam entry rules in the report', async () => {
    const pki = await createTestPki('JP')
    const store = {
      countries: [
        {
          country: 'JP',
          formats: ['VDS_NC' as const],
          cscas: [{ certificate: Buffer.from(pki.cscaDer).toString('base64') }],
        },
      ],
    }
    const now = new Date('2022-04-01T00:00:00Z')
    const input = await signVdsNc(sampleVdsData('JPN'), pki)
    const report = await verify(input, {
      trust,
      now,
      partnerTrust: store,
      entryRules: { ruleSet: vietnamEntryRules(), arrivalCountry: 'VN' },
    })
    expect([report.format, report.valid]).toEqual(['VDS_NC', true])
    expect(report.rules?.map((r) => r.result)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
    ])
    expect(report.checks.at(-1)).toMatchObject({ id: 'rules', ok: true })
  })

  it('JSON nested 10,000 deep gets a report with a code', async () => {
    const now = new Date('2022-04-01T00:00:00Z')
    for (const input of [
      '{"data":' + '['.repeat(10_000) + ']'.repeat(10_000) + ',"sig":1}',
      '{"verifiableCredential":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}',
    ]) {
      const report = await verify(input, { trust, now, partnerTrust })
      expect(report.valid).toBe(false)
      expect(report.checks[0]).toMatchObject({ ok: false, code: 'ERR_INPUT_FORMAT' })
    }
  })
})
