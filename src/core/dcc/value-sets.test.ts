import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  COUNTRY_2_CODES,
  DISEASE_AGENT_TARGETED,
  INACTIVE_CODES,
  TEST_MANF,
  TEST_RESULT,
  TEST_TYPE,
  VACCINE_MAH_MANF,
  VACCINE_MEDICINAL_PRODUCT,
  VACCINE_PROPHYLAXIS,
  valueSetMap,
  type ValueSet,
} from './value-sets.js'

const dir = new URL('../../../../shared/reference/eu-dcc-valuesets/', import.meta.url)

interface Official {
  valueSetValues: Record<string, { display: string; active: boolean }>
}

function official(file: string): Official {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Official
}

// Codes we carry beyond the official files, with the reason. None today: every Vietnamese
// vaccine (Sputnik-V, Covaxin, BBIBP-CorV, Abdala, Hayat-Vax and their makers) is official.
const ADDED: Record<string, readonly string[]> = {}

const TABLES: [string, ValueSet, string][] = [
  ['disease-agent-targeted.json', DISEASE_AGENT_TARGETED, 'disease-agent-targeted'],
  ['vaccine-prophylaxis.json', VACCINE_PROPHYLAXIS, 'vaccine-prophylaxis'],
  ['vaccine-medicinal-product.json', VACCINE_MEDICINAL_PRODUCT, 'vaccine-medicinal-product'],
  ['vaccine-mah-manf.json', VACCINE_MAH_MANF, 'vaccine-mah-manf'],
  ['test-type.json', TEST_TYPE, 'test-type'],
  ['test-result.json', TEST_RESULT, 'test-result'],
  ['test-manf-example.json', TEST_MANF, 'test-manf'],
  ['country-2-codes.json', COUNTRY_2_CODES, 'country-2-codes'],
]

describe('value sets', () => {
  for (const [file, table, name] of TABLES) {
    it(`${name}: every official code is present with the same display`, () => {
      const values = official(file).valueSetValues
      expect(Object.keys(values).length).toBeGreaterThan(0)
      for (const [code, v] of Object.entries(values)) {
        expect(table[code], code).toBe(v.display)
      }
    })
    it(`${name}: codes beyond the official file are documented`, () => {
      const values = official(file).valueSetValues
      const extra = Object.keys(table).filter((c) => !Object.hasOwn(values, c))
      expect(extra).toEqual(ADDED[name] ?? [])
    })
    it(`${name}: inactive codes are marked`, () => {
      for (const [code, v] of Object.entries(official(file).valueSetValues)) {
        expect(INACTIVE_CODES.has(code), code).toBe(!v.active)
      }
    })
  }

  it('holds the codes of the vaccines used in Vietnam', () => {
    for (const mp of ['Sputnik-V', 'Covaxin', 'BBIBP-CorV', 'Abdala', 'Hayat-Vax']) {
      expect(VACCINE_MEDICINAL_PRODUCT[mp]).toBeDefined()
    }
    for (const ma of ['CIGB', 'Bharat-Biotech', 'Gamaleya-Research-Institute', 'ORG-100023050']) {
      expect(VACCINE_MAH_MANF[ma]).toBeDefined()
    }
    expect(COUNTRY_2_CODES['VN']).toBe('Viet Nam')
  })
})

describe('valueSetMap', () => {
  it('answers every lookup as the object does, index-like codes included', () => {
    const sets = [
      DISEASE_AGENT_TARGETED,
      VACCINE_PROPHYLAXIS,
      VACCINE_MEDICINAL_PRODUCT,
      VACCINE_MAH_MANF,
      TEST_TYPE,
      TEST_RESULT,
      TEST_MANF,
      COUNTRY_2_CODES,
    ]
    for (const set of sets) {
      const map = valueSetMap(set)
      expect(map).toBe(valueSetMap(set))
      const probes = [
        ...Object.keys(set),
        '',
        '0',
        '__proto__',
        'constructor',
        'toString',
        '840539006 ',
        '01119349007',
      ]
      for (const code of probes) {
        expect(map.get(code)).toBe(Object.hasOwn(set, code) ? set[code] : undefined)
        expect(map.has(code)).toBe(Object.hasOwn(set, code))
      }
    }
  })
})
