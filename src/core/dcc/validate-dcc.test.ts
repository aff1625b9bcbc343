import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isRfc3339Date, isRfc3339DateTime, validateDcc, validateDccSchema } from './validate-dcc.js'

type Payload = Record<string, unknown>

// Tests edit payloads into every wrong shape, so the editor sees them untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = { [k: string]: any }

function vn(overrides: (p: Editable) => void = () => {}): Payload {
  const p = {
    ver: '1.3.0',
    nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Bảo Duy', gnt: 'BAO<DUY' },
    dob: '1990-01-02',
    v: [
      {
        tg: '840539006',
        vp: '29061000087103',
        mp: 'EU/1/21/1529',
        ma: 'ORG-100001699',
        dn: 2,
        sd: 2,
        dt: '2021-09-15',
        co: 'VN',
        is: 'Ministry of Health',
        ci: 'URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF',
      },
    ],
  }
  overrides(p as Editable)
  return p
}

const test = {
  ver: '1.3.3',
  nam: { fnt: 'TRAN' },
  dob: '1985',
  t: [
    {
      tg: '840539006',
      tt: 'LP6464-4',
      sc: '2021-06-11T17:30:00Z',
      tr: '260415000',
      co: 'VN',
      is: 'Ministry of Health',
      ci: 'URN:UVCI:01:VN:ABC',
    },
  ],
}

function codes(r: { errors: readonly { code: string; path: string }[] }): string[] {
  return r.errors.map((e) => `${e.code} ${e.path}`)
}

function warnings(r: { warnings: readonly { code: string; path?: string }[] }): string[] {
  return r.warnings.map((w) => `${w.code} ${w.path ?? ''}`)
}

describe('validateDcc, issue mode', () => {
  it('accepts a correct Vietnamese vaccination certificate', () => {
    const r = validateDcc(vn(), { mode: 'issue' })
    expect(r).toEqual({ ok: true, version: '1.3.0', type: 'v', errors: [], warnings: [] })
  })

  it('refuses a Vaxzevria mp with a BioNTech ma', () => {
    const r = validateDcc(
      vn((p) => (p.v[0]!['ma'] = 'ORG-100030215')),
      { mode: 'issue' },
    )
    expect(codes(r)).toEqual(['ERR_DCC_VALUE_SET v[0]'])
    expect(validateDccSchema(vn((p) => (p.v[0]!['ma'] = 'ORG-100030215')))).toEqual([])
  })

  it('refuses unknown and deprecated value-set codes', () => {
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['co'] = 'XX')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_VALUE_SET v[0].co'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['tg'] = '123')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_VALUE_SET v[0].tg'])
    const deprecated = validateDcc(
      vn((p) => (p.v[0]!['vp'] = 'J07BX03')),
      { mode: 'issue' },
    )
    expect(codes(deprecated)).toContain('ERR_DCC_VALUE_SET v[0].vp')
  })

  it('refuses extra properties, stray whitespace and impossible birth dates', () => {
    expect(
      codes(
        validateDcc(
          vn((p) => (p['extra'] = 1)),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA extra'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['is'] = ' MoH')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v[0].is'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p['dob'] = '1990-13-45')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA dob'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p['dob'] = '1990-02-30')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA dob'])
  })

  it('gives the right code for each kind of structural fault', () => {
    expect(
      codes(
        validateDcc(
          vn((p) => delete p['dob']),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_MISSING dob'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['dn'] = '2')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_TYPE v[0].dn'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['dn'] = 1.5)),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_TYPE v[0].dn'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['dn'] = 0)),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v[0].dn'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.nam['fnt'] = 'Nguyen')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA nam.fnt'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.nam['gnt'] = 'A'.repeat(81))),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA nam.gnt'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['ci'] = 'U'.repeat(81))),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v[0].ci'])
    expect(
      codes(
        validateDcc(
          vn((p) => (p.v[0]!['dt'] = '2021-09-15T00:00:00Z')),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v[0].dt'])
    const two = validateDcc(
      vn((p) => (p['r'] = [{}])),
      { mode: 'issue' },
    )
    expect(two.ok).toBe(false)
    expect(two.type).toBeNull()
    expect(codes(two)).toContain('ERR_DCC_SCHEMA ')
    expect(
      codes(
        validateDcc(
          vn((p) => (p['v'] = [])),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_MISSING v'])
    expect(
      codes(
        validateDcc(
          vn((p) => p.v.push(p.v[0]!)),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v'])
    expect(codes(validateDcc('HC1:', { mode: 'issue' }))).toEqual(['ERR_DCC_TYPE '])
  })

  it('refuses a version outside 1.0.x-1.3.x', () => {
    const r = validateDcc(
      vn((p) => (p['ver'] = '2.0.0')),
      { mode: 'issue' },
    )
    expect(codes(r)).toEqual(['ERR_DCC_SCHEMA ver'])
    expect(r.version).toBe('2.0.0')
  })

  it('accepts test certificates with only a transliterated surname (1.3.2+)', () => {
    expect(validateDcc(test, { mode: 'issue' }).ok).toBe(true)
    expect(validateDcc({ ...test, nam: { gnt: 'AN' } }, { mode: 'issue' }).ok).toBe(true)
    expect(codes(validateDcc({ ...test, nam: { fn: 'Trần' } }, { mode: 'issue' }))).toEqual([
      'ERR_DCC_MISSING nam',
    ])
    // Before 1.3.2 fnt was required.
    expect(
      codes(validateDcc({ ...test, ver: '1.3.1', nam: { gnt: 'AN' } }, { mode: 'issue' })),
    ).toEqual(['ERR_DCC_MISSING nam.fnt'])
  })
})

describe('validateDcc, schema versions', () => {
  it('1.0.x and 1.1.x: 50-character limits, dose numbers up to 9, tc required', () => {
    const long = 'A'.repeat(51)
    expect(
      validateDcc(
        vn((p) => (p.nam['fnt'] = long)),
        { mode: 'issue' },
      ).ok,
    ).toBe(true)
    for (const ver of ['1.0.0', '1.1.0']) {
      expect(
        codes(
          validateDcc(
            vn((p) => ((p['ver'] = ver), (p.nam['fnt'] = long))),
            { mode: 'issue' },
          ),
        ),
      ).toEqual(['ERR_DCC_SCHEMA nam.fnt'])
      expect(codes(validateDcc({ ...test, ver }, { mode: 'issue' }))).toEqual([
        'ERR_DCC_MISSING t[0].tc',
      ])
    }
    expect(
      codes(
        validateDcc(
          vn((p) => ((p['ver'] = '1.2.1'), (p.v[0]!['dn'] = 10))),
          { mode: 'issue' },
        ),
      ),
    ).toEqual(['ERR_DCC_SCHEMA v[0].dn'])
    expect(
      validateDcc(
        vn((p) => (p.v[0]!['dn'] = 10)),
        { mode: 'issue' },
      ).ok,
    ).toBe(true)
  })

  it('dob: YYYY, YYYY-MM, YYYY-MM-DD; empty from 1.2; a time only in 1.0', () => {
    for (const dob of ['1990', '1990-01', '1990-01-02', '']) {
      expect(
        validateDcc(
          vn((p) => (p['dob'] = dob)),
          { mode: 'issue' },
        ).ok,
        dob,
      ).toBe(true)
    }
    for (const dob of ['1890-01-01', '2100', '90-01-01', '1990-1-2', '1990-01-02T00:00:00']) {
      expect(
        validateDcc(
          vn((p) => (p['dob'] = dob)),
          { mode: 'issue' },
        ).ok,
        dob,
      ).toBe(false)
    }
    expect(
      validateDcc(
        vn((p) => ((p['ver'] = '1.1.0'), (p['dob'] = ''))),
        { mode: 'issue' },
      ).ok,
    ).toBe(false)
    expect(
      validateDcc(
        vn((p) => ((p['ver'] = '1.0.0'), (p['dob'] = '1990-01-02T00:00:00'))),
        { mode: 'issue' },
      ).ok,
    ).toBe(true)
  })

  it('t[0].dr belongs to 1.0.x and 1.1.x only', () => {
    const withDr = { ...test, t: [{ ...test.t[0], tc: 'Bach Mai', dr: '2021-06-12T10:00:00Z' }] }
    expect(validateDcc({ ...withDr, ver: '1.1.0' }, { mode: 'issue' }).ok).toBe(true)
    expect(codes(validateDcc(withDr, { mode: 'issue' }))).toEqual(['ERR_DCC_SCHEMA t[0].dr'])
  })
})

describe('validateDcc, read mode', () => {
  it('turns sloppiness into warnings with paths', () => {
    const sloppy = vn((p) => {
      p['ver'] = ' 1.3.0'
      p.nam['fn'] = 'Nguyễn '
      p.nam['gn'] = null
      p.v[0]!['dn'] = 1.5
      p.v[0]!['sd'] = '2'
      p.v[0]!['mp'] = 'EU/1/21/1529'
      p.v[0]!['ma'] = 'ORG-100030215'
      p.v[0]!['co'] = 'ZZ'
      p.v[0]!['tg'] = 840539006
      p.v[0]!['extra'] = true
      p['t'] = null
    })
    const r = validateDcc(sloppy, { mode: 'read' })
    expect(r.errors).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.type).toBe('v')
    expect(warnings(r).sort()).toEqual(
      [
        'WARN_DCC_WHITESPACE ver',
        'WARN_DCC_WHITESPACE nam.fn',
        'WARN_DCC_NULL nam.gn',
        'WARN_DCC_FLOAT v[0].dn',
        'WARN_DCC_TYPE v[0].sd',
        'WARN_DCC_VACCINE_MISMATCH v[0]',
        'WARN_DCC_VALUE_SET v[0].co',
        'WARN_DCC_TYPE v[0].tg',
        'WARN_DCC_EXTRA v[0].extra',
        'WARN_DCC_NULL t',
      ].sort(),
    )
    // The same payload can never be issued.
    expect(validateDcc(sloppy, { mode: 'issue' }).ok).toBe(false)
  })

  it('requireKnownCodes makes unknown codes errors, not a mismatched pair', () => {
    const unknown = vn((p) => (p.v[0]!['co'] = 'ZZ'))
    expect(validateDcc(unknown, { mode: 'read' }).ok).toBe(true)
    expect(codes(validateDcc(unknown, { mode: 'read', requireKnownCodes: true }))).toEqual([
      'ERR_DCC_VALUE_SET v[0].co',
    ])
    const mismatch = vn((p) => (p.v[0]!['ma'] = 'ORG-100030215'))
    expect(validateDcc(mismatch, { mode: 'read', requireKnownCodes: true }).ok).toBe(true)
  })

  it('reads CBOR-tagged date-times (Date objects) with a warning', () => {
    const tagged = { ...test, t: [{ ...test.t[0], sc: new Date('2021-06-11T17:30:00Z') }] }
    const r = validateDcc(tagged, { mode: 'read' })
    expect(r.ok).toBe(true)
    expect(warnings(r)).toEqual(['WARN_DCC_TYPE t[0].sc'])
    expect(validateDcc(tagged, { mode: 'issue' }).ok).toBe(false)
  })

  it('reads an empty optional field as absent', () => {
    const t = { ...test, t: [{ ...test.t[0], ma: '', tc: '' }] }
    const r = validateDcc(t, { mode: 'read', requireKnownCodes: true })
    expect(r.ok).toBe(true)
    expect(warnings(r)).toEqual(['WARN_DCC_EMPTY t[0].ma', 'WARN_DCC_EMPTY t[0].tc'])
  })

  it('reads an older version and an unknown one with a warning', () => {
    expect(
      validateDcc(
        vn((p) => (p['ver'] = '1.0.0')),
        { mode: 'read' },
      ).ok,
    ).toBe(true)
    const r = validateDcc(
      vn((p) => (p['ver'] = '1.4.0')),
      { mode: 'read' },
    )
    expect(r.ok).toBe(true)
    expect(warnings(r)).toEqual(['WARN_DCC_VERSION ver'])
  })

  it('keeps broken structure as errors', () => {
    const cases: [Payload | unknown, string][] = [
      [vn((p) => delete p['nam']), 'ERR_DCC_MISSING nam'],
      [vn((p) => (p['nam'] = 'Nguyen')), 'ERR_DCC_TYPE nam'],
      [vn((p) => (p['nam'] = {})), 'ERR_DCC_MISSING nam'],
      [vn((p) => (p['dob'] = null)), 'ERR_DCC_MISSING dob'],
      [vn((p) => (p['dob'] = { y: 1990 })), 'ERR_DCC_TYPE dob'],
      [vn((p) => (p['r'] = [{}])), 'ERR_DCC_SCHEMA '],
      [vn((p) => delete p['v']), 'ERR_DCC_MISSING '],
      [vn((p) => (p['v'] = [])), 'ERR_DCC_MISSING v'],
      [vn((p) => (p['v'] = 'x')), 'ERR_DCC_TYPE v'],
      [vn((p) => (p['v'] = [42])), 'ERR_DCC_TYPE v[0]'],
      [vn((p) => delete p.v[0]!['dt']), 'ERR_DCC_MISSING v[0].dt'],
      [vn((p) => (p.v[0]!['mp'] = { code: 'x' })), 'ERR_DCC_TYPE v[0].mp'],
      [vn((p) => (p.v[0]!['dn'] = [2])), 'ERR_DCC_TYPE v[0].dn'],
      [[], 'ERR_DCC_TYPE '],
      [null, 'ERR_DCC_TYPE '],
    ]
    for (const [payload, expected] of cases) {
      const r = validateDcc(payload, { mode: 'read' })
      expect(r.ok, expected).toBe(false)
      expect(codes(r), expected).toContain(expected)
    }
  })

  it('reads a lone entry object as a one-entry array', () => {
    const r = validateDcc(
      vn((p) => ((p as Payload)['v'] = p.v[0])),
      { mode: 'read' },
    )
    expect(r.ok).toBe(true)
    expect(warnings(r)).toEqual(['WARN_DCC_TYPE v'])
  })

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('issue', 'read' as const),
        (x, mode) => {
          const r = validateDcc(x, { mode: mode as 'issue' | 'read' })
          expect(typeof r.ok).toBe('boolean')
        },
      ),
      { numRuns: 500, seed: 7 },
    )
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom')
        },
        ownKeys() {
          throw new Error('boom')
        },
      },
    )
    expect(validateDcc(hostile, { mode: 'read' }).ok).toBe(false)
  })
})

describe('RFC 3339 formats', () => {
  it('dates', () => {
    expect(isRfc3339Date('2020-02-29')).toBe(true)
    expect(isRfc3339Date('2021-02-29')).toBe(false)
    expect(isRfc3339Date('2000-02-29')).toBe(true)
    expect(isRfc3339Date('1900-02-29')).toBe(false)
    expect(isRfc3339Date('2021-04-31')).toBe(false)
    expect(isRfc3339Date('2021-4-1')).toBe(false)
  })
  it('date-times need a zone; leap seconds only at 23:59:60 UTC', () => {
    expect(isRfc3339DateTime('2021-06-11T17:30:00Z')).toBe(true)
    expect(isRfc3339DateTime('2021-06-11T17:30:00.5+07:00')).toBe(true)
    expect(isRfc3339DateTime('2021-06-11 17:30:00+0700')).toBe(true)
    expect(isRfc3339DateTime('2021-06-11T17:30:00')).toBe(false)
    expect(isRfc3339DateTime('2021-06-11T23:59:60Z')).toBe(true)
    expect(isRfc3339DateTime('2021-06-12T06:59:60+07:00')).toBe(true)
    expect(isRfc3339DateTime('2021-06-11T17:30:60Z')).toBe(false)
  })
})
