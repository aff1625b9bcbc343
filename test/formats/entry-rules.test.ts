import { describe, expect, it } from 'vitest'
import { applyEntryRules } from '../../src/core/rules/apply-entry-rules.js'
import type { EntryRule } from '../../src/core/rules/entry-rule.js'
import { evaluateEntryRules } from '../../src/core/rules/evaluate-entry-rules.js'
import { parseEntryRules } from '../../src/core/rules/parse-entry-rules.js'
import { vietnamEntryRules } from '../../src/core/rules/vietnam-entry-rules.js'
import { verifyNzcp } from '../../src/core/nzcp/verify-nzcp.js'
import { verifyShc } from '../../src/core/shc/verify-shc.js'
import { verifyVdsNc } from '../../src/core/vds-nc/verify-vds-nc.js'
import type { VerificationReport } from '../../src/core/verify/report.js'
import { exampleStore, readTestdata } from './support/shared-testdata.js'
import { createTestPki, sampleVdsData, signVdsNc } from './support/test-pki.js'

const vn = vietnamEntryRules()

function results(report: VerificationReport): Record<string, string> {
  return Object.fromEntries((report.rules ?? []).map((r) => [r.identifier, r.result]))
}

function eu(
  events: VerificationReport['events'],
  expiresAt = '2023-01-01T00:00:00Z',
): VerificationReport {
  return {
    valid: true,
    format: 'EU_DCC',
    events,
    validity: { expiresAt },
    checks: [],
    warnings: [],
  }
}

describe('Vietnam entry rules on the normalised model', () => {
  it('are well-formed EU rules that parse', () => {
    expect(parseEntryRules(JSON.parse(JSON.stringify(vn.rules)))).toHaveLength(5)
  })

  it('accept the SMART example (3 doses of CVX 207/229) 14 days after the last dose, not 5 days', async () => {
    const payload = JSON.parse(
      readTestdata('smart-health-cards/example-00-b-jws-payload-expanded.json'),
    )
    const report = await verifyShc(readTestdata('smart-health-cards/example-00-d-jws.txt'), {
      trust: exampleStore(),
      now: new Date((payload.nbf + 86_400) * 1000),
    })
    const late = applyEntryRules(report, vn, {
      now: new Date('2022-09-19T00:00:00Z'),
      arrivalCountry: 'VN',
    })
    expect(results(late)).toEqual({
      'VR-VN-0000': 'passed',
      'VR-VN-0001': 'passed',
      'VR-VN-0002': 'passed',
      'VR-VN-0003': 'passed',
      'VR-VN-0004': 'passed',
    })
    expect(late.valid).toBe(true)
    expect(late.checks.at(-1)).toMatchObject({ id: 'rules', ok: true })
    const early = applyEntryRules(report, vn, {
      now: new Date('2022-09-10T00:00:00Z'),
      arrivalCountry: 'VN',
    })
    expect(results(early)['VR-VN-0003']).toBe('failed')
    expect(early.valid).toBe(false)
    expect(early.checks.at(-1)).toMatchObject({ id: 'rules', ok: false, code: 'ERR_RULE_FAILED' })
  })

  it('accept a VDS-NC with two doses of Comirnaty, by product name', async () => {
    const pki = await createTestPki('AU')
    const trust = {
      countries: [
        {
          country: 'AU',
          formats: ['VDS_NC' as const],
          cscas: [{ certificate: Buffer.from(pki.cscaDer).toString('base64') }],
        },
      ],
    }
    const now = new Date('2022-04-01T00:00:00Z')
    const report = await verifyVdsNc(await signVdsNc(sampleVdsData(), pki), { trust, now })
    const out = applyEntryRules(report, vn, { now, arrivalCountry: 'VN' })
    expect(out.valid).toBe(true)
    expect(Object.values(results(out))).toEqual(['passed', 'passed', 'passed', 'passed', 'passed'])
  })

  it('refuse an NZ COVID Pass, which records no vaccination', async () => {
    const now = new Date('2022-04-01T00:00:00Z')
    const report = await verifyNzcp(readTestdata('nzcp/valid/nzcp.txt'), {
      trust: exampleStore(),
      now,
    })
    expect(report.valid).toBe(true)
    const out = applyEntryRules(report, vn, { now, arrivalCountry: 'VN' })
    expect(out.valid).toBe(false)
    expect(results(out)['VR-VN-0000']).toBe('failed')
  })

  it('judge series completeness, unrecognised products and expiry', () => {
    const now = new Date('2022-06-01T00:00:00Z')
    const ctx = { now, arrivalCountry: 'VN' }
    const one = (product: string, doseNumber: number, seriesDoses?: number) =>
      results(
        applyEntryRules(
          eu([
            { product, date: '2022-01-01', doseNumber, ...(seriesDoses ? { seriesDoses } : {}) },
          ]),
          vn,
          ctx,
        ),
      )
    expect(one('EU/1/20/1525', 1, 1)['VR-VN-0002']).toBe('passed')
    expect(one('EU/1/20/1528', 1, 2)['VR-VN-0002']).toBe('failed')
    expect(one('EU/1/20/1528', 1)['VR-VN-0002']).toBe('failed')
    expect(one('EU/1/20/1525', 1)['VR-VN-0002']).toBe('passed')
    expect(one('EpiVacCorona', 2, 2)['VR-VN-0001']).toBe('failed')
    const expired = applyEntryRules(
      eu(
        [{ product: 'EU/1/20/1528', date: '2022-01-01', doseNumber: 2, seriesDoses: 2 }],
        '2022-05-01T00:00:00Z',
      ),
      vn,
      ctx,
    )
    expect(results(expired)['VR-VN-0004']).toBe('failed')
  })

  it('apply only the arrival country rules in force, highest version first; a broken rule is open', () => {
    const base: EntryRule = {
      Identifier: 'VR-XX-0001',
      Type: 'Acceptance',
      Country: 'XX',
      Version: '1.0.0',
      CertificateType: 'Vaccination',
      Description: [{ lang: 'en', desc: 'v1' }],
      ValidFrom: '2022-01-01T00:00:00Z',
      ValidTo: '2030-01-01T00:00:00Z',
      AffectedFields: [],
      Logic: false,
    }
    const rules: EntryRule[] = [
      base,
      { ...base, Version: '1.10.0', Description: [{ lang: 'en', desc: 'v1.10' }], Logic: true },
      { ...base, Version: '2.0.0', ValidFrom: '2029-01-01T00:00:00Z' },
      {
        ...base,
        Identifier: 'VR-XX-0002',
        Logic: { plusTime: [{ var: 'payload.vaccination.date' }, 1.5, 'day'] },
      },
      { ...base, Identifier: 'VR-YY-0001', Country: 'YY' },
    ]
    const report = eu([{ product: 'EU/1/20/1528', date: '2022-01-01', doseNumber: 2 }])
    const out = evaluateEntryRules(rules, report, {
      now: new Date('2022-06-01T00:00:00Z'),
      arrivalCountry: 'XX',
    })
    expect(out.map((o) => [o.identifier, o.version, o.result])).toEqual([
      ['VR-XX-0001', '1.10.0', 'passed'],
      ['VR-XX-0002', '1.0.0', 'open'],
    ])
    const none = applyEntryRules(
      report,
      { rules, valueSets: {} },
      { now: new Date('2022-06-01T00:00:00Z'), arrivalCountry: 'ZZ' },
    )
    expect(none.checks.at(-1)).toMatchObject({ id: 'rules', ok: false, code: 'ERR_RULES' })
  })

  it('refuse malformed rule files with ERR_RULES', () => {
    expect(() => parseEntryRules([{ Identifier: 'x' }])).toThrowError(
      expect.objectContaining({ code: 'ERR_RULES' }),
    )
    expect(() => parseEntryRules({ ...vn.rules[0], Country: 'VNM' })).toThrowError(
      expect.objectContaining({ code: 'ERR_RULES' }),
    )
  })
})

describe('Vietnam entry rules on an EU DCC', () => {
  it('evaluate the normalised events of a German vaccination certificate', async () => {
    const { loadTrustStore } = await import('../../src/core/trust/load-trust-store.js')
    const { verify } = await import('../../src/core/verify/verify.js')
    const kase = JSON.parse(readTestdata('dgc-testdata/DE/2DCode/raw/1.json'))
    const trust = await loadTrustStore({ certificates: [kase.TESTCTX.CERTIFICATE] })
    const now = new Date(kase.TESTCTX.VALIDATIONCLOCK)
    const verified = await verify(kase.PREFIX, { trust, now })
    expect([verified.format, verified.valid]).toEqual(['EU_DCC', true])
    // Vietnam's rules are in force from 2022-03-15: arrival two weeks after that.
    const arrival = new Date('2022-04-01T00:00:00Z')
    const report = applyEntryRules(verified, vn, { now: arrival, arrivalCountry: 'VN' })
    const v = kase.JSON.v[0]
    const complete = v.dn >= v.sd
    const daysSince = (arrival.getTime() - Date.parse(v.dt)) / 86_400_000
    expect(results(report)['VR-VN-0001']).toBe('passed')
    expect(results(report)['VR-VN-0002']).toBe(complete ? 'passed' : 'failed')
    expect(results(report)['VR-VN-0003']).toBe(daysSince >= 14 ? 'passed' : 'failed')
  })
})
