import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateDcc } from '../../core/dcc/validate-dcc.js'
import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'
import { buildVaccinationDcc } from './build-vaccination-dcc.js'
import { validateIssuedDcc } from './validate-issued-dcc.js'

const now = new Date('2022-03-15T08:30:45.678Z')
const config = { issuer: 'Ministry of Health of Viet Nam' }

const SYLLABLES = ['Nguyễn', 'Trần', 'Lê', 'Đặng', 'Thị', 'Văn', 'Hồng', 'Đào', 'Ánh', 'Thuỷ', 'Ngọc', 'Ỷ', 'Quyết', 'Æsir', 'Øvre', 'a', 'O\u0027Neil']
const name = fc.oneof(
  fc.array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
  fc.array(fc.constantFrom(...SYLLABLES), { minLength: 10, maxLength: 30 }).map((w) => w.join(' ')),
  fc.string({ maxLength: 40 }),
)
const dob = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2021-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.integer({ min: 1890, max: 2030 }).map(String),
  fc.tuple(fc.integer({ min: 1900, max: 2021 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  fc.string({ maxLength: 12 }),
)
const products = [...VIETNAM_VACCINES.map((v) => v.mp), ...VIETNAM_VACCINES.map((v) => v.key), 'NVX-CoV2373']
const dose = fc.record({
  product: fc.constantFrom(...products),
  date: fc.date({ min: new Date('2020-11-01'), max: new Date('2022-04-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  doseNumber: fc.integer({ min: 0, max: 10 }),
})
const person = fc.record({ fullName: name, dob, doses: fc.array(dose, { minLength: 1, maxLength: 3 }) })

function build(p: { fullName: string; dob: string; doses: Array<{ product: string; date: string; doseNumber: number }> }) {
  try {
    return buildVaccinationDcc({ cccd: '001090012345', fullName: p.fullName, dob: p.dob }, p.doses, config, now)
  } catch {
    return undefined
  }
}

/** The verdict as the reference gives it, errors included. */
function verdict(r: ReturnType<typeof validateDcc>) {
  return { ok: r.ok, version: r.version, type: r.type, errors: r.errors }
}

// Values a field could be mutated to: edge cases of every rule the validator applies.
const odd = fc.oneof(
  fc.constantFrom('', ' ', ' x', 'x ', 'A'.repeat(80), 'A'.repeat(81), 'É'.repeat(80), '😀'.repeat(80), '😀'.repeat(81)),
  fc.constantFrom('2021-02-29', '2020-02-29', '2021-13-01', '1990', '1990-00', '1899-01-01', '2101', '21-01-01'),
  fc.constantFrom('840539006', '1119349007', 'J07BX03', 'EU/1/20/1528', 'ORG-100030215', 'ORG-100001699', 'VN', 'XX', 'vn'),
  fc.constantFrom('1.3.0', '1.3.2', '1.2.1', '1.0.0', '2.0.0', 'THI<HONG', 'thi', 'A B'),
  fc.constantFrom(0, 1, 2, 9, 10, 1.5, -1, Number.NaN, null, undefined, true, [], {}),
  fc.string({ maxLength: 90 }),
)
const FIELDS = ['ver', 'dob', 'nam.fn', 'nam.fnt', 'nam.gn', 'nam.gnt', 'nam.x', 'x', 'v', 'v.0'] as const
const ENTRY = ['tg', 'vp', 'mp', 'ma', 'dn', 'sd', 'dt', 'co', 'is', 'ci', 'xx'] as const

function mutate(payload: unknown, field: string, value: unknown): Record<string, unknown> {
  const p = structuredClone(payload) as Record<string, unknown> & { nam: Record<string, unknown>; v: Array<Record<string, unknown>> }
  const [a, b] = field.split('.') as [string, string | undefined]
  if (a === 'v' && b === undefined) p.v = [p.v[0]!, p.v[0]!]
  else if (a === 'v') p.v = [value as Record<string, unknown>]
  else if (a === 'e') p.v[0]![b!] = value
  else if (b === undefined) p[a] = value
  else (p[a] as Record<string, unknown>)[b] = value
  if (value === undefined && b !== undefined && a !== 'v') delete (p[a === 'e' ? 'v' : a] as Record<string, unknown>)[b]
  return p
}

describe('validateIssuedDcc', () => {
  it('gives the verdict of validateDcc issue mode for whatever the builder produces from generated people', () => {
    let built = 0
    fc.assert(
      fc.property(person, (p) => {
        const b = build(p)
        if (b === undefined) return
        built++
        // The builder returns only payloads both accept; check the pair on the payload itself.
        expect(verdict(validateIssuedDcc(b.payload))).toEqual(verdict(validateDcc(b.payload, { mode: 'issue' })))
        expect(validateIssuedDcc(b.payload).ok).toBe(true)
      }),
      { numRuns: 3000, seed: 20261129 },
    )
    expect(built).toBeGreaterThan(300)
  })

  it('gives the verdict of validateDcc issue mode for built payloads with any one field changed', () => {
    let rejected = 0
    fc.assert(
      fc.property(
        person,
        fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...ENTRY).map((k) => `e.${k}`)),
        odd,
        (p, field, value) => {
          const b = build(p) ?? build({ fullName: 'Nguyễn Văn An', dob: '1990-01-01', doses: [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 2 }] })!
          const m = mutate(b.payload, field, value)
          // Twice: the first call may prove the constants, the second takes the fast path.
          validateIssuedDcc(m)
          const fast = validateIssuedDcc(m)
          const ref = validateDcc(m, { mode: 'issue' })
          if (!ref.ok) rejected++
          expect(verdict(fast)).toEqual(verdict(ref))
        },
      ),
      { numRuns: 5000, seed: 7 },
    )
    // The generator must reach the rejecting side often, or the comparison proves little.
    expect(rejected).toBeGreaterThan(1000)
  })

  it('refuses a payload with an inactive product code even after the product was proven', () => {
    const b = build({ fullName: 'Lê Văn Tám', dob: '1980-05-05', doses: [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 1 }] })!
    expect(validateIssuedDcc(b.payload).ok).toBe(true)
    const bad = mutate(b.payload, 'e.mp', 'EU/1/20/1507')
    const r = validateIssuedDcc(bad)
    expect(r.ok).toBe(false)
    expect(r.errors.map((e) => e.code)).toContain('ERR_DCC_VALUE_SET')
  })
})
