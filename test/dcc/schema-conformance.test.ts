// Our issue-mode validator against the official DCC 1.3.3 JSON schema (ajv 2020 + ajv-formats):
// the official examples and systematic and random mutations of them must get the same verdict
// from the schema part of our rules. Policy rules beyond the schema (value sets, mp/ma/vp
// consistency, extra properties, whitespace, calendar dob) are left out of the comparison and
// tested on their own in src/core/dcc/validate-dcc.test.ts.
import { readFileSync, readdirSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { collectDccFindings, validateDcc } from '../../src/core/dcc/validate-dcc.js'

const ref = new URL('../../../shared/reference/eu-dcc-schema/', import.meta.url)
const schema = JSON.parse(readFileSync(new URL('DCC.combined-schema.json', ref), 'utf8')) as object
// ajv-formats is CommonJS with a default export; NodeNext sees the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020
const ajv = new Ajv2020({ strict: false, allErrors: false })
addFormats(ajv)
const ajvValidate = ajv.compile(schema)

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const examples: { name: string; payload: Json }[] = []
for (const group of ['vaccination', 'test', 'recovery']) {
  const dir = new URL(`examples/${group}/`, ref)
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    examples.push({
      name: `${group}/${file}`,
      payload: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Json,
    })
  }
}

function schemaVerdict(payload: unknown): boolean {
  return collectDccFindings(payload, 'issue').every((f) => f.policy)
}

function ajvVerdict(payload: unknown): boolean {
  return ajvValidate(payload) === true
}

function clone<T>(x: T): T {
  return structuredClone(x)
}

type Path = (string | number)[]

/** Every path to a value inside the payload (objects and arrays included). */
function pathsOf(x: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix]
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])))
  else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) out.push(...pathsOf(v, [...prefix, k]))
  }
  return out
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value
  const copy = clone(root)
  let cur: Json = copy
  for (const key of path.slice(0, -1)) cur = (cur as Record<string | number, Json>)[key] as Json
  const last = path[path.length - 1]!
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1)
    else delete (cur as Record<string, Json>)[last as string]
  } else {
    ;(cur as Record<string | number, Json>)[last] = value
  }
  return copy
}

const LEAF_VALUES: Json[] = [
  null,
  0,
  -1,
  1,
  2,
  9,
  10,
  1.5,
  true,
  [],
  {},
  '',
  ' ',
  'x',
  'nl',
  'NL',
  'NLD',
  ' NL',
  'xNLx',
  '123',
  'A'.repeat(50),
  'A'.repeat(51),
  'A'.repeat(80),
  'A'.repeat(81),
  'É'.repeat(80),
  '😀'.repeat(80),
  '😀'.repeat(81),
  'SMITH<JONES',
  'smith',
  'SMITH JONES',
  '1964',
  '1964-01',
  '1964-01-01',
  '1899-01-01',
  '2100-01-01',
  '1964-1-1',
  '1964-13-45',
  '2021-02-29',
  '2020-02-29',
  '2021-06-11T17:30:00Z',
  '2021-06-11T17:30:00',
  '2021-06-11t17:30:00+02:00',
  '2021-06-11 17:30:00+0200',
  '2021-06-11T23:59:60Z',
  '2021-06-11T22:59:60-01:00',
  '2021-06-11T17:30:60Z',
  '2021-06-11T24:00:00Z',
  '2021-06-11T17:30:00.123Z',
  '2021-06-11T17:30:00+24:00',
  '840539006',
  'EU/1/20/1528',
  '1.3.3',
  '1.3',
  '1x3y3',
]

function isOtherVersion(payload: Json): boolean {
  // A mutation to another schema version switches our rules; ajv only knows 1.3.3.
  const ver = (payload as Record<string, Json> | null)?.['ver']
  return typeof ver === 'string' && /^(1\.[0-2]\.\d+|1\.3\.[01])$/u.test(ver)
}

function mutationsOf(payload: Json): { label: string; payload: Json }[] {
  const out: { label: string; payload: Json }[] = []
  for (const path of pathsOf(payload)) {
    const p = path.join('.')
    if (path.length > 0)
      out.push({ label: `delete ${p}`, payload: setAt(payload, path, undefined) })
    for (const v of LEAF_VALUES) {
      out.push({
        label: `${p} = ${JSON.stringify(v).slice(0, 30)}`,
        payload: setAt(payload, path, v),
      })
    }
    // Extra properties, at each object.
    const here = path.reduce<Json>(
      (acc, k) => (acc as Record<string | number, Json>)[k] as Json,
      payload,
    )
    if (here !== null && typeof here === 'object' && !Array.isArray(here)) {
      out.push({ label: `${p}.extra`, payload: setAt(payload, [...path, 'extra'], 'x') })
    }
    if (Array.isArray(here)) {
      out.push({ label: `${p} twice`, payload: setAt(payload, path, [...here, ...clone(here)]) })
      out.push({ label: `${p} unwrapped`, payload: setAt(payload, path, here[0] ?? null) })
    }
  }
  const obj = payload as Record<string, Json>
  const group = ['v', 't', 'r'].find((k) => obj[k] !== undefined)!
  for (const other of ['v', 't', 'r'].filter((k) => k !== group)) {
    out.push({ label: `add ${other}`, payload: { ...clone(obj), [other]: clone(obj[group]!) } })
    out.push({ label: `add ${other} null`, payload: { ...clone(obj), [other]: null } })
    out.push({
      label: `move to ${other}`,
      payload: (() => {
        const c = clone(obj)
        c[other] = c[group]!
        delete c[group]
        return c
      })(),
    })
  }
  out.push({ label: 'root array', payload: [clone(obj)] })
  out.push({ label: 'root string', payload: 'x' })
  out.push({ label: 'nam empty', payload: { ...clone(obj), nam: {} } })
  out.push({ label: 'nam fn only', payload: { ...clone(obj), nam: { fn: 'Smith' } } })
  out.push({ label: 'nam gnt only', payload: { ...clone(obj), nam: { gnt: 'SMITH' } } })
  return out.filter((m) => !isOtherVersion(m.payload))
}

// Official examples that our issue mode refuses on purpose (policy beyond the schema).
const POLICY_REFUSALS: Record<string, string[]> = {
  // The example encodes Janssen with the mRNA vp code; the encoding instructions allow only
  // 28531000087107 / 29061000087103 for EU/1/20/1525.
  'vaccination/standard_case_1-of-1-janssen.json': ['v[0]'],
  // Device 532 is not in the test-manf snapshot we carry (test-manf-example.json).
  'test/simple-rat.json': ['t[0].ma'],
}

describe('official examples', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20)
  })
  for (const ex of examples) {
    it(`${ex.name} passes ajv and the schema part of our rules`, () => {
      expect(ajvVerdict(ex.payload)).toBe(true)
      expect(schemaVerdict(ex.payload)).toBe(true)
      const r = validateDcc(ex.payload, { mode: 'issue' })
      const refused = POLICY_REFUSALS[ex.name] ?? []
      expect(r.errors.map((e) => e.path)).toEqual(refused)
      expect(r.errors.every((e) => e.code === 'ERR_DCC_VALUE_SET')).toBe(true)
      expect(r.ok).toBe(refused.length === 0)
      expect(r.type).toBe(ex.name.split('/')[0]!.charAt(0))
      expect(validateDcc(ex.payload, { mode: 'read' }).ok).toBe(true)
    })
  }
})

describe('systematic mutations: same verdict as the schema', () => {
  for (const ex of examples) {
    it(ex.name, () => {
      const mutations = mutationsOf(ex.payload)
      expect(mutations.length).toBeGreaterThan(500)
      const mismatches: string[] = []
      let invalid = 0
      for (const m of mutations) {
        const expected = ajvVerdict(m.payload)
        if (!expected) invalid++
        if (schemaVerdict(m.payload) !== expected) mismatches.push(`${m.label}: ajv ${expected}`)
        // A schema failure is always an issue-mode failure too.
        if (!expected) expect(validateDcc(m.payload, { mode: 'issue' }).ok).toBe(false)
      }
      expect(mismatches).toEqual([])
      // The mutations must exercise both verdicts, or this test could not fail.
      expect(invalid).toBeGreaterThan(mutations.length / 4)
    })
  }
})

describe('random mutations (fast-check): same verdict as the schema', () => {
  const anyValue: fc.Arbitrary<Json> = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    fc.constantFrom(...LEAF_VALUES),
    fc.string({ maxLength: 90 }),
    fc.string({
      unit: fc.constantFrom('A', 'Z', '<', 'a', ' ', '1', '-', 'T', ':', 'Z'),
      maxLength: 90,
    }),
    fc.integer({ min: -3, max: 12 }),
    fc
      .tuple(
        fc.integer({ min: 1890, max: 2110 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  )
  const mutation = fc.record({
    example: fc.integer({ min: 0, max: examples.length - 1 }),
    edits: fc.array(
      fc.record({
        pick: fc.nat(),
        del: fc.boolean(),
        value: anyValue,
        key: fc.option(
          fc.constantFrom(
            'x',
            'v',
            't',
            'r',
            'nam',
            'dob',
            'ver',
            'fnt',
            'gnt',
            'dn',
            'sc',
            'tc',
            'dr',
          ),
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })

  it('agrees with ajv on random edits', () => {
    let invalid = 0
    let runs = 0
    fc.assert(
      fc.property(mutation, ({ example, edits }) => {
        let payload = clone(examples[example]!.payload)
        for (const e of edits) {
          const paths = pathsOf(payload)
          const path = paths[e.pick % paths.length]!
          if (e.key !== null && path.length > 0) {
            // Add or replace a named property next to the picked one.
            payload = setAt(payload, [...path.slice(0, -1), e.key], e.value)
          } else if (e.del && path.length > 0) payload = setAt(payload, path, undefined)
          else payload = setAt(payload, path, e.value)
          if (payload === null || typeof payload !== 'object') break
        }
        fc.pre(!isOtherVersion(payload))
        runs++
        const expected = ajvVerdict(payload)
        if (!expected) invalid++
        expect(schemaVerdict(payload)).toBe(expected)
      }),
      { numRuns: 3000, seed: 20260601 },
    )
    expect(invalid).toBeGreaterThan(runs / 4)
  })
})
