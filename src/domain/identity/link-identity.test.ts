import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { linkIdentity } from './link-identity.js'
import type { RegisterEntry } from './types.js'

const AN: RegisterEntry = {
  cccd: '001085012345',
  fullName: 'Nguyễn Văn An',
  dob: '1985-03-02',
  sex: 'M',
}
const DAO: RegisterEntry = {
  cccd: '079199000001',
  cmnd: '123456789',
  fullName: 'Nguyễn Thị Hồng Đào',
  dob: '1999-11-30',
  sex: 'F',
}
const REGISTER = [AN, DAO]
const record = (
  r: Partial<{ cccd: string | null; fullName: string; dob: string; sex: string }>,
) => ({
  cccd: AN.cccd,
  fullName: AN.fullName,
  dob: AN.dob,
  sex: 'M',
  ...r,
})

describe('linkIdentity by ID', () => {
  it('links an exact record with no differences', () => {
    expect(linkIdentity(record({}), REGISTER)).toEqual({
      status: 'linked',
      cccd: AN.cccd,
      differences: [],
      candidates: 1,
    })
  })

  it('links across NFC/NFD, case and spacing without reporting a difference', () => {
    const r = linkIdentity(record({ fullName: '  nguyễn   VĂN an'.normalize('NFD') }), REGISTER)
    expect(r).toMatchObject({ status: 'linked', differences: [] })
  })

  it('links a name without diacritics but reports the difference', () => {
    expect(linkIdentity(record({ fullName: 'NGUYEN VAN AN' }), REGISTER)).toEqual({
      status: 'linked',
      cccd: AN.cccd,
      candidates: 1,
      differences: [
        {
          field: 'full_name',
          recorded: 'NGUYEN VAN AN',
          registered: AN.fullName,
          kind: 'diacritics',
        },
      ],
    })
  })

  it('links a partial birth date that agrees, reporting it', () => {
    expect(linkIdentity(record({ dob: '1985' }), REGISTER)).toMatchObject({
      status: 'linked',
      differences: [{ field: 'dob', kind: 'partial', recorded: '1985', registered: AN.dob }],
    })
  })

  it('gives name_differs for a typo, and lists every other difference too', () => {
    const r = linkIdentity(
      record({ fullName: 'Nguyễn Văn Anh', dob: '1985-03-20', sex: 'F' }),
      REGISTER,
    )
    expect(r.status).toBe('name_differs')
    expect(r.cccd).toBe(AN.cccd)
    expect(r.differences.map((d) => [d.field, d.kind])).toEqual([
      ['full_name', 'spelling'],
      ['dob', 'differs'],
      ['sex', 'differs'],
    ])
  })

  it('gives dob_differs, then sex_differs, in that order', () => {
    expect(linkIdentity(record({ dob: '1985-02-03', sex: 'F' }), REGISTER).status).toBe(
      'dob_differs',
    )
    expect(linkIdentity(record({ dob: 'not a date' }), REGISTER)).toMatchObject({
      status: 'dob_differs',
      differences: [{ field: 'dob', kind: 'invalid' }],
    })
    expect(linkIdentity(record({ sex: 'F' }), REGISTER).status).toBe('sex_differs')
    expect(linkIdentity(record({ sex: 'x' }), REGISTER).status).toBe('sex_differs')
  })

  it('gives not_found, ambiguous and id_malformed', () => {
    expect(linkIdentity(record({ cccd: '001085099999' }), REGISTER)).toEqual({
      status: 'not_found',
      differences: [],
      candidates: 0,
    })
    expect(linkIdentity(record({ cccd: '003085012345' }), REGISTER)).toEqual({
      status: 'id_malformed',
      idProblem: 'id_unknown_province',
      candidates: 0,
      differences: [
        { field: 'cccd', recorded: '003085012345', registered: '', kind: 'id_unknown_province' },
      ],
    })
    const twin = { ...AN, fullName: 'Trần Văn Bình' }
    // Two different people under one CCCD in the register cannot be told apart.
    const clash = [AN, { ...twin, cccd: AN.cccd }, DAO]
    expect(linkIdentity(record({}), clash)).toEqual({
      status: 'ambiguous',
      differences: [],
      candidates: 2,
    })
    expect(linkIdentity(record({}), [AN, AN]).status).toBe('linked')
  })

  it('reports a CCCD whose digits disagree with the register entry', () => {
    const wrong = { ...AN, dob: '1986-03-02' }
    const r = linkIdentity(record({ dob: '1986-03-02' }), [wrong])
    expect(r.status).toBe('dob_differs')
    expect(r.differences).toEqual([
      { field: 'cccd', recorded: '1985', registered: '1986', kind: 'birth_year' },
    ])
    const wrongSex = { ...AN, sex: 'F' as const }
    expect(linkIdentity(record({ sex: 'F' }), [wrongSex])).toMatchObject({
      status: 'sex_differs',
      differences: [{ field: 'cccd', kind: 'sex', recorded: 'M', registered: 'F' }],
    })
  })

  it('links a legacy CMND through the register entry that knows it', () => {
    const r = linkIdentity(
      { cccd: '123456789', fullName: DAO.fullName, dob: DAO.dob, sex: 'F' },
      REGISTER,
    )
    expect(r).toMatchObject({ status: 'linked', cccd: DAO.cccd })
    // A CMND the register does not carry: linked by name and birth date instead.
    expect(linkIdentity({ ...record({}), cccd: '987654321' }, REGISTER)).toMatchObject({
      status: 'linked',
      cccd: AN.cccd,
    })
    expect(
      linkIdentity({ ...record({}), cccd: '987654321', fullName: 'Trần Văn Bình' }, REGISTER)
        .status,
    ).toBe('not_found')
  })
})

describe('linkIdentity without an ID', () => {
  it('links by normalised name and birth date', () => {
    for (const cccd of [undefined, null, '', '  ']) {
      const r = linkIdentity(
        { cccd, fullName: 'nguyen thi hong dao', dob: '1999-11-30', sex: 'F' },
        REGISTER,
      )
      expect(r).toMatchObject({ status: 'linked', cccd: DAO.cccd })
      expect(r.differences).toEqual([
        {
          field: 'full_name',
          kind: 'diacritics',
          recorded: 'nguyen thi hong dao',
          registered: DAO.fullName,
        },
      ])
    }
  })

  it('gives not_found when name or birth date does not fit', () => {
    const base = { fullName: DAO.fullName, dob: DAO.dob, sex: 'F' }
    expect(linkIdentity({ ...base, dob: '1999-11-29' }, REGISTER).status).toBe('not_found')
    expect(linkIdentity({ ...base, fullName: 'Nguyễn Thị Hồng' }, REGISTER).status).toBe(
      'not_found',
    )
    expect(linkIdentity({ ...base, dob: '1999' }, REGISTER).status).toBe('linked')
  })

  it('narrows namesakes by sex, else ambiguous', () => {
    const brother = { ...DAO, cccd: '079099000002', cmnd: null, sex: 'M' as const }
    const base = { fullName: DAO.fullName, dob: DAO.dob }
    expect(linkIdentity({ ...base, sex: 'M' }, [DAO, brother])).toMatchObject({
      status: 'linked',
      cccd: brother.cccd,
      candidates: 2,
    })
    const sister = { ...DAO, cccd: '079199000003' }
    expect(linkIdentity({ ...base, sex: 'F' }, [DAO, sister])).toEqual({
      status: 'ambiguous',
      differences: [],
      candidates: 2,
    })
    expect(linkIdentity({ ...base, sex: 'M' }, [DAO]).status).toBe('sex_differs')
  })
})

describe('linkIdentity properties', () => {
  const word = fc.constantFrom(
    'Nguyễn',
    'Trần',
    'Lê',
    'Văn',
    'Thị',
    'Hồng',
    'Đào',
    'Đức',
    'Ánh',
    'Quỳnh',
    'An',
  )
  const spelling = fc.constantFrom<(s: string) => string>(
    (s) => s.normalize('NFD'),
    (s) => s.toUpperCase(),
    (s) => s.toLowerCase(),
    (s) => `  ${s.replace(/ /g, '   ')} `,
    (s) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd'),
  )

  it('links the same person however the name is written, and reports only a diacritics difference', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 4 }), spelling, (words, spell) => {
        const entry: RegisterEntry = { ...AN, fullName: words.join(' ') }
        const r = linkIdentity({ ...record({}), fullName: spell(entry.fullName) }, [entry])
        return (
          r.status === 'linked' &&
          r.cccd === AN.cccd &&
          r.differences.every((d) => d.field === 'full_name' && d.kind === 'diacritics')
        )
      }),
    )
  })

  it('never links a record to an entry whose name differs in letters', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 3 }), word, (words, extra) => {
        const entry: RegisterEntry = { ...AN, fullName: words.join(' ') }
        const r = linkIdentity({ ...record({}), fullName: `${entry.fullName} ${extra}` }, [entry])
        return r.status === 'name_differs'
      }),
    )
  })
})
