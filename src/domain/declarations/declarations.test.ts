import { describe, expect, it } from 'vitest'
import { isVaxpassError } from '../../core/errors.js'
import { linkIdentity } from '../identity/link-identity.js'
import type { RegisterEntry } from '../identity/types.js'
import { authoriseReview } from './authorise-review.js'
import { compareDeclaration } from './compare-declaration.js'
import type { DeclarationInput, RecordedDose } from './declaration-types.js'
import { planApproval } from './plan-approval.js'
import { validateDeclaration } from './validate-declaration.js'

const now = new Date('2022-03-15T08:00:00Z')
const products = new Set(['EU/1/20/1528', 'EU/1/21/1529', 'Abdala'])
const REG: RegisterEntry = {
  cccd: '001085012345',
  fullName: 'Nguyễn Văn An',
  dob: '1985-03-02',
  sex: 'M',
}
const input: DeclarationInput = {
  cccd: REG.cccd,
  fullName: 'Nguyễn Văn An',
  dob: '1985-03-02',
  sex: 'M',
  phone: '0912345678',
  email: 'an@example.com',
  doses: [
    {
      product: 'EU/1/21/1529',
      lot: 'AZ0001',
      date: '2021-07-01',
      doseNumber: 1,
      siteCode: '001-BVBM',
    },
    {
      product: 'EU/1/21/1529',
      lot: 'AZ0002',
      date: '2021-09-01',
      doseNumber: 2,
      siteCode: '001-BVBM',
    },
    {
      product: 'EU/1/20/1528',
      lot: 'FK0003',
      date: '2022-01-10',
      doseNumber: 3,
      siteCode: '001-BVBM',
    },
  ],
}
const record = (r: Partial<RecordedDose>): RecordedDose => ({
  id: 1,
  cccd: REG.cccd,
  fullName: REG.fullName,
  dob: REG.dob,
  sex: 'M',
  product: 'EU/1/21/1529',
  lot: 'AZ0001',
  date: '2021-07-01',
  doseNumber: 1,
  siteCode: '001-BVBM',
  linkStatus: 'linked',
  ...r,
})

describe('validateDeclaration', () => {
  it('accepts a good declaration', () => {
    expect(validateDeclaration(input, { now, products })).toEqual([])
    expect(
      validateDeclaration({ ...input, cccd: null, phone: null, email: null }, { now, products }),
    ).toEqual([])
  })

  it('lists every problem', () => {
    const problems = validateDeclaration(
      {
        ...input,
        cccd: '12345',
        fullName: ' ',
        dob: '1985-02-30',
        sex: 'X' as 'M',
        email: 'nope',
        doses: [
          { product: 'Nope', lot: 'x'.repeat(41), date: '2021-01-01', doseNumber: 1, siteCode: '' },
          { product: 'Abdala', lot: '', date: '2022-04-01', doseNumber: 2, siteCode: '001-BVBM' },
          { product: 'Abdala', lot: '', date: '2021-05-01', doseNumber: 2, siteCode: '001-BVBM' },
        ],
        evidence: { mediaType: 'image/gif' as 'image/png', bytes: new Uint8Array(6 * 1024 * 1024) },
      },
      { now, products },
    )
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'fullName', code: 'required' },
        { field: 'dob', code: 'invalid' },
        { field: 'sex', code: 'invalid' },
        { field: 'cccd', code: 'invalid' },
        { field: 'email', code: 'invalid' },
        { field: 'doses[0].product', code: 'unknown_product' },
        { field: 'doses[0].date', code: 'before_programme' },
        { field: 'doses[0].lot', code: 'too_long' },
        { field: 'doses[0].siteCode', code: 'required' },
        { field: 'doses[1].date', code: 'future' },
        { field: 'doses[2].doseNumber', code: 'invalid' },
        { field: 'evidence.mediaType', code: 'invalid' },
        { field: 'evidence', code: 'too_large' },
      ]),
    )
    expect(validateDeclaration({ ...input, doses: [] }, { now, products })).toEqual([
      { field: 'doses', code: 'required' },
    ])
    const swapped = [
      input.doses[1]!,
      { ...input.doses[0]!, doseNumber: 2, date: '2021-09-01' },
      { ...input.doses[1]!, doseNumber: 1 },
    ]
    expect(
      validateDeclaration({ ...input, doses: swapped.slice(1) }, { now, products }),
    ).toContainEqual({
      field: 'doses[0].date',
      code: 'out_of_order',
    })
  })
})

describe('authoriseReview', () => {
  const pending = { filedBy: 'u1', status: 'pending' as const }
  const codeOf = (f: () => void): string | undefined => {
    try {
      f()
      return undefined
    } catch (err) {
      return isVaxpassError(err) ? err.code : 'other'
    }
  }
  it('lets reviewers and admins decide on others’ pending declarations only', () => {
    expect(
      codeOf(() => authoriseReview({ userId: 'u2', roles: ['reviewer'] }, pending)),
    ).toBeUndefined()
    expect(
      codeOf(() => authoriseReview({ userId: 'u2', roles: ['admin'] }, pending)),
    ).toBeUndefined()
    expect(codeOf(() => authoriseReview({ userId: 'u2', roles: ['site_staff'] }, pending))).toBe(
      'ERR_REVIEW_FORBIDDEN',
    )
    expect(
      codeOf(() => authoriseReview({ userId: 'u1', roles: ['reviewer', 'admin'] }, pending)),
    ).toBe('ERR_REVIEW_OWN_DECLARATION')
    expect(
      codeOf(() =>
        authoriseReview({ userId: 'u2', roles: ['reviewer'] }, { ...pending, status: 'approved' }),
      ),
    ).toBe('ERR_DECLARATION_STATE')
  })
})

describe('compareDeclaration and planApproval', () => {
  const records = [
    record({ id: 10, fullName: 'NGUYEN VAN AN', linkStatus: 'linked' }),
    record({
      id: 11,
      doseNumber: 2,
      date: '2021-09-03',
      lot: 'AZ0009',
      cccd: null,
      linkStatus: 'not_found',
    }),
    record({ id: 12, doseNumber: 4, date: '2022-06-01', product: 'EU/1/20/1528', lot: 'FK9' }),
  ]
  const identity = linkIdentity(input, [REG])
  const view = compareDeclaration(input, { identity, register: REG, records })

  it('shows every difference per dose and per record', () => {
    expect(view.approvable).toBe(true)
    expect(view.doses.map((d) => [d.doseNumber, d.status])).toEqual([
      [1, 'matches'],
      [2, 'differs'],
      [3, 'not_recorded'],
      [4, 'not_declared'],
    ])
    expect(view.doses[1]!.differences).toEqual([
      { field: 'lot', declared: 'AZ0002', recorded: 'AZ0009' },
      { field: 'date', declared: '2021-09-01', recorded: '2021-09-03' },
    ])
    expect(view.recordIdentity).toEqual([
      {
        recordId: 10,
        differences: [{ field: 'full_name', recorded: 'NGUYEN VAN AN', registered: REG.fullName }],
      },
      { recordId: 11, differences: [{ field: 'cccd', recorded: '', registered: REG.cccd }] },
    ])
  })

  it('plans exactly the corrections approval makes', () => {
    expect(planApproval(view)).toEqual([
      {
        kind: 'update_dose',
        recordId: 10,
        before: { full_name: 'NGUYEN VAN AN' },
        after: { full_name: REG.fullName, linked_cccd: REG.cccd },
      },
      {
        kind: 'update_dose',
        recordId: 11,
        before: { cccd: '', lot: 'AZ0009', date: '2021-09-03', link_status: 'not_found' },
        after: {
          cccd: REG.cccd,
          lot: 'AZ0002',
          date: '2021-09-01',
          link_status: 'linked',
          linked_cccd: REG.cccd,
        },
      },
      { kind: 'insert_dose', cccd: REG.cccd, dose: input.doses[2] },
    ])
  })

  it('refuses to plan when the declared identity does not link', () => {
    const other = linkIdentity({ ...input, fullName: 'Trần Văn Bình' }, [REG])
    const v = compareDeclaration(input, { identity: other, register: REG, records })
    expect(v.approvable).toBe(false)
    expect(() => planApproval(v)).toThrow(
      expect.objectContaining({ code: 'ERR_DECLARATION_NOT_LINKED' }),
    )
  })
})
