import { describe, expect, it } from 'vitest'
import { compareDob, parseDob } from './compare-dob.js'

describe('parseDob', () => {
  it('parses full and partial dates and checks the calendar', () => {
    expect(parseDob('1985-02-28')).toEqual({ year: 1985, month: 2, day: 28 })
    expect(parseDob('1985-02')).toEqual({ year: 1985, month: 2, day: undefined })
    expect(parseDob('1985')).toEqual({ year: 1985, month: undefined, day: undefined })
    expect(parseDob('2000-02-29')).toMatchObject({ day: 29 })
    for (const bad of [
      '1985-02-29',
      '1900-02-29',
      '1985-13',
      '1985-00-10',
      '1985-01-00',
      '85',
      '1985/01/02',
      '1985-1-2',
      '',
      '1799',
    ]) {
      expect(parseDob(bad), bad).toBeUndefined()
    }
  })
})

describe('compareDob', () => {
  it.each([
    ['1985-03-02', '1985-03-02', 'exact'],
    ['1985-03', '1985-03', 'exact'],
    ['1985', '1985', 'exact'],
    ['1985', '1985-03-02', 'partial'],
    ['1985-03', '1985-03-02', 'partial'],
    ['1985-03-02', '1985-03', 'partial'],
    ['1985-03-02', '1985', 'partial'],
    ['1985-03-20', '1985-03-02', 'differs'],
    ['1985-04', '1985-03-02', 'differs'],
    ['1986', '1985-03-02', 'differs'],
    ['1985-02-03', '1985-03-02', 'differs'],
  ])('%s against %s is %s', (a, b, match) => {
    expect(compareDob(a, b)).toEqual({ match })
  })

  it('says which side is not a date', () => {
    expect(compareDob('1985-02-30', '1985-02-28')).toEqual({
      match: 'invalid',
      invalid: 'recorded',
    })
    expect(compareDob('1985-02-28', 'x')).toEqual({ match: 'invalid', invalid: 'registered' })
    expect(compareDob('', 'x')).toEqual({ match: 'invalid', invalid: 'both' })
  })
})
