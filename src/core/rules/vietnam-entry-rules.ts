import type { CertLogicExpression } from 'certlogic-js'
import type { EntryRule, EntryRuleSet } from './entry-rule.js'

/** Value set: vaccine products Vietnam recognises for entry (EU DCC `mp` codes). */
export const VN_RECOGNISED_PRODUCTS: readonly string[] = [
  'EU/1/20/1528', // Comirnaty
  'EU/1/20/1507', // Spikevax
  'EU/1/21/1529', // Vaxzevria
  'EU/1/20/1525', // Jcovden
  'EU/1/21/1618', // Nuvaxovid
  'Covishield',
  'Covovax',
  'BBIBP-CorV',
  'CoronaVac',
  'Covaxin',
  'Sputnik-V',
  'Sputnik-Light',
  'Hayat-Vax',
  'Abdala',
  'Convidecia',
]

/** Value set: products whose primary series is a single dose. */
export const SINGLE_DOSE_PRODUCTS: readonly string[] = [
  'EU/1/20/1525',
  'Sputnik-Light',
  'Convidecia',
]

const COMMON = {
  Type: 'Acceptance',
  Country: 'VN',
  SchemaVersion: '1.0.0',
  Engine: 'CERTLOGIC',
  EngineVersion: '0.7.5',
  ValidFrom: '2022-03-15T00:00:00Z',
  ValidTo: '2030-01-01T00:00:00Z',
} as const

const clock: CertLogicExpression = { plusTime: [{ var: 'external.validationClock' }, 0, 'day'] }

/**
 * Vietnam's default entry rules (from 15 March 2022): a vaccination event is present, the
 * product is recognised, the primary series is complete (dose number at least the series
 * length when the pass states it, else 1 for single-dose products and 2 for others), the last
 * dose was at least 14 days before arrival, and the pass is not expired at arrival.
 *
 * @example
 * applyEntryRules(report, vietnamEntryRules(), { now, arrivalCountry: 'VN' })
 */
export function vietnamEntryRules(): EntryRuleSet {
  const rules: EntryRule[] = [
    {
      ...COMMON,
      Identifier: 'VR-VN-0000',
      Version: '1.0.0',
      CertificateType: 'General',
      Description: [
        { lang: 'en', desc: 'The pass must record at least one vaccination.' },
        { lang: 'vi', desc: 'Chứng nhận phải ghi nhận ít nhất một mũi tiêm.' },
      ],
      AffectedFields: ['events'],
      Logic: { '!': [{ '!': [{ var: 'payload.vaccination' }] }] },
    },
    {
      ...COMMON,
      Identifier: 'VR-VN-0001',
      Version: '1.0.0',
      CertificateType: 'Vaccination',
      Description: [
        { lang: 'en', desc: 'The vaccine product must be on the list recognised by Vietnam.' },
        { lang: 'vi', desc: 'Vắc xin phải thuộc danh sách được Việt Nam công nhận.' },
      ],
      AffectedFields: ['events.product'],
      Logic: {
        in: [
          { var: 'payload.vaccination.productCode' },
          { var: 'external.valueSets.vn-recognised-products' },
        ],
      },
    },
    {
      ...COMMON,
      Identifier: 'VR-VN-0002',
      Version: '1.0.0',
      CertificateType: 'Vaccination',
      Description: [
        { lang: 'en', desc: 'The primary vaccination series must be complete.' },
        { lang: 'vi', desc: 'Phải tiêm đủ liều cơ bản.' },
      ],
      AffectedFields: ['events.doseNumber', 'events.seriesDoses'],
      Logic: {
        if: [
          { var: 'payload.vaccination.seriesDoses' },
          {
            '>=': [
              { var: 'payload.vaccination.doseNumber' },
              { var: 'payload.vaccination.seriesDoses' },
            ],
          },
          {
            if: [
              {
                in: [
                  { var: 'payload.vaccination.productCode' },
                  { var: 'external.valueSets.single-dose-products' },
                ],
              },
              { '>=': [{ var: 'payload.vaccination.doseNumber' }, 1] },
              { '>=': [{ var: 'payload.vaccination.doseNumber' }, 2] },
            ],
          },
        ],
      },
    },
    {
      ...COMMON,
      Identifier: 'VR-VN-0003',
      Version: '1.0.0',
      CertificateType: 'Vaccination',
      Description: [
        { lang: 'en', desc: 'The last dose must be at least 14 days before arrival.' },
        { lang: 'vi', desc: 'Mũi tiêm cuối phải cách ngày nhập cảnh ít nhất 14 ngày.' },
      ],
      AffectedFields: ['events.date'],
      Logic: {
        'not-after': [{ plusTime: [{ var: 'payload.vaccination.date' }, 14, 'day'] }, clock],
      },
    },
    {
      ...COMMON,
      Identifier: 'VR-VN-0004',
      Version: '1.0.0',
      CertificateType: 'General',
      Description: [
        { lang: 'en', desc: 'The pass must not be expired at arrival.' },
        { lang: 'vi', desc: 'Chứng nhận không được hết hạn khi nhập cảnh.' },
      ],
      AffectedFields: ['validity.expiresAt'],
      Logic: {
        if: [
          { var: 'payload.validity.expiresAt' },
          { before: [clock, { plusTime: [{ var: 'payload.validity.expiresAt' }, 0, 'day'] }] },
          true,
        ],
      },
    },
  ]
  return {
    rules,
    valueSets: {
      'vn-recognised-products': VN_RECOGNISED_PRODUCTS,
      'single-dose-products': SINGLE_DOSE_PRODUCTS,
    },
  }
}
