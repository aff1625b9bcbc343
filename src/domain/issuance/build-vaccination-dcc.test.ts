import { describe, expect, it } from 'vitest'
import { validateDcc } from '../../core/dcc/validate-dcc.js'
import { addMonthsUtc, buildVaccinationDcc, computeContentHash, latestDose } from './build-vaccination-dcc.js'
import { isValidUvci } from './uvci.js'

const now = new Date('2022-03-15T08:30:45.678Z')
const config = { issuer: 'Ministry of Health of Viet Nam' }
const fixed = (n: number) => new Uint8Array(n).fill(7)

describe('buildVaccinationDcc', () => {
  it('builds the 11 fields for the latest dose with ICAO transliteration', () => {
    const built = buildVaccinationDcc(
      { cccd: '001190012345', fullName: 'Nguyễn Thị Hồng Đào', dob: '1990-04-12' },
      [
        { product: 'EU/1/20/1528', date: '2021-08-01', doseNumber: 1 },
        { product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 2 },
      ],
      config,
      now,
      { randomBytes: fixed },
    )
    expect(built.payload).toEqual({
      ver: '1.3.0',
      nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Hồng Đào', gnt: 'THI<HONG<DAO' },
      dob: '1990-04-12',
      v: [
        {
          tg: '840539006',
          vp: '1119349007',
          mp: 'EU/1/20/1528',
          ma: 'ORG-100030215',
          dn: 2,
          sd: 2,
          dt: '2021-09-01',
          co: 'VN',
          is: 'Ministry of Health of Viet Nam',
          ci: built.uvci,
        },
      ],
    })
    // Issue time in ms (12 hex digits), then 80 random bits.
    expect(built.uvci).toMatch(/^URN:UVCI:01:VN:017F8CB37308(07){10}#.$/)
    expect(isValidUvci(built.uvci)).toBe(true)
    expect(built.iat.toISOString()).toBe('2022-03-15T08:30:45.000Z')
    expect(built.exp.toISOString()).toBe('2023-03-15T08:30:45.000Z')
    expect(validateDcc(built.payload, { mode: 'issue' }).ok).toBe(true)
  })

  it('reads NFD input the same as NFC and keeps NFC diacritics', () => {
    const nfc = buildVaccinationDcc(
      { cccd: '001090012345', fullName: 'Trần Đức Anh', dob: '1985' },
      [{ product: 'EU/1/21/1529', date: '2021-07-01', doseNumber: 1 }],
      config,
      now,
      { randomBytes: fixed },
    )
    const nfd = buildVaccinationDcc(
      { cccd: '001090012345', fullName: 'Trần  Đức Anh'.normalize('NFD'), dob: '1985' },
      [{ product: 'EU/1/21/1529', date: '2021-07-01', doseNumber: 1 }],
      config,
      now,
      { randomBytes: fixed },
    )
    expect(nfd.payload.nam).toEqual({ fn: 'Trần', fnt: 'TRAN', gn: 'Đức Anh', gnt: 'DUC<ANH' })
    expect(nfd.contentHash).toBe(nfc.contentHash)
    expect(nfc.payload.dob).toBe('1985')
  })

  it('sets sd from the series and never below dn (booster, Abdala, Janssen)', () => {
    const build = (product: string, doseNumber: number) =>
      buildVaccinationDcc(
        { cccd: '001090012345', fullName: 'Lê Văn Tám', dob: '1970-01-01' },
        [{ product, date: '2022-01-10', doseNumber }],
        config,
        now,
      ).payload.v[0]
    expect(build('EU/1/20/1528', 3)).toMatchObject({ dn: 3, sd: 3 })
    expect(build('Abdala', 1)).toMatchObject({ dn: 1, sd: 3, ma: 'CIGB' })
    expect(build('EU/1/20/1525', 1)).toMatchObject({ dn: 1, sd: 1 })
    expect(build('BBIBP-CorV', 2)).toMatchObject({ dn: 2, sd: 2, ma: 'ORG-100020693', vp: '1157024006' })
  })

  it('refuses an inconsistent manufacturer or vaccine type (the Vietnamese sample flaw)', () => {
    const attempt = (manufacturer: string | null, vaccineType: string | null) => () =>
      buildVaccinationDcc(
        { cccd: '001090012345', fullName: 'Nguyễn Bảo Duy', dob: '1990-01-01' },
        [{ product: 'EU/1/21/1529', date: '2021-10-01', doseNumber: 2, manufacturer, vaccineType }],
        config,
        now,
      )
    expect(attempt('ORG-100030215', null)).toThrow(
      expect.objectContaining({ code: 'ERR_ISSUE_INCONSISTENT_VACCINE' }),
    )
    expect(attempt(null, '1157024006')).toThrow(
      expect.objectContaining({ code: 'ERR_ISSUE_INCONSISTENT_VACCINE' }),
    )
    expect(attempt('ORG-100001699', '29061000087103')).not.toThrow()
  })

  it('refuses bad people and doses with stable codes', () => {
    const person = { cccd: '001090012345', fullName: 'Phạm Minh Chính', dob: '1958-12-10' }
    const dose = { product: 'EU/1/20/1507', date: '2021-11-01', doseNumber: 2 }
    const code = (fn: () => unknown) => {
      try {
        fn()
        return 'none'
      } catch (err) {
        return (err as { code?: string }).code
      }
    }
    expect(code(() => buildVaccinationDcc(person, [], config, now))).toBe('ERR_ISSUE_NO_DOSES')
    expect(code(() => buildVaccinationDcc({ ...person, fullName: '  ' }, [dose], config, now))).toBe(
      'ERR_ISSUE_INVALID_PERSON',
    )
    expect(code(() => buildVaccinationDcc({ ...person, dob: '1958-02-30' }, [dose], config, now))).toBe(
      'ERR_ISSUE_INVALID_PERSON',
    )
    expect(code(() => buildVaccinationDcc(person, [{ ...dose, product: 'NVX-CoV2373' }], config, now))).toBe(
      'ERR_ISSUE_INVALID_DOSE',
    )
    expect(code(() => buildVaccinationDcc(person, [{ ...dose, date: '2022-04-01' }], config, now))).toBe(
      'ERR_ISSUE_INVALID_DOSE',
    )
    expect(code(() => buildVaccinationDcc(person, [{ ...dose, doseNumber: 1.5 }], config, now))).toBe(
      'ERR_ISSUE_INVALID_DOSE',
    )
    expect(code(() => buildVaccinationDcc(person, [dose], config, now))).toBe('none')
  })

  it('gives a new UVCI every time but the same content hash for the same inputs', () => {
    const person = { cccd: '001090012345', fullName: 'Hoàng Văn Thụ', dob: '1990-01-01' }
    const doses = [{ product: 'EU/1/20/1507', date: '2021-11-01', doseNumber: 2 }]
    const a = buildVaccinationDcc(person, doses, config, now)
    const b = buildVaccinationDcc(person, doses, config, new Date('2022-05-01T00:00:00Z'))
    expect(a.uvci).not.toBe(b.uvci)
    expect(a.contentHash).toBe(b.contentHash)
    const c = buildVaccinationDcc(person, [...doses, { ...doses[0]!, date: '2022-02-01', doseNumber: 3 }], config, now)
    expect(c.contentHash).not.toBe(a.contentHash)
  })
})

describe('addMonthsUtc and latestDose', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonthsUtc(new Date('2024-02-29T10:00:00Z'), 12).toISOString()).toBe('2025-02-28T10:00:00.000Z')
    expect(addMonthsUtc(new Date('2022-01-31T00:00:00Z'), 1).toISOString()).toBe('2022-02-28T00:00:00.000Z')
    expect(addMonthsUtc(new Date('2022-12-15T00:00:00Z'), 12).toISOString()).toBe('2023-12-15T00:00:00.000Z')
  })
  it('picks the latest date, then the highest dose number', () => {
    expect(
      latestDose([
        { product: 'a', date: '2021-09-01', doseNumber: 2 },
        { product: 'b', date: '2021-10-01', doseNumber: 1 },
        { product: 'c', date: '2021-10-01', doseNumber: 3 },
      ])?.product,
    ).toBe('c')
  })
})

describe('computeContentHash', () => {
  it('hashes exactly JSON.stringify of the shaping fields (stored hashes stay comparable)', async () => {
    const { createHash } = await import('node:crypto')
    const fc = (await import('fast-check')).default
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('"', '\\', '\u0000', '\ud800', 'Nguyễn', 'A\u2028B'))
    // Shared fields (quoted once per set and remembered) drawn from a few values, so that sets
    // repeat and alternate between calls; per-holder fields anything.
    const shared = fc.constantFrom('1.3.0', 'EU/1/20/1528', 'ORG-100030215', 'J07BX03', 'VN', 'a"b', 'Bộ Y tế', '\ud800')
    const number = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(1.5, -0, 1e21))
    fc.assert(
      fc.property(
        fc.record({ ver: shared, mp: shared, ma: shared, vp: shared, co: shared, is: fc.oneof(shared, text) }),
        fc.record({ fn: text, gn: fc.option(text, { nil: undefined }), dob: text, dt: text, dn: number, sd: number }),
        (c, p) => {
          const payload = {
            ver: c.ver,
            nam: p.gn === undefined ? { fn: p.fn, fnt: 'X' } : { fn: p.fn, fnt: 'X', gn: p.gn, gnt: 'Y' },
            dob: p.dob,
            v: [{ tg: '840539006', vp: c.vp, mp: c.mp, ma: c.ma, dn: p.dn, sd: p.sd, dt: p.dt, co: c.co, is: c.is, ci: 'c' }],
          } as const
          const reference = JSON.stringify([c.ver, p.fn, p.gn ?? '', p.dob, c.mp, c.ma, c.vp, p.dn, p.sd, p.dt, c.co, c.is])
          expect(computeContentHash(payload as never)).toBe(createHash('sha256').update(reference).digest('hex').slice(0, 32))
        },
      ),
      { numRuns: 3000 },
    )
  })
})
