import { describe, expect, it } from 'vitest'
import { cccdAgreesWith } from './cccd-agrees-with.js'
import { centurySexDigit, validateCccd } from './validate-cccd.js'

describe('validateCccd', () => {
  it('reads province, sex and birth year from the digits', () => {
    expect(validateCccd('001085012345')).toEqual({
      valid: true,
      kind: 'cccd',
      id: '001085012345',
      provinceCode: '001',
      sex: 'M',
      birthYear: 1985,
    })
    expect(validateCccd('079199000001')).toMatchObject({ sex: 'F', birthYear: 1999 })
    expect(validateCccd('079204000001')).toMatchObject({ sex: 'M', birthYear: 2004 })
    expect(validateCccd('079321000001')).toMatchObject({ sex: 'F', birthYear: 2021 })
    expect(validateCccd('096400000001')).toMatchObject({ sex: 'M', birthYear: 2100 })
    expect(validateCccd('096599000001')).toMatchObject({ sex: 'F', birthYear: 2199 })
  })

  it('accepts a 9-digit CMND as a legacy ID and ignores surrounding spaces', () => {
    expect(validateCccd(' 123456789 ')).toEqual({ valid: true, kind: 'cmnd', id: '123456789' })
  })

  it.each([
    ['', 'id_empty'],
    ['   ', 'id_empty'],
    ['00108501234a', 'id_not_digits'],
    ['001 085 012345', 'id_not_digits'],
    ['０01085012345', 'id_not_digits'],
    ['-01085012345', 'id_not_digits'],
    ['00108501234', 'id_length'],
    ['0010850123456', 'id_length'],
    ['12345678', 'id_length'],
    ['003085012345', 'id_unknown_province'],
    ['000085012345', 'id_unknown_province'],
    ['097085012345', 'id_unknown_province'],
    ['001685012345', 'id_century_sex_digit'],
    ['001985012345', 'id_century_sex_digit'],
  ])('refuses %j as %s', (id, problem) => {
    expect(validateCccd(id)).toEqual({ valid: false, reason: 'id_malformed', problem })
  })

  it('refuses a birth year after now when given the clock', () => {
    const now = new Date('2022-03-01T00:00:00Z')
    expect(validateCccd('001222012345', { now })).toMatchObject({ valid: true, birthYear: 2022 })
    expect(validateCccd('001223012345', { now })).toMatchObject({ problem: 'id_birth_year_future' })
    expect(validateCccd('001223012345')).toMatchObject({ valid: true })
  })

  it('encodes the century/sex digit', () => {
    expect(centurySexDigit(1900, 'M')).toBe(0)
    expect(centurySexDigit(1985, 'F')).toBe(1)
    expect(centurySexDigit(2004, 'M')).toBe(2)
    expect(centurySexDigit(2099, 'F')).toBe(3)
    expect(centurySexDigit(2100, 'F')).toBe(5)
    expect(() => centurySexDigit(1899, 'M')).toThrow(RangeError)
  })
})

describe('cccdAgreesWith', () => {
  it('agrees when birth year and sex match, with full or partial dates', () => {
    expect(cccdAgreesWith('001185012345', { dob: '1985-03-02', sex: 'F' })).toEqual({
      agrees: true,
      checked: true,
      disagreements: [],
    })
    expect(cccdAgreesWith('001185012345', { dob: '1985', sex: 'F' })).toMatchObject({
      agrees: true,
    })
  })

  it('reports each disagreement', () => {
    expect(cccdAgreesWith('001185012345', { dob: '1986-03-02', sex: 'M' })).toEqual({
      agrees: false,
      checked: true,
      disagreements: [
        { field: 'birth_year', recorded: '1985', registered: '1986' },
        { field: 'sex', recorded: 'F', registered: 'M' },
      ],
    })
    // Same two-digit year, wrong century.
    expect(cccdAgreesWith('001005012345', { dob: '2005-01-01', sex: 'M' })).toMatchObject({
      agrees: false,
      disagreements: [{ field: 'birth_year', recorded: '1905', registered: '2005' }],
    })
  })

  it('cannot check a CMND and reports a malformed ID', () => {
    expect(cccdAgreesWith('123456789', { dob: '1950-01-01', sex: 'M' })).toEqual({
      agrees: true,
      checked: false,
      disagreements: [],
    })
    expect(cccdAgreesWith('12345', { dob: '1950-01-01', sex: 'M' })).toEqual({
      agrees: false,
      reason: 'id_malformed',
      problem: 'id_length',
    })
  })
})
