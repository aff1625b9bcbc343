import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIsoSeconds } from './format-iso-seconds.js'

// The reference: what the verifier wrote before (Date, and String for a time no Date holds).
function reference(seconds: number): string {
  const d = new Date(seconds * 1000)
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString()
}

describe('formatIsoSeconds', () => {
  it('writes what Date writes for whole seconds and milliseconds from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (s) => {
        expect(formatIsoSeconds(s)).toBe(reference(s))
      }),
      { numRuns: 20000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(formatIsoSeconds(ms / 1000)).toBe(reference(ms / 1000))
      }),
      { numRuns: 20000 },
    )
  })

  it('writes what Date writes, or String, for every other number', () => {
    const edges = [
      0,
      -0,
      -1,
      -0.0001,
      0.0004,
      1.5,
      1e-9,
      253402300799,
      253402300799.999,
      253402300800,
      -62167219200,
      -62167219201,
      8.64e12,
      8.64e12 + 1,
      -8.64e12,
      Number.MAX_VALUE,
      Infinity,
      -Infinity,
      NaN,
      1640995200,
      1672531200,
      951782400,
      4107542400,
      4102444800,
    ]
    for (const s of edges) expect(formatIsoSeconds(s), String(s)).toBe(reference(s))
    fc.assert(
      fc.property(
        fc.oneof(fc.double(), fc.integer(), fc.double({ min: -1e13, max: 1e13 })),
        (s) => {
          expect(formatIsoSeconds(s)).toBe(reference(s))
        },
      ),
      { numRuns: 20000 },
    )
  })

  it('gets every day of leap and common years right (1970-2400)', () => {
    for (let day = 0; day < 157000; day++) {
      const s = day * 86400 + ((day * 7919) % 86400)
      if (formatIsoSeconds(s) !== reference(s)) expect(formatIsoSeconds(s)).toBe(reference(s))
    }
  })
})
