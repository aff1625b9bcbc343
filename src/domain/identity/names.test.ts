import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareNames } from './compare-names.js'
import { canonicaliseName, normaliseName } from './normalise-name.js'
import { splitVietnameseName } from './split-vietnamese-name.js'
import { transliterateName } from './transliterate-name.js'

const NFC = 'Nguyễn Thị Hồng Đào'.normalize('NFC')
const NFD = NFC.normalize('NFD')

describe('normaliseName', () => {
  it('folds form, case, spacing, diacritics and Đ', () => {
    expect(NFC).not.toBe(NFD)
    expect(normaliseName(NFC)).toBe('nguyen thi hong dao')
    expect(normaliseName(NFD)).toBe('nguyen thi hong dao')
    expect(normaliseName('  NGUYEN\tthi  HONG-dao ')).toBe('nguyen thi hong dao')
    expect(normaliseName('Đặng Đức')).toBe('dang duc')
    expect(normaliseName('Lê Văn Tám')).not.toBe(normaliseName('Lê Văn Tâm Anh'))
  })

  it('keeps diacritics in the canonical form', () => {
    expect(canonicaliseName(`  ${NFD.toUpperCase()} `)).toBe(NFC.toLowerCase())
    expect(canonicaliseName('Tâm')).not.toBe(canonicaliseName('Tám'))
  })
})

describe('compareNames', () => {
  it('finds identical names equal with no differences', () => {
    expect(compareNames(NFC, NFC)).toEqual({
      equal: true,
      equalIgnoringDiacritics: true,
      differences: [],
    })
  })

  it('finds NFC and NFD equal and reports the form', () => {
    expect(compareNames(NFC, NFD)).toEqual({
      equal: true,
      equalIgnoringDiacritics: true,
      differences: [{ kind: 'unicode_form' }],
    })
  })

  it('reports case and spacing but calls the names equal', () => {
    const r = compareNames('NGUYỄN  Văn An', 'Nguyễn Văn An')
    expect(r.equal).toBe(true)
    expect(r.differences.map((d) => d.kind)).toEqual(['spacing', 'case'])
  })

  it('reports diacritics word by word', () => {
    const r = compareNames('Nguyen Thi Hong Dao', NFC)
    expect(r).toMatchObject({ equal: false, equalIgnoringDiacritics: true })
    expect(r.differences).toEqual([
      { kind: 'diacritics', word: 0, a: 'Nguyen', b: 'Nguyễn' },
      { kind: 'diacritics', word: 1, a: 'Thi', b: 'Thị' },
      { kind: 'diacritics', word: 2, a: 'Hong', b: 'Hồng' },
      { kind: 'diacritics', word: 3, a: 'Dao', b: 'Đào' },
    ])
    expect(compareNames('NGUYEN VAN AN', 'Nguyễn Văn An').differences.map((d) => d.kind)).toContain(
      'case',
    )
  })

  it('distinguishes a tone-mark difference from a spelling difference', () => {
    expect(compareNames('Lê Văn Tám', 'Lê Văn Tâm')).toMatchObject({
      equal: false,
      equalIgnoringDiacritics: true,
      differences: [{ kind: 'diacritics', word: 2 }],
    })
    expect(compareNames('Lê Văn Tám', 'Lê Văn Tấn')).toMatchObject({
      equal: false,
      equalIgnoringDiacritics: false,
      differences: [{ kind: 'spelling', word: 2, a: 'Tám', b: 'Tấn' }],
    })
    expect(compareNames('Lê Tám', 'Lê Văn Tám')).toMatchObject({
      equalIgnoringDiacritics: false,
      differences: [{ kind: 'word_count' }],
    })
  })

  it('NFC and NFD forms of any string compare equal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const r = compareNames(s.normalize('NFC'), s.normalize('NFD'))
        return r.equal && r.equalIgnoringDiacritics
      }),
    )
  })

  it('equal implies equal ignoring diacritics (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const r = compareNames(a, b)
        return !r.equal || r.equalIgnoringDiacritics
      }),
    )
  })
})

describe('transliterateName', () => {
  it('follows ICAO 9303 as the DCC uses it', () => {
    const { family, given } = splitVietnameseName(NFC)
    expect(transliterateName(family)).toBe('NGUYEN')
    expect(transliterateName(given)).toBe('THI<HONG<DAO')
    expect(transliterateName(NFD)).toBe('NGUYEN<THI<HONG<DAO')
    expect(transliterateName('Bảo Duy')).toBe('BAO<DUY')
    expect(transliterateName('  Jean-Pierre   O’Neil ')).toBe('JEAN<PIERRE<ONEIL')
    expect(transliterateName('Søren Ægir Weiß')).toBe('SOEREN<AEGIR<WEISS')
    expect(transliterateName('')).toBe('')
    expect(transliterateName('李')).toBe('')
    expect(transliterateName('Ǽ Ǿ'.normalize('NFC'))).toBe('AE<OE')
    expect(transliterateName('Ǽ Ǿ'.normalize('NFD'))).toBe('AE<OE')
  })

  it('cuts at 80 characters without a trailing filler', () => {
    const long = 'Nguyễn '.repeat(20)
    const out = transliterateName(long)
    expect(out.length).toBeLessThanOrEqual(80)
    expect(out.endsWith('<')).toBe(false)
    expect(out.startsWith('NGUYEN<NGUYEN')).toBe(true)
  })

  it('always gives ^[A-Z<]{0,80}$ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) =>
        /^[A-Z<]{0,80}$/.test(transliterateName(s)),
      ),
    )
  })

  it('is the same for NFC and NFD input (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (s) => transliterateName(s.normalize('NFC')) === transliterateName(s.normalize('NFD')),
      ),
    )
  })
})

describe('splitVietnameseName', () => {
  it('takes the first word as the family name', () => {
    expect(splitVietnameseName(NFD)).toEqual({ family: 'Nguyễn', given: 'Thị Hồng Đào' })
    expect(splitVietnameseName('  Lê   Văn  Tám ')).toEqual({ family: 'Lê', given: 'Văn Tám' })
    expect(splitVietnameseName('Trần')).toEqual({ family: 'Trần', given: '' })
    expect(splitVietnameseName('')).toEqual({ family: '', given: '' })
  })

  it('knows compound family names but not a bare compound', () => {
    expect(splitVietnameseName('Tôn Thất Thuyết')).toEqual({ family: 'Tôn Thất', given: 'Thuyết' })
    expect(splitVietnameseName('Âu Dương Phong')).toEqual({ family: 'Âu Dương', given: 'Phong' })
    expect(splitVietnameseName('Tôn Thất')).toEqual({ family: 'Tôn', given: 'Thất' })
    expect(splitVietnameseName('Nguyễn Phúc An')).toEqual({ family: 'Nguyễn', given: 'Phúc An' })
  })
})
