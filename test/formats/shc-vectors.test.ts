import { describe, expect, it } from 'vitest'
import { verifyShc } from '../../src/core/shc/verify-shc.js'
import { exampleStore, listTestdata, readTestdata, SHC_ISSUER } from './support/shared-testdata.js'

const dir = 'smart-health-cards'
const examples = ['00', '01', '02', '03']

/** The vector's own time: one day after its nbf (the examples expire a year later). */
function nowFor(example: string): Date {
  const payload = JSON.parse(readTestdata(`${dir}/example-${example}-b-jws-payload-expanded.json`))
  return new Date((payload.nbf + 86_400) * 1000)
}

function numericChunks(example: string): string[] {
  return listTestdata(dir)
    .filter((f) => f.startsWith(`example-${example}-f-qr-code-numeric-value-`))
    .map((f) => readTestdata(`${dir}/${f}`).trim())
}

function failedCodes(report: {
  checks: readonly { ok: boolean; code: string | null; skipped?: boolean }[]
}) {
  return report.checks.filter((c) => !c.ok && !c.skipped).map((c) => c.code)
}

describe('SMART Health Cards published examples', () => {
  const trust = exampleStore()
  for (const ex of examples) {
    const expectValid = ex !== '03'
    const forms: Array<[string, () => string | string[]]> = [
      ['JWS', () => readTestdata(`${dir}/example-${ex}-d-jws.txt`)],
      ['file', () => readTestdata(`${dir}/example-${ex}-e-file.smart-health-card`)],
      ['numeric QR text', () => numericChunks(ex)],
    ]
    for (const [form, read] of forms) {
      it(`example ${ex} as ${form} is ${expectValid ? 'valid' : 'revoked'}`, async () => {
        const report = await verifyShc(read(), { trust, now: nowFor(ex) })
        expect(report.format).toBe('SHC')
        if (expectValid) {
          expect(failedCodes(report)).toEqual([])
          expect(report.valid).toBe(true)
          expect(report.issuer?.trustAnchor).toMatch(new RegExp(`^${SHC_ISSUER}#`))
          expect(report.issuer?.country).toBe('US')
        } else {
          expect(report.valid).toBe(false)
          expect(failedCodes(report)).toEqual(['ERR_SHC_REVOKED'])
        }
        if (ex === '02') {
          // a lab result bundle: no Patient resource, no immunization
          expect(report.events).toEqual([])
        } else {
          expect(report.holder?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/)
          expect(report.events?.length).toBeGreaterThan(0)
        }
      })
    }
  }

  it('example 00 normalises the patient and its three doses', async () => {
    const report = await verifyShc(readTestdata(`${dir}/example-00-d-jws.txt`), {
      trust,
      now: nowFor('00'),
    })
    expect(report.holder).toEqual({
      name: 'John B. Anyperson',
      familyName: 'Anyperson',
      givenName: 'John B.',
      dateOfBirth: '1951-01-20',
    })
    expect(report.events?.map((e) => [e.product, e.date, e.doseNumber])).toEqual([
      ['207', '2021-01-01', 1],
      ['207', '2021-01-29', 2],
      ['229', '2022-09-05', 3],
    ])
  })

  it('example 02 is reassembled from its 3 chunks in any order, given as lines of one input', async () => {
    const chunks = numericChunks('02')
    expect(chunks).toHaveLength(3)
    const report = await verifyShc([chunks[2]!, chunks[0]!, chunks[1]!].join('\n'), {
      trust,
      now: nowFor('02'),
    })
    expect(report.valid).toBe(true)
    expect(report.checks[0]?.message).toContain('chunked')
  })

  it('a missing chunk, a conflicting duplicate and a truncated chunk are refused with ERR_SHC_CHUNKS', async () => {
    const [a, b, c] = numericChunks('02') as [string, string, string]
    const now = nowFor('02')
    for (const input of [
      [a, c],
      [a, b, b.slice(0, -2) + '00', c],
      [a, b, c.slice(0, -1)],
    ]) {
      const report = await verifyShc(input, { trust, now })
      expect(report.valid).toBe(false)
      expect(report.checks[0]).toMatchObject({ id: 'input', ok: false, code: 'ERR_SHC_CHUNKS' })
      expect(report.checks.slice(1).every((x) => x.skipped)).toBe(true)
    }
  })

  it('example 00 is refused before its nbf; example 03 after its exp as well as revoked', async () => {
    const jws = readTestdata(`${dir}/example-00-d-jws.txt`)
    const payload = JSON.parse(readTestdata(`${dir}/example-00-b-jws-payload-expanded.json`))
    const early = await verifyShc(jws, { trust, now: new Date((payload.nbf - 60) * 1000) })
    expect(failedCodes(early)).toEqual(['ERR_NOT_YET_VALID'])
    const p3 = JSON.parse(readTestdata(`${dir}/example-03-b-jws-payload-expanded.json`))
    const late = await verifyShc(readTestdata(`${dir}/example-03-d-jws.txt`), {
      trust,
      now: new Date((p3.exp + 60) * 1000),
    })
    expect(failedCodes(late)).toEqual(['ERR_SHC_REVOKED', 'ERR_CERT_EXPIRED'])
  })

  it('an issuer missing from the trust store is ERR_UNTRUSTED', async () => {
    const report = await verifyShc(readTestdata(`${dir}/example-00-d-jws.txt`), {
      trust: { countries: [] },
      now: nowFor('00'),
    })
    expect(report.valid).toBe(false)
    expect(failedCodes(report)).toEqual(['ERR_UNTRUSTED'])
    expect(report.issuer?.trustAnchor).toBeUndefined()
  })
})
