import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Dsc } from '../dsc/parse-dsc.js'
import { issuerWithDsc } from './report-issuer.js'

type Issuer = Parameters<typeof issuerWithDsc>[0]

// What the verifier wrote before: two spreads.
function reference(issuer: Issuer, dsc: Dsc): NonNullable<Issuer> {
  let out: NonNullable<Issuer> = {
    ...issuer,
    trustAnchor: `${dsc.kidBase64} ${dsc.subject}`.trim(),
  }
  if (out.country === undefined && dsc.country !== undefined) out = { ...out, country: dsc.country }
  return out
}

const text = fc.oneof(fc.constantFrom('VN', 'DE', '', ' '), fc.string({ maxLength: 6 }))
const maybe = fc.option(text, { nil: undefined })
const issuer: fc.Arbitrary<Issuer> = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  text.map((id) => ({ id, country: id })),
  fc.record({ id: maybe, country: maybe, trustAnchor: maybe }, { requiredKeys: [] }),
  fc.tuple(maybe, maybe).map(([country, id]) => ({ country, id })),
)

describe('issuerWithDsc', () => {
  it('is the object the two spreads made, keys in the same order (property)', () => {
    fc.assert(
      fc.property(issuer, text, text, maybe, (iss, kidBase64, subject, country) => {
        const dsc = { kidBase64, subject, country } as unknown as Dsc
        const got = issuerWithDsc(iss, dsc)
        const want = reference(iss, dsc)
        expect(Object.entries(got)).toEqual(Object.entries(want))
        expect(JSON.stringify(got)).toBe(JSON.stringify(want))
      }),
      { numRuns: 3000 },
    )
  })
})
