// The fast path of validateDcc (cleanDccType) may only say "clean" where the full checker finds
// nothing at all, in both modes; and the reworked dccToHolder/dccToEvents/readText must give
// exactly what the straightforward versions (kept below as the reference) gave.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dccToEvents } from '../../src/core/dcc/dcc-to-events.js'
import { dccToHolder } from '../../src/core/dcc/dcc-to-holder.js'
import { readNumber, readProp, readText, readEntries } from '../../src/core/dcc/read-field.js'
import {
  cleanDccType,
  collectDccFindings,
  isRfc3339Date,
  isRfc3339DateTime,
  validateDcc,
  validateDccSchema,
  type DccMode,
} from '../../src/core/dcc/validate-dcc.js'
import {
  DISEASE_AGENT_TARGETED,
  VACCINE_MAH_MANF,
  VACCINE_MEDICINAL_PRODUCT,
  VACCINE_PROPHYLAXIS,
  type ValueSet,
} from '../../src/core/dcc/value-sets.js'
import { VACCINE_ENCODING } from '../../src/core/dcc/vaccine-encoding.js'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
const MODES: DccMode[] = ['issue', 'read']

/** The property: a "clean" answer means no finding and the same verdict as the full checker. */
function assertAgrees(payload: unknown): { clean: number; findingsFree: number } {
  let clean = 0
  let findingsFree = 0
  for (const mode of MODES) {
    const fast = cleanDccType(payload, mode)
    const findings = collectDccFindings(payload, mode)
    if (findings.length === 0) findingsFree++
    if (fast !== null) {
      clean++
      expect(findings).toEqual([])
      const r = validateDcc(payload, { mode })
      expect(r).toEqual({
        ok: true,
        version: (payload as { ver: string }).ver,
        type: fast,
        errors: [],
        warnings: [],
      })
      // The type is the one group present.
      expect((payload as Record<string, unknown>)[fast]).toBeDefined()
      if (mode === 'issue') expect(validateDccSchema(payload)).toEqual([])
    }
  }
  return { clean, findingsFree }
}

// ---- payloads -------------------------------------------------------------------------------

const root = new URL('../../../shared/', import.meta.url)

function jsonFiles(dir: URL): URL[] {
  const out: URL[] = []
  for (const name of readdirSync(dir).sort()) {
    const u = new URL(name, dir)
    if (statSync(u).isDirectory()) out.push(...jsonFiles(new URL(`${name}/`, dir)))
    else if (name.endsWith('.json')) out.push(u)
  }
  return out
}

const outside: { name: string; payload: Json }[] = []
for (const group of ['vaccination', 'test', 'recovery']) {
  const dir = new URL(`reference/eu-dcc-schema/examples/${group}/`, root)
  for (const u of jsonFiles(dir)) {
    outside.push({ name: u.pathname, payload: JSON.parse(readFileSync(u, 'utf8')) as Json })
  }
}
for (const u of jsonFiles(new URL('testdata/dgc-testdata/', root))) {
  try {
    const c = JSON.parse(readFileSync(u, 'utf8')) as { JSON?: Json }
    if (c.JSON !== undefined) outside.push({ name: u.pathname, payload: c.JSON })
  } catch {
    // not a test case
  }
}

const keysOf = (set: ValueSet): string[] => Object.keys(set)
const VERSIONS = ['1.0.0', '1.0.5', '1.1.0', '1.2.1', '1.3.0', '1.3.1', '1.3.2', '1.3.10']

/** Payloads like the ones we issue and the ones we verify: mostly clean, some not. */
const payloadArb: fc.Arbitrary<Json> = fc
  .record({
    ver: fc.constantFrom(...VERSIONS),
    fn: fc.option(fc.constantFrom('Nguyễn', 'Trần', 'Ng\u0075\u0302\u0303n', 'Le', 'A'.repeat(80))),
    gn: fc.option(fc.constantFrom('Thị Hồng Đào', 'Bảo Duy', 'Văn', 'X')),
    fnt: fc.option(fc.constantFrom('NGUYEN', 'TRAN', 'LE<VAN', '', 'A'.repeat(51))),
    gnt: fc.option(fc.constantFrom('THI<HONG<DAO', 'BAO<DUY', 'VAN', '')),
    dob: fc.constantFrom(
      '1990-04-12',
      '1964',
      '2001-07',
      '',
      '2000-02-29',
      '1990-02-29',
      '1990-13',
    ),
    group: fc.constantFrom('v', 't', 'r'),
    mp: fc.constantFrom(...Object.keys(VACCINE_ENCODING), 'Covaxin', 'unknown'),
    maPick: fc.nat(),
    vpPick: fc.nat(),
    dn: fc.integer({ min: 1, max: 12 }),
    sd: fc.integer({ min: 1, max: 12 }),
    date: fc.constantFrom('2021-09-01', '2022-01-31', '2021-06-11T00:00:00Z'),
    co: fc.constantFrom('VN', 'DE', 'NL', 'XK'),
    is: fc.constantFrom('Ministry of Health of Viet Nam', 'Bộ Y tế', ''),
    ci: fc.constantFrom('URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF', 'URN:UVCI:01:DE:X'),
    tt: fc.constantFrom('LP6464-4', 'LP217198-3'),
    sc: fc.constantFrom('2021-05-30T10:12:22Z', '2021-05-30T10:12:22.5+02:00', '2021-05-30'),
    nm: fc.option(fc.constantFrom('Roche LightCycler qPCR', '')),
    tma: fc.option(fc.constantFrom('1232', '1343', '')),
    tc: fc.option(fc.constantFrom('Test Center', '')),
  })
  .map((x): Json => {
    const nam: Record<string, Json> = {}
    if (x.fn !== null) nam['fn'] = x.fn
    if (x.fnt !== null) nam['fnt'] = x.fnt
    if (x.gn !== null) nam['gn'] = x.gn
    if (x.gnt !== null) nam['gnt'] = x.gnt
    const rule = VACCINE_ENCODING[x.mp]
    const mas = keysOf(VACCINE_MAH_MANF)
    const ma =
      rule !== undefined && x.maPick % 4 !== 0 ? rule.ma : (mas[x.maPick % mas.length] ?? '')
    const vps = rule?.vp ?? keysOf(VACCINE_PROPHYLAXIS)
    const vp = vps[x.vpPick % vps.length] ?? ''
    const common = { tg: '840539006', co: x.co, is: x.is, ci: x.ci }
    let entry: Record<string, Json>
    if (x.group === 'v') {
      entry = { ...common, vp, mp: x.mp, ma, dn: x.dn, sd: x.sd, dt: x.date }
    } else if (x.group === 't') {
      entry = { ...common, tt: x.tt, sc: x.sc, tr: '260415000' }
      if (x.nm !== null) entry['nm'] = x.nm
      if (x.tma !== null) entry['ma'] = x.tma
      if (x.tc !== null) entry['tc'] = x.tc
    } else {
      entry = { ...common, fr: '2021-05-01', df: '2021-05-11', du: x.date }
    }
    return { ver: x.ver, nam, dob: x.dob, [x.group]: [entry] }
  })

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T
}

type Path = (string | number)[]
function pathsOf(x: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix]
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])))
  else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) out.push(...pathsOf(v, [...prefix, k]))
  }
  return out
}

/** Sets (or deletes, for undefined) the value at `path`; the root itself is replaced. */
function setAt(root: Json, path: Path, value: Json | undefined): Json | undefined {
  if (path.length === 0) return value
  let node = root as Record<string | number, Json>
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>
  const last = path[path.length - 1] as string | number
  if (value === undefined) delete node[last]
  else node[last] = value
  return root
}

// Values near the edges of every rule: whitespace, nulls, numbers as text, date-times, lengths.
const LEAVES: (Json | undefined)[] = [
  undefined,
  null,
  0,
  1,
  2,
  9,
  10,
  1.5,
  -0,
  '2',
  true,
  [],
  {},
  '',
  ' ',
  '\u00a0VN',
  'VN ',
  'vn',
  'NLD',
  'NGUYEN<',
  'nguyen',
  'NGUYEN VAN',
  '\uFEFFX',
  'A'.repeat(50),
  'A'.repeat(51),
  'A'.repeat(80),
  'A'.repeat(81),
  '😀'.repeat(80),
  '😀'.repeat(81),
  '1964',
  '196',
  '19640',
  '1964-',
  '1964-0',
  '1964-01-',
  '1964-01-1',
  '1964-01-011',
  '1964/01/01',
  '1964-00',
  '1964-12',
  '1899',
  '2100-01-01',
  '1964-1-1',
  '2021-02-29',
  '2020-02-29',
  '1990-04-12T00:00:00',
  '2021-06-11T17:30:00Z',
  '2021-06-11T17:30:00',
  '2021-06-11 17:30:00+0200',
  '2021-06-11T23:59:60Z',
  '2021-06-11T24:00:00Z',
  '840539006',
  'EU/1/20/1528',
  'EU/1/20/1507',
  'ORG-100030215',
  '1119349007',
  'LP6464-4',
  '260415000',
  '1.3.0',
  '1.3.1',
  '1.2.1',
  '1.0.0',
  '1.4.0',
  '2.0.0',
  '1.3',
  '01.3.0',
  '1.3.0 ',
  '1x3y3',
]

const mutatedArb = fc
  .record({
    base: fc.oneof(payloadArb, fc.constantFrom(...outside.map((o) => o.payload))),
    edits: fc.array(
      fc.record({
        pick: fc.nat(),
        leaf: fc.constantFrom(...LEAVES),
        key: fc.option(fc.constantFrom('x', 'v', 't', 'r', 'fnt', 'gnt', 'dr', 'nm', 'tc', 'ver')),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ base, edits }) => {
    let root: Json | undefined = clone(base)
    for (const e of edits) {
      if (root === undefined) break
      const paths = pathsOf(root)
      const path = paths[e.pick % paths.length] as Path
      // Either replace a value or add a key beside it.
      const target = e.key !== null ? [...path, e.key] : path
      try {
        root = setAt(root, target, e.leaf)
      } catch {
        // adding a key under a leaf: skip
      }
    }
    return root
  })

describe('validateDcc fast path', () => {
  it('finds the outside payloads', () => {
    expect(outside.length).toBeGreaterThan(100)
  })

  it('agrees with the full checker on every official example and dgc-testdata payload', () => {
    let clean = 0
    for (const o of outside) clean += assertAgrees(o.payload).clean
    // Most well-formed outside payloads take the fast path (otherwise it would be useless).
    expect(clean).toBeGreaterThan(outside.length / 2)
  })

  it('takes the fast path for payloads shaped like ours', () => {
    const ours = {
      ver: '1.3.0',
      nam: { fn: 'Nguyễn', gn: 'Thị Hồng Đào', fnt: 'NGUYEN', gnt: 'THI<HONG<DAO' },
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
          ci: 'URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF',
        },
      ],
    }
    expect(cleanDccType(ours, 'issue')).toBe('v')
    expect(cleanDccType(ours, 'read')).toBe('v')
    expect(assertAgrees(ours).clean).toBe(2)
  })

  it('agrees on generated payloads, and takes the fast path whenever there is no finding', () => {
    let clean = 0
    let findingsFree = 0
    fc.assert(
      fc.property(payloadArb, (p) => {
        const r = assertAgrees(p)
        clean += r.clean
        findingsFree += r.findingsFree
        // On these shapes the fast path is never merely unsure.
        expect(r.clean).toBe(r.findingsFree)
      }),
      { numRuns: 3000, seed: 20261129 },
    )
    expect(clean).toBeGreaterThan(1000)
    expect(findingsFree).toBe(clean)
  })

  it('agrees on random mutations of generated and outside payloads', () => {
    let clean = 0
    fc.assert(
      fc.property(mutatedArb, (p) => {
        clean += assertAgrees(p).clean
      }),
      { numRuns: 6000, seed: 1129 },
    )
    expect(clean).toBeGreaterThan(100)
  })

  it('agrees on arbitrary values, and never throws on hostile ones', () => {
    fc.assert(
      fc.property(fc.anything(), (p) => {
        assertAgrees(p)
      }),
      { numRuns: 500, seed: 7 },
    )
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom')
        },
      },
    )
    expect(cleanDccType(hostile, 'read')).toBeNull()
    expect(validateDcc(hostile, { mode: 'read' }).ok).toBe(false)
  })
})

// ---- reference implementations of the readers, as they were before the rework -------------

function refReadText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const s = value.normalize('NFC').trim()
    return s === '' ? undefined : s
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  return undefined
}

function refUntransliterate(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  const t = s.replace(/<+/gu, ' ').trim()
  return t === '' ? undefined : t
}

function refHolder(payload: unknown): unknown {
  try {
    const nam = readProp(payload, 'nam')
    const familyName =
      refReadText(readProp(nam, 'fn')) ?? refUntransliterate(refReadText(readProp(nam, 'fnt')))
    const givenName =
      refReadText(readProp(nam, 'gn')) ?? refUntransliterate(refReadText(readProp(nam, 'gnt')))
    const name = [familyName, givenName].filter((x) => x !== undefined).join(', ')
    const dateOfBirth = refReadText(readProp(payload, 'dob')) ?? ''
    return {
      name,
      ...(familyName !== undefined ? { familyName } : {}),
      ...(givenName !== undefined ? { givenName } : {}),
      dateOfBirth,
    }
  } catch {
    return { name: '', dateOfBirth: '' }
  }
}

function refDisplay(set: ValueSet, code: string | undefined): string | undefined {
  if (code === undefined) return undefined
  return Object.hasOwn(set, code) ? set[code] : code
}

function refEvents(payload: unknown): unknown[] {
  const events: unknown[] = []
  try {
    for (const entry of readEntries(readProp(payload, 'v'))) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue
      const mp = refReadText(readProp(entry, 'mp'))
      const productName =
        mp !== undefined && Object.hasOwn(VACCINE_MEDICINAL_PRODUCT, mp)
          ? VACCINE_MEDICINAL_PRODUCT[mp]
          : undefined
      const manufacturer = refDisplay(VACCINE_MAH_MANF, refReadText(readProp(entry, 'ma')))
      const vaccineType = refDisplay(VACCINE_PROPHYLAXIS, refReadText(readProp(entry, 'vp')))
      const disease = refDisplay(DISEASE_AGENT_TARGETED, refReadText(readProp(entry, 'tg')))
      const dt = refReadText(readProp(entry, 'dt'))
      const date =
        dt !== undefined && /^\d{4}-\d{2}-\d{2}[Tt ]/u.test(dt) ? dt.slice(0, 10) : (dt ?? '')
      const doseNumber = readNumber(readProp(entry, 'dn'))
      const seriesDoses = readNumber(readProp(entry, 'sd'))
      const country = refReadText(readProp(entry, 'co'))
      const certificateId = refReadText(readProp(entry, 'ci'))
      events.push({
        product: mp ?? '',
        ...(productName !== undefined ? { productName } : {}),
        ...(manufacturer !== undefined ? { manufacturer } : {}),
        ...(vaccineType !== undefined ? { vaccineType } : {}),
        ...(disease !== undefined ? { disease } : {}),
        date,
        ...(doseNumber !== undefined ? { doseNumber } : {}),
        ...(seriesDoses !== undefined ? { seriesDoses } : {}),
        ...(country !== undefined ? { country: country.toUpperCase() } : {}),
        ...(certificateId !== undefined ? { certificateId } : {}),
      })
    }
  } catch {
    // keep what was read
  }
  return events
}

/** Same values and the same key order (the report is printed as JSON). */
function expectSame(actual: unknown, expected: unknown): void {
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
  expect(actual).toEqual(expected)
}

describe('dccToHolder, dccToEvents and readText match the reference', () => {
  it('readText: NFC and trim on any text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom('A', 'e', ' ', '\u0301', '\u0302', '\u0300', '\u02ff', '\u00e9', 'ễ'),
        maxLength: 8,
      }),
    )
    fc.assert(
      fc.property(text, (s) => {
        expect(readText(s)).toBe(refReadText(s))
        expect(readText(s.normalize('NFD'))).toBe(refReadText(s.normalize('NFD')))
      }),
      { numRuns: 3000, seed: 3 },
    )
  })

  it('readText skips NFC only where it is a no-op: every pair of the skipped characters', () => {
    const chars: string[] = []
    for (let c = 0; c <= 0x2ff; c++) chars.push(String.fromCharCode(c))
    for (let c = 0x1e00; c <= 0x1eff; c++) chars.push(String.fromCharCode(c))
    let changed = 0
    for (const a of chars) {
      if (a.normalize('NFC') !== a) changed++
      for (const b of chars) if ((a + b).normalize('NFC') !== a + b) changed++
    }
    expect(changed).toBe(0)
    // Just outside: a combining mark and an NFD Vietnamese name are normalised.
    expect(readText('e\u0301')).toBe('\u00e9')
    expect(readText('Nguye\u0302\u0303n')).toBe('Nguyễn')
  })

  it('on outside payloads, generated ones and their mutations', () => {
    for (const o of outside) {
      expectSame(dccToHolder(o.payload), refHolder(o.payload))
      expectSame(dccToEvents(o.payload), refEvents(o.payload))
    }
    fc.assert(
      fc.property(fc.oneof(payloadArb, mutatedArb, fc.anything()), (p) => {
        expectSame(dccToHolder(p), refHolder(p))
        expectSame(dccToEvents(p), refEvents(p))
      }),
      { numRuns: 3000, seed: 11 },
    )
  })
})

// The general date-time rule as it was before the hand-parsed shortcut.
const REF_TIME = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/u
function refDateTime(s: string): boolean {
  const parts = s.split(/t|\s/iu)
  if (parts.length !== 2) return false
  const [d, t] = parts as [string, string]
  if (!isRfc3339Date(d)) return false
  const m = REF_TIME.exec(t)
  if (m === null) return false
  const hr = Number(m[1])
  const min = Number(m[2])
  const sec = Number(m[3])
  const sign = m[4] === '-' ? -1 : 1
  const tzH = Number(m[5] ?? 0)
  const tzM = Number(m[6] ?? 0)
  if (tzH > 23 || tzM > 59) return false
  if (hr <= 23 && min <= 59 && sec < 60) return true
  const utcMin = min - tzM * sign
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0)
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61
}

describe('isRfc3339DateTime (with its shortcut) matches the general rule', () => {
  it('on date-times near every edge', () => {
    // Edge values and mostly well-placed separators, so the shortcut's every test is reached.
    const two = fc.constantFrom('00', '09', '10', '23', '24', '59', '60', '61', '99', '1')
    const shaped = fc
      .tuple(
        fc.constantFrom('2021-05-30', '2020-02-29', '2021-02-29', '2021-13-01', '2021-5-30'),
        fc.constantFrom('T', 'T', 'T', 't', ' ', 'X'),
        two,
        fc.constantFrom(':', ':', ':', '', '-'),
        two,
        fc.constantFrom(':', ':', ':', ''),
        two,
        fc.constantFrom('', '', '.', '.5', '.123456', '.x'),
        fc.constantFrom(
          ...['Z', 'z', '', 'ZZ', ' ', 'X', '+', '+02:00', '-01:00', '+00:00', '-23:59', '+24:00'],
          ...['+02:60', '+0200', '+02', '+2:00', '+02:00:', '+02::00', '*02:00', '-0a:00'],
        ),
      )
      .map((x) => x.join(''))
    const noise = fc.string({
      unit: fc.constantFrom('2', '0', '1', '9', '-', ':', 'T', 'Z', '+', '.', ' ', 't'),
      maxLength: 30,
    })
    fc.assert(
      fc.property(fc.oneof(shaped, noise), (s) => {
        expect(isRfc3339DateTime(s)).toBe(refDateTime(s))
      }),
      { numRuns: 20000, seed: 5 },
    )
    for (const s of [
      '2021-05-30T10:12:22Z',
      '2021-05-30T10:12:22.5+02:00',
      '2021-06-11T23:59:60Z',
    ]) {
      expect(isRfc3339DateTime(s)).toBe(true)
    }
  })
})
