import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readDoseRow, validateDoseRow } from './validate-dose-row.js'

const CTX = {
  products: new Set(['EU/1/20/1528', 'BBIBP-CorV']),
  sites: new Set(['001-BVBM', '079-CDC']),
  firstDate: '2021-03-08',
  today: '2022-03-01',
}

/** Each cell: a usual value, or one of the ways that cell goes wrong in real exports. */
const cell = (usual: string[], odd: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...usual) },
    { weight: 2, arbitrary: fc.constantFrom(...odd) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  )

const NAMES = ['Nguyễn Văn An', 'Trần Thị Hoa', 'LÊ MINH TUẤN', 'Đặng Ngọc Yến']
const rowArb = fc.tuple(
  cell(['001085012345', '', '012345678'], [' 001085012345 ', '1'.repeat(21), '00108501234x']),
  fc.oneof(
    fc.constantFrom(...NAMES),
    fc.constantFrom(...NAMES).map((n) => n.normalize('NFD')),
    fc.constantFrom(...NAMES).map((n) => `  ${n.replace(' ', ' \t ')} `),
    fc.constantFrom('', '   ', 'A'.repeat(201), 'An\u0001', 'An\u007f', 'An\nB', 'An\u00a0Bình'),
  ),
  cell(['1985-03-02', '1985-03', '1985'], ['1985-02-30', '2023-01-01', '85-03-02', '1985-13']),
  cell(['M', 'F'], ['m', 'X', '']),
  cell(['EU/1/20/1528', 'BBIBP-CorV'], ['EU/1/20/9999', '']),
  cell(['FK1234', ' L12 '], ['', '   ', 'L'.repeat(65), 'L\t1']),
  cell(['2021-08-01', '2021-10-15'], ['2021-02-30', '2021-03-07', '2022-03-02', '1980-01-01']),
  cell(['1', '2', '9'], ['0', '10', 'x', '']),
  cell(['001-BVBM', '079-CDC'], ['999-X', '']),
)

describe('readDoseRow', () => {
  it('gives exactly what validateDoseRow gives, the row with its source row', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 9, arbitrary: rowArb.map((r) => [...r]) },
          fc.array(fc.string(), { maxLength: 11 }),
        ),
        fc.nat(),
        (fields, sourceRow) => {
          const want = validateDoseRow(fields, CTX)
          const got = readDoseRow(fields, CTX, sourceRow)
          if (want.ok) expect(got).toStrictEqual({ ...want.row, sourceRow, link: undefined })
          else expect(got).toBe(want.reason)
        },
      ),
      { numRuns: 5000 },
    )
  })
})
