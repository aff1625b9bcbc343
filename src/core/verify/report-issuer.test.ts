import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Dsc } from '../dsc/parse-dsc.js'
import { issuerOfClaims, issuerWithDsc } from './report-issuer.js'

// What the verifier wrote before: the claims' issuer, then two spreads.
function reference(iss: string | undefined, dsc: Dsc): Record<string, unknown> {
  const before: { id?: string; country?: string } =
    iss === undefined ? {} : { id: iss, country: iss }
  let out: { id?: string; country?: string; trustAnchor?: string } = {
    ...before,
    trustAnchor: `${dsc.kidBase64} ${dsc.subject}`.trim(),
  }
  if (out.country === undefined && dsc.country !== undefined) out = { ...out, country: dsc.country }
  return out
}

const text = fc.oneof(fc.constantFrom('VN', 'DE', '', ' '), fc.string({ maxLength: 6 }))
const maybe = fc.option(text, { nil: undefined })

describe('issuerWithDsc', () => {
  it('is the object the two spreads made, keys in the same order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(maybe, text, text, maybe), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (cases, reuse) => {
          let previous: Dsc | undefined
          for (const [iss, kidBase64, subject, country] of cases) {
            // Sometimes the same DSC object again (the trust anchor text is remembered).
            const dsc =
              reuse && previous !== undefined
                ? previous
                : ({ kidBase64, subject, country } as unknown as Dsc)
            previous = dsc
            const got = issuerWithDsc(iss, dsc)
            const want = reference(iss, dsc)
            expect(Object.entries(got)).toEqual(Object.entries(want))
            expect(JSON.stringify(got)).toBe(JSON.stringify(want))
          }
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('starts from the claims issuer', () => {
    expect(issuerOfClaims(undefined)).toEqual({})
    expect(JSON.stringify(issuerOfClaims('VN'))).toBe('{"id":"VN","country":"VN"}')
  })
})
