import type { Warning } from '../verify/report.js'
import { checkVaccineConsistency } from './check-vaccine-consistency.js'
import { VACCINE_ENCODING } from './vaccine-encoding.js'
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

/** `issue`: strict, everything is an error. `read`: lenient, sloppy but readable data warns. */
export type DccMode = 'issue' | 'read'

export type DccIssueCode =
  'ERR_DCC_SCHEMA' | 'ERR_DCC_VALUE_SET' | 'ERR_DCC_TYPE' | 'ERR_DCC_MISSING'

/** One error in a DCC payload. `path` is like `v[0].dn` (empty for the payload itself). */
export interface DccIssue {
  readonly path: string
  readonly code: DccIssueCode
  readonly message: string
}

/** The verdict of {@link validateDcc}. */
export interface DccValidation {
  /** True when there is no error (warnings allowed). */
  readonly ok: boolean
  /** `ver` as written, when it is a string. */
  readonly version: string | null
  /** The certificate type, when exactly one of `v`, `t`, `r` is there. */
  readonly type: 'v' | 't' | 'r' | null
  readonly errors: readonly DccIssue[]
  readonly warnings: readonly Warning[]
}

/**
 * One finding before the mode decides what it is. `fatal`: an error in read mode too.
 * `policy`: a rule of ours beyond the official JSON schema (value sets, consistency, extra
 * properties, supported versions, whitespace), so tests can compare the schema part with ajv.
 */
export interface DccFinding extends DccIssue {
  readonly warning: string
  readonly fatal: boolean
  readonly policy: boolean
}

/** What differs between schema versions (see docs/dcc-validation.md). */
interface Profile {
  readonly name: '1.0' | '1.1' | '1.2' | '1.3'
  /** maxLength of names, `is`, `ci`, `tc` (and `nm` when `nmLimited`). */
  readonly maxLen: number
  readonly nmLimited: boolean
  /** 1.3.2 made `fnt` optional when `gnt` is there. */
  readonly fntRequired: boolean
  readonly doseMax: number | null
  readonly dob: RegExp
  readonly tcRequired: boolean
  /** 1.0.x passes carry date-times where later versions want dates. */
  readonly dateAcceptsDateTime: boolean
  /** `t[0].dr` (date of result) existed until 1.1.x. */
  readonly hasDr: boolean
}

const DOB_PARTS = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/u
const DOB_1_0 = /^(19|20)\d\d(-\d\d){0,2}(T\d\d:\d\d:\d\d)?$/u
const DOB_1_1 = /^(19|20)\d\d(-\d\d){0,2}$/u
const DOB_1_2 = /^((19|20)\d\d(-\d\d){0,2}){0,1}$/u

const PROFILES = {
  '1.0': {
    name: '1.0',
    maxLen: 50,
    nmLimited: false,
    fntRequired: true,
    doseMax: 9,
    dob: DOB_1_0,
    tcRequired: true,
    dateAcceptsDateTime: true,
    hasDr: true,
  },
  '1.1': {
    name: '1.1',
    maxLen: 50,
    nmLimited: false,
    fntRequired: true,
    doseMax: 9,
    dob: DOB_1_1,
    tcRequired: true,
    dateAcceptsDateTime: false,
    hasDr: true,
  },
  '1.2': {
    name: '1.2',
    maxLen: 80,
    nmLimited: true,
    fntRequired: true,
    doseMax: 9,
    dob: DOB_1_2,
    tcRequired: false,
    dateAcceptsDateTime: false,
    hasDr: false,
  },
  '1.3': {
    name: '1.3',
    maxLen: 80,
    nmLimited: true,
    fntRequired: false,
    doseMax: null,
    dob: DOB_1_2,
    tcRequired: false,
    dateAcceptsDateTime: false,
    hasDr: false,
  },
} as const satisfies Record<string, Profile>

// The schema's own `ver` pattern (its dots are unescaped: any character matches).
const VER_PATTERN = /^\d+.\d+.\d+$/u
const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/u
const TRANSLITERATED = /^[A-Z<]*$/u
// Unanchored as in the schema; the value set does the real check.
const COUNTRY_PATTERN = /[A-Z]{1,10}/u
const TIME = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/u
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// 1.3.0 and 1.3.1 still required fnt.
const PROFILE_1_3_EARLY: Profile = { ...PROFILES['1.3'], fntRequired: true }

function pickProfile(ver: string): { profile: Profile; supported: boolean } {
  const m = SEMVER.exec(ver)
  if (m !== null && m[1] === '1') {
    const minor = Number(m[2])
    const patch = Number(m[3])
    if (minor === 0) return { profile: PROFILES['1.0'], supported: true }
    if (minor === 1) return { profile: PROFILES['1.1'], supported: true }
    if (minor === 2) return { profile: PROFILES['1.2'], supported: true }
    if (minor === 3) {
      return { profile: patch < 2 ? PROFILE_1_3_EARLY : PROFILES['1.3'], supported: true }
    }
  }
  return { profile: PROFILES['1.3'], supported: false }
}

/** RFC 3339 full-date with a real calendar day. */
export function isRfc3339Date(s: string): boolean {
  // Hand-parsed: this runs for every date of every pass verified.
  return s.length === 10 && isDateAt(s)
}

/** True when `s` starts with a real calendar day written YYYY-MM-DD. */
function isDateAt(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : (DAYS[month] ?? 0))
}

/** The number written by `len` ASCII digits at `at`, or -1. */
function digits(s: string, at: number, len: number): number {
  let n = 0
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/** RFC 3339 date-time: a time zone is required; 23:59:60 UTC (leap second) is allowed. */
export function isRfc3339DateTime(s: string): boolean {
  if (isPlainDateTime(s)) return true
  const parts = s.split(/t|\s/iu)
  if (parts.length !== 2) return false
  const [d, t] = parts as [string, string]
  if (!isRfc3339Date(d)) return false
  const m = TIME.exec(t)
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

/**
 * The usual shape, `YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)` with no leap second, checked without
 * regexes or splitting: every string accepted here is accepted by the general rule below too.
 */
function isPlainDateTime(s: string): boolean {
  const n = s.length
  if (n < 20 || s.charCodeAt(10) !== 84 || !isDateAt(s)) return false
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false
  const hr = digits(s, 11, 2)
  const min = digits(s, 14, 2)
  const sec = digits(s, 17, 2)
  if (hr < 0 || hr > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) return false
  let i = 19
  if (s.charCodeAt(i) === 46) {
    const start = ++i
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++
    if (i === start) return false
  }
  const z = s.charCodeAt(i)
  if (i === n - 1) return z === 90 || z === 122
  if (n - i !== 6 || (z !== 43 && z !== 45) || s.charCodeAt(i + 3) !== 58) return false
  const tzH = digits(s, i + 1, 2)
  const tzM = digits(s, i + 4, 2)
  return tzH >= 0 && tzH <= 23 && tzM >= 0 && tzM <= 59
}

/** True when `s` is longer than `max` Unicode code points (JSON Schema counts code points). */
function longerThan(s: string, max: number): boolean {
  // The UTF-16 length is an upper bound: count only when it could matter.
  if (s.length <= max) return false
  let n = 0
  for (const _ of s) if (++n > max) return true
  return false
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function describe(x: unknown): string {
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'array'
  return typeof x
}

type FieldKind = 'string' | 'date' | 'date-time' | 'date-or-time' | 'dose'

interface FieldSpec {
  readonly kind: FieldKind
  readonly required: boolean
  /** Missing in read mode is an error: the event cannot be shown without it. */
  readonly key?: boolean
  readonly maxLen?: number
  readonly pattern?: RegExp
  readonly valueSet?: ValueSet
  readonly valueSetName?: string
}

const specCache = new WeakMap<
  Profile,
  Partial<Record<'v' | 't' | 'r', Record<string, FieldSpec>>>
>()

// Specs depend only on the group and the profile: build each set once (keyed by the profile
// object, so no key string is built per call).
function entrySpecs(group: 'v' | 't' | 'r', p: Profile): Record<string, FieldSpec> {
  let byGroup = specCache.get(p)
  if (byGroup === undefined) {
    byGroup = {}
    specCache.set(p, byGroup)
  }
  let specs = byGroup[group]
  if (specs === undefined) {
    specs = buildEntrySpecs(group, p)
    byGroup[group] = specs
  }
  return specs
}

const entriesCache = new WeakMap<Record<string, FieldSpec>, [string, FieldSpec][]>()

function specEntries(specs: Record<string, FieldSpec>): [string, FieldSpec][] {
  let list = entriesCache.get(specs)
  if (list === undefined) {
    list = Object.entries(specs)
    entriesCache.set(specs, list)
  }
  return list
}

function buildEntrySpecs(group: 'v' | 't' | 'r', p: Profile): Record<string, FieldSpec> {
  const text = { kind: 'string', required: true, maxLen: p.maxLen } as const
  const tg = {
    kind: 'string',
    required: true,
    valueSet: DISEASE_AGENT_TARGETED,
    valueSetName: 'disease-agent-targeted',
  } as const
  const co = {
    kind: 'string',
    required: true,
    pattern: COUNTRY_PATTERN,
    valueSet: COUNTRY_2_CODES,
    valueSetName: 'country-2-codes',
  } as const
  const date: FieldKind = p.dateAcceptsDateTime ? 'date-or-time' : 'date'
  if (group === 'v') {
    return {
      tg,
      vp: {
        kind: 'string',
        required: true,
        valueSet: VACCINE_PROPHYLAXIS,
        valueSetName: 'vaccine-prophylaxis',
      },
      mp: {
        kind: 'string',
        required: true,
        key: true,
        valueSet: VACCINE_MEDICINAL_PRODUCT,
        valueSetName: 'vaccine-medicinal-product',
      },
      ma: {
        kind: 'string',
        required: true,
        valueSet: VACCINE_MAH_MANF,
        valueSetName: 'vaccine-mah-manf',
      },
      dn: { kind: 'dose', required: true, key: true },
      sd: { kind: 'dose', required: true },
      dt: { kind: date, required: true, key: true },
      co,
      is: text,
      ci: text,
    }
  }
  if (group === 't') {
    const specs: Record<string, FieldSpec> = {
      tg,
      tt: {
        kind: 'string',
        required: true,
        key: true,
        valueSet: TEST_TYPE,
        valueSetName: 'test-type',
      },
      nm: { kind: 'string', required: false, ...(p.nmLimited ? { maxLen: p.maxLen } : {}) },
      ma: { kind: 'string', required: false, valueSet: TEST_MANF, valueSetName: 'test-manf' },
      sc: { kind: 'date-time', required: true, key: true },
      tr: {
        kind: 'string',
        required: true,
        key: true,
        valueSet: TEST_RESULT,
        valueSetName: 'test-result',
      },
      tc: { kind: 'string', required: p.tcRequired, maxLen: p.maxLen },
      co,
      is: text,
      ci: text,
    }
    if (p.hasDr) return { ...specs, dr: { kind: 'date-time', required: false } }
    return specs
  }
  return {
    tg,
    fr: { kind: 'date', required: true, key: true },
    co,
    is: text,
    df: { kind: date, required: true },
    du: { kind: date, required: true },
    ci: text,
  }
}

class Findings {
  readonly list: DccFinding[] = []
  constructor(readonly mode: DccMode) {}

  add(
    path: string,
    code: DccIssueCode,
    warning: string,
    message: string,
    flags: { fatal?: boolean; policy?: boolean } = {},
  ): void {
    this.list.push({
      path,
      code,
      warning,
      message,
      fatal: flags.fatal ?? false,
      policy: flags.policy ?? false,
    })
  }
}

const TOP_KEYS = new Set(['ver', 'nam', 'dob', 'v', 't', 'r'])
const NAME_KEYS = ['fn', 'fnt', 'gn', 'gnt'] as const

/**
 * Checks a DCC payload and returns every finding, tagged `fatal` (an error even when reading)
 * and `policy` (beyond the official schema). {@link validateDcc} is the public face of this;
 * tests use the tags to compare the schema part with ajv.
 */
export function collectDccFindings(payload: unknown, mode: DccMode): DccFinding[] {
  const f = new Findings(mode)
  const read = mode === 'read'
  if (!isPlainObject(payload)) {
    f.add(
      '',
      'ERR_DCC_TYPE',
      'WARN_DCC_TYPE',
      `payload must be an object, got ${describe(payload)}`,
      {
        fatal: true,
      },
    )
    return f.list
  }

  // ver picks the rules of its schema version; an unknown one falls back to 1.3.
  let profile: Profile = PROFILES['1.3']
  const ver = payload['ver']
  if (ver === undefined || (read && ver === null)) {
    f.add('ver', 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', 'ver is missing')
  } else if (typeof ver !== 'string') {
    f.add('ver', 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `ver must be a string, got ${describe(ver)}`)
  } else {
    const v = read ? ver.trim() : ver
    if (read && v !== ver)
      f.add('ver', 'ERR_DCC_SCHEMA', 'WARN_DCC_WHITESPACE', 'ver has stray whitespace')
    if (!VER_PATTERN.test(v)) {
      f.add(
        'ver',
        'ERR_DCC_SCHEMA',
        'WARN_DCC_VERSION',
        `ver ${JSON.stringify(ver)} is not a version`,
      )
    }
    const picked = pickProfile(v)
    profile = picked.profile
    if (!picked.supported && VER_PATTERN.test(v)) {
      f.add(
        'ver',
        'ERR_DCC_SCHEMA',
        'WARN_DCC_VERSION',
        `schema version ${v} is not supported (1.0.x to 1.3.x), read as 1.3`,
        {
          policy: true,
        },
      )
    }
  }

  checkName(f, payload['nam'], profile)
  checkDob(f, payload['dob'], profile)

  // Exactly one group. The schema counts a key holding null as present; reading ignores it.
  const present = (['v', 't', 'r'] as const).filter((k) =>
    read ? payload[k] !== undefined && payload[k] !== null : payload[k] !== undefined,
  )
  if (read) {
    for (const k of ['v', 't', 'r'] as const) {
      if (payload[k] === null) f.add(k, 'ERR_DCC_TYPE', 'WARN_DCC_NULL', `${k} is null`)
    }
  }
  if (present.length === 0) {
    f.add('', 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', 'one of v, t, r is required', { fatal: true })
  } else if (present.length > 1) {
    f.add(
      '',
      'ERR_DCC_SCHEMA',
      'WARN_DCC_SCHEMA',
      `exactly one of v, t, r is allowed, got ${present.join(', ')}`,
      {
        fatal: true,
      },
    )
  }
  for (const group of present) checkGroup(f, group, payload[group], profile)

  for (const key of Object.keys(payload)) {
    if (!TOP_KEYS.has(key)) {
      f.add(key, 'ERR_DCC_SCHEMA', 'WARN_DCC_EXTRA', `unexpected property ${key}`, { policy: true })
    }
  }
  return f.list
}

/** Applies whitespace and null leniency to a string field; returns the string to check, or null. */
function readString(f: Findings, path: string, value: unknown, key = false): string | null {
  const read = f.mode === 'read'
  if (typeof value === 'string') {
    if (read) {
      const t = value.trim()
      if (t !== value)
        f.add(path, 'ERR_DCC_SCHEMA', 'WARN_DCC_WHITESPACE', `${path} has stray whitespace`)
      return t
    }
    if (value.trim() !== value) {
      f.add(
        path,
        'ERR_DCC_SCHEMA',
        'WARN_DCC_WHITESPACE',
        `${path} has leading or trailing whitespace`,
        {
          policy: true,
        },
      )
    }
    return value
  }
  if (read && value instanceof Date && !Number.isNaN(value.getTime())) {
    // CBOR tag 0/1 date-times decode to Date: read them as RFC 3339 text.
    f.add(path, 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `${path} is a tagged date-time, read as text`)
    return value.toISOString()
  }
  if (read && (typeof value === 'number' || typeof value === 'bigint')) {
    f.add(path, 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `${path} is a number, read as text`)
    return String(value)
  }
  f.add(path, 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `${path} must be a string, got ${describe(value)}`, {
    fatal: key,
  })
  return null
}

function checkName(f: Findings, nam: unknown, p: Profile): void {
  const read = f.mode === 'read'
  if (nam === undefined || (read && nam === null)) {
    f.add('nam', 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', 'nam is missing', { fatal: true })
    return
  }
  if (!isPlainObject(nam)) {
    f.add('nam', 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `nam must be an object, got ${describe(nam)}`, {
      fatal: true,
    })
    return
  }
  const usable: string[] = []
  for (const key of NAME_KEYS) {
    const value = nam[key]
    const path = `nam.${key}`
    if (value === undefined) continue
    if (read && value === null) {
      f.add(path, 'ERR_DCC_TYPE', 'WARN_DCC_NULL', `${path} is null`)
      continue
    }
    const s = readString(f, path, value)
    if (s === null) continue
    if (s !== '') usable.push(key)
    if (longerThan(s, p.maxLen)) {
      f.add(
        path,
        'ERR_DCC_SCHEMA',
        'WARN_DCC_SCHEMA',
        `${path} is longer than ${p.maxLen} characters`,
      )
    }
    if ((key === 'fnt' || key === 'gnt') && !TRANSLITERATED.test(s)) {
      f.add(path, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${path} must match ^[A-Z<]*$`)
    }
  }
  const has = (k: string): boolean => nam[k] !== undefined && !(read && nam[k] === null)
  if (p.fntRequired ? !has('fnt') : !has('fnt') && !has('gnt')) {
    f.add(
      p.fntRequired ? 'nam.fnt' : 'nam',
      'ERR_DCC_MISSING',
      'WARN_DCC_MISSING',
      p.fntRequired ? 'nam.fnt is required' : 'nam needs fnt or gnt',
    )
  }
  if (read && usable.length === 0) {
    f.add('nam', 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', 'nam holds no readable name', {
      fatal: true,
    })
  }
  for (const key of Object.keys(nam)) {
    if (!(NAME_KEYS as readonly string[]).includes(key)) {
      f.add(`nam.${key}`, 'ERR_DCC_SCHEMA', 'WARN_DCC_EXTRA', `unexpected property nam.${key}`, {
        policy: true,
      })
    }
  }
}

function checkDob(f: Findings, dob: unknown, p: Profile): void {
  const read = f.mode === 'read'
  if (dob === undefined || (read && dob === null)) {
    f.add('dob', 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', 'dob is missing', { fatal: true })
    return
  }
  const s = readString(f, 'dob', dob, true)
  if (s === null) return
  if (!p.dob.test(s)) {
    f.add(
      'dob',
      'ERR_DCC_SCHEMA',
      'WARN_DCC_SCHEMA',
      'dob must be YYYY, YYYY-MM, YYYY-MM-DD or empty',
    )
    return
  }
  // The pattern lets 1990-13-45 through; a certificate we issue must carry a real date.
  const m = DOB_PARTS.exec(s)
  const real =
    m === null ||
    m[2] === undefined ||
    (m[3] === undefined
      ? Number(m[2]) >= 1 && Number(m[2]) <= 12
      : isRfc3339Date(`${m[1]}-${m[2]}-${m[3]}`))
  if (!real) {
    f.add('dob', 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', 'dob is not a calendar date', {
      policy: true,
    })
  }
}

function checkGroup(f: Findings, group: 'v' | 't' | 'r', value: unknown, p: Profile): void {
  const read = f.mode === 'read'
  let entries: unknown[]
  if (Array.isArray(value)) {
    entries = value
  } else if (read && isPlainObject(value)) {
    f.add(
      group,
      'ERR_DCC_TYPE',
      'WARN_DCC_TYPE',
      `${group} is an object, read as a one-entry array`,
    )
    entries = [value]
  } else {
    f.add(
      group,
      'ERR_DCC_TYPE',
      'WARN_DCC_TYPE',
      `${group} must be an array, got ${describe(value)}`,
      {
        fatal: true,
      },
    )
    return
  }
  if (entries.length === 0) {
    f.add(group, 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', `${group} is empty`, { fatal: true })
    return
  }
  if (entries.length > 1) {
    f.add(
      group,
      'ERR_DCC_SCHEMA',
      'WARN_DCC_SCHEMA',
      `${group} must hold exactly one entry, got ${entries.length}`,
    )
  }
  entries.forEach((entry, i) => checkEntry(f, group, `${group}[${i}]`, entry, p))
}

function checkEntry(
  f: Findings,
  group: 'v' | 't' | 'r',
  path: string,
  entry: unknown,
  p: Profile,
): void {
  const read = f.mode === 'read'
  if (!isPlainObject(entry)) {
    f.add(
      path,
      'ERR_DCC_TYPE',
      'WARN_DCC_TYPE',
      `${path} must be an object, got ${describe(entry)}`,
      {
        fatal: true,
      },
    )
    return
  }
  const specs = entrySpecs(group, p)
  // mp, ma, vp as read, for the consistency check.
  let mp: string | undefined
  let ma: string | undefined
  let vp: string | undefined
  for (const [name, spec] of specEntries(specs)) {
    const fp = `${path}.${name}`
    const value = entry[name]
    if (value === undefined || (read && value === null)) {
      if (value === null) f.add(fp, 'ERR_DCC_TYPE', 'WARN_DCC_NULL', `${fp} is null`)
      if (spec.required) {
        f.add(fp, 'ERR_DCC_MISSING', 'WARN_DCC_MISSING', `${fp} is required`, {
          fatal: spec.key === true,
        })
      }
      continue
    }
    if (spec.kind === 'dose') {
      checkDose(f, fp, value, p, spec.key === true)
      continue
    }
    const s = readString(f, fp, value, spec.key === true)
    if (s === null) continue
    if (read && s === '' && !spec.required) {
      // An empty optional field (a PCR test's `ma`) says nothing: read it as absent.
      f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_EMPTY', `${fp} is empty`)
      continue
    }
    if (name === 'mp') mp = s
    else if (name === 'ma') ma = s
    else if (name === 'vp') vp = s
    checkStringField(f, fp, s, spec)
  }
  if (group === 'v') {
    if (
      mp !== undefined &&
      ma !== undefined &&
      vp !== undefined &&
      Object.hasOwn(VACCINE_MEDICINAL_PRODUCT, mp)
    ) {
      const c = checkVaccineConsistency(mp, ma, vp)
      for (const problem of c.problems) {
        f.add(path, 'ERR_DCC_VALUE_SET', 'WARN_DCC_VACCINE_MISMATCH', problem, { policy: true })
      }
    }
  }
  for (const key of Object.keys(entry)) {
    if (!Object.hasOwn(specs, key)) {
      f.add(
        `${path}.${key}`,
        'ERR_DCC_SCHEMA',
        'WARN_DCC_EXTRA',
        `unexpected property ${path}.${key}`,
        {
          policy: true,
        },
      )
    }
  }
}

function checkStringField(f: Findings, fp: string, s: string, spec: FieldSpec): void {
  if (spec.maxLen !== undefined && longerThan(s, spec.maxLen)) {
    f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${fp} is longer than ${spec.maxLen} characters`)
  }
  if (spec.pattern !== undefined && !spec.pattern.test(s)) {
    f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${fp} does not match ${spec.pattern.source}`)
  }
  if (spec.kind === 'date' && !isRfc3339Date(s)) {
    f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${fp} must be a date (YYYY-MM-DD)`)
  }
  if (spec.kind === 'date-or-time' && !isRfc3339Date(s) && !isRfc3339DateTime(s)) {
    f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${fp} must be a date or an RFC 3339 date-time`)
  }
  if (spec.kind === 'date-time' && !isRfc3339DateTime(s)) {
    f.add(
      fp,
      'ERR_DCC_SCHEMA',
      'WARN_DCC_SCHEMA',
      `${fp} must be an RFC 3339 date-time with a zone`,
    )
  }
  if (spec.valueSet !== undefined) {
    if (!Object.hasOwn(spec.valueSet, s)) {
      f.add(
        fp,
        'ERR_DCC_VALUE_SET',
        'WARN_DCC_VALUE_SET',
        `${fp} ${JSON.stringify(s)} is not in ${spec.valueSetName}`,
        {
          policy: true,
        },
      )
    } else if (f.mode === 'issue' && INACTIVE_CODES.has(s)) {
      f.add(
        fp,
        'ERR_DCC_VALUE_SET',
        'WARN_DCC_VALUE_SET',
        `${fp} ${s} is deprecated in ${spec.valueSetName}`,
        {
          policy: true,
        },
      )
    }
  }
}

function checkDose(f: Findings, fp: string, value: unknown, p: Profile, key: boolean): void {
  const read = f.mode === 'read'
  let n: number
  if (typeof value === 'number' && Number.isFinite(value)) {
    n = value
  } else if (read && typeof value === 'string' && /^\s*\d+(\.0+)?\s*$/u.test(value)) {
    f.add(fp, 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `${fp} is text, read as a number`)
    n = Number(value)
  } else {
    f.add(fp, 'ERR_DCC_TYPE', 'WARN_DCC_TYPE', `${fp} must be an integer, got ${describe(value)}`, {
      fatal: key,
    })
    return
  }
  if (!Number.isInteger(n)) {
    f.add(fp, 'ERR_DCC_TYPE', 'WARN_DCC_FLOAT', `${fp} must be an integer, got ${n}`)
  }
  if (n < 1) f.add(fp, 'ERR_DCC_SCHEMA', 'WARN_DCC_SCHEMA', `${fp} must be at least 1`)
  if (p.doseMax !== null && n > p.doseMax) {
    f.add(
      fp,
      'ERR_DCC_SCHEMA',
      'WARN_DCC_SCHEMA',
      `${fp} must be at most ${p.doseMax} in schema ${p.name}`,
    )
  }
}

/**
 * Validates a DCC payload (the JSON under CWT claim -260/1) against the rules of its schema
 * version (1.0.x to 1.3.x) and our issuance policy. In `issue` mode every finding is an error;
 * in `read` mode only unreadable structure is, the rest are warnings with a path.
 * `requireKnownCodes` (read mode): unknown value-set codes are errors too, which is what the
 * dgc-testdata EXPECTEDSCHEMAVALIDATION step expects. Never throws. See docs/dcc-validation.md.
 *
 * @example
 * const r = validateDcc(JSON.parse(json), { mode: 'read' })
 * if (!r.ok) console.log(r.errors.map((e) => `${e.code} ${e.path}`))
 */
export function validateDcc(
  payload: unknown,
  opts: { mode: DccMode; requireKnownCodes?: boolean },
): DccValidation {
  const clean = cleanValidation(payload, opts.mode)
  if (clean !== null) return clean
  let findings: DccFinding[]
  try {
    findings = collectDccFindings(payload, opts.mode)
  } catch (err) {
    // Getters or proxies in hostile input: report, never throw.
    findings = [
      {
        path: '',
        code: 'ERR_DCC_TYPE',
        warning: 'WARN_DCC_TYPE',
        message: `payload could not be read: ${err instanceof Error ? err.message : String(err)}`,
        fatal: true,
        policy: false,
      },
    ]
  }
  const errors: DccIssue[] = []
  const warnings: Warning[] = []
  for (const x of findings) {
    const unknownCode = opts.requireKnownCodes === true && x.warning === 'WARN_DCC_VALUE_SET'
    if (opts.mode === 'issue' || x.fatal || unknownCode) {
      errors.push({ path: x.path, code: x.code, message: x.message })
    } else {
      warnings.push({ code: x.warning, message: x.message, path: x.path })
    }
  }
  return {
    ok: errors.length === 0,
    version: versionOf(payload),
    type: typeOf(payload, opts.mode),
    errors,
    warnings,
  }
}

function versionOf(payload: unknown): string | null {
  try {
    return isPlainObject(payload) && typeof payload['ver'] === 'string' ? payload['ver'] : null
  } catch {
    return null
  }
}

function typeOf(payload: unknown, mode: DccMode): 'v' | 't' | 'r' | null {
  try {
    if (!isPlainObject(payload)) return null
    const present = (['v', 't', 'r'] as const).filter(
      (k) => payload[k] !== undefined && !(mode === 'read' && payload[k] === null),
    )
    return present.length === 1 ? (present[0] ?? null) : null
  } catch {
    return null
  }
}

/**
 * Only the rules of the official JSON schema of the payload's version (no value sets, no
 * consistency, extra properties allowed): what dgc-testdata's EXPECTEDSCHEMAVALIDATION asks,
 * plus "exactly one of v, t, r with exactly one entry".
 *
 * @example
 * validateDccSchema(payload).length === 0 // passes the schema of its `ver`
 */
export function validateDccSchema(payload: unknown): DccIssue[] {
  if (cleanDccType(payload, 'issue') !== null) return []
  try {
    return collectDccFindings(payload, 'issue')
      .filter((x) => !x.policy)
      .map(({ path, code, message }) => ({ path, code, message }))
  } catch {
    return [{ path: '', code: 'ERR_DCC_TYPE', message: 'payload could not be read' }]
  }
}

/*
 * The fast path. Nearly every payload verified or issued is well formed, and the full checker
 * above builds a path string, a spec lookup and a trimmed copy for every field of it. This walk
 * reads the same properties in the same way but only answers "no finding at all" (the group) or
 * "maybe something" (null): anything unusual returns null and the full checker produces the
 * findings, so every error, warning and path still comes from one place. Each test here accepts
 * only values on which the full checker records nothing; dcc-fast-path.test.ts checks the two
 * agree on generated payloads and their mutations.
 */

/**
 * The certificate type when `payload` has no finding at all in `mode` (so {@link validateDcc}
 * would say ok with no warnings), else null, also when merely unsure. Never throws.
 *
 * @example
 * cleanDccType(sampleDcc, 'issue') // 'v'
 * cleanDccType({ ...sampleDcc, dob: ' 1990-01-02' }, 'read') // null: the full checker warns
 */
export function cleanDccType(payload: unknown, mode: DccMode): 'v' | 't' | 'r' | null {
  return cleanValidation(payload, mode)?.type ?? null
}

/** The verdict of {@link validateDcc} when there is no finding, else null. Never throws. */
function cleanValidation(payload: unknown, mode: DccMode): DccValidation | null {
  try {
    return cleanType(payload, mode)
  } catch {
    return null
  }
}

function cleanType(payload: unknown, mode: DccMode): DccValidation | null {
  if (!isPlainObject(payload)) return null
  const ver = payload['ver']
  if (typeof ver !== 'string') return null
  const p = cleanProfile(ver)
  if (p === null) return null
  if (!cleanName(payload['nam'], p, mode === 'read')) return null
  if (!cleanDob(payload['dob'], p)) return null
  const v = payload['v']
  const t = payload['t']
  const r = payload['r']
  // Exactly one group; the others strictly absent (null is a finding in both modes).
  let group: 'v' | 't' | 'r'
  let value: unknown
  if (v !== undefined) {
    if (t !== undefined || r !== undefined) return null
    group = 'v'
    value = v
  } else if (t !== undefined) {
    if (r !== undefined) return null
    group = 't'
    value = t
  } else if (r !== undefined) {
    group = 'r'
    value = r
  } else return null
  if (!Array.isArray(value) || value.length !== 1) return null
  if (!cleanEntry(value[0], group, p, mode)) return null
  // for-in rather than Object.keys: no array per call. An inherited enumerable key (never
  // there in practice) only makes this answer "unsure", and the full checker decides.
  for (const key in payload) if (!TOP_KEYS.has(key)) return null
  // Every property was read once, here: a getter cannot change the answer afterwards.
  return { ok: true, version: ver, type: group, errors: [], warnings: [] }
}

/** The profile of a `ver` written exactly `1.<0-3>.<digits>`, else null. */
function cleanProfile(ver: string): Profile | null {
  const n = ver.length
  if (n < 5 || ver.charCodeAt(0) !== 49 || ver.charCodeAt(1) !== 46 || ver.charCodeAt(3) !== 46) {
    return null
  }
  const minor = ver.charCodeAt(2) - 48
  if (minor < 0 || minor > 3) return null
  // Leading zeros are fine: the full checker reads the patch with Number().
  if (digits(ver, 4, n - 4) < 0 || n - 4 > 9) return null
  if (minor === 0) return PROFILES['1.0']
  if (minor === 1) return PROFILES['1.1']
  if (minor === 2) return PROFILES['1.2']
  return digits(ver, 4, n - 4) < 2 ? PROFILE_1_3_EARLY : PROFILES['1.3']
}

/** True when the ends of `s` are not white space (so trim() would leave it as is). */
function cleanEnds(s: string): boolean {
  const n = s.length
  if (n === 0) return true
  const a = s.charCodeAt(0)
  const b = s.charCodeAt(n - 1)
  if (a > 32 && a < 127 && b > 32 && b < 127) return true
  return s.trim() === s
}

function cleanText(s: string, max: number): boolean {
  return s.length <= max || !longerThan(s, max)
}

function isTransliterated(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 60 && (c < 65 || c > 90)) return false
  }
  return true
}

function cleanName(nam: unknown, p: Profile, read: boolean): boolean {
  if (!isPlainObject(nam)) return false
  const fn = nam['fn']
  const fnt = nam['fnt']
  const gn = nam['gn']
  const gnt = nam['gnt']
  if (p.fntRequired ? fnt === undefined : fnt === undefined && gnt === undefined) return false
  let usable = false
  if (fn !== undefined) {
    if (typeof fn !== 'string' || !cleanEnds(fn) || !cleanText(fn, p.maxLen)) return false
    if (fn !== '') usable = true
  }
  if (fnt !== undefined) {
    if (typeof fnt !== 'string' || !cleanText(fnt, p.maxLen) || !isTransliterated(fnt)) return false
    if (fnt !== '') usable = true
  }
  if (gn !== undefined) {
    if (typeof gn !== 'string' || !cleanEnds(gn) || !cleanText(gn, p.maxLen)) return false
    if (gn !== '') usable = true
  }
  if (gnt !== undefined) {
    if (typeof gnt !== 'string' || !cleanText(gnt, p.maxLen) || !isTransliterated(gnt)) return false
    if (gnt !== '') usable = true
  }
  if (read && !usable) return false
  for (const key in nam) {
    if (key !== 'fn' && key !== 'fnt' && key !== 'gn' && key !== 'gnt') return false
  }
  return true
}

/** dob as YYYY, YYYY-MM or YYYY-MM-DD of a real date in 19xx or 20xx, or empty from 1.2. */
function cleanDob(dob: unknown, p: Profile): boolean {
  if (typeof dob !== 'string') return false
  const n = dob.length
  if (n === 0) return p.dob === DOB_1_2
  const century = digits(dob, 0, 2)
  if ((century !== 19 && century !== 20) || digits(dob, 2, 2) < 0) return false
  if (n === 4) return true
  if (n === 7) {
    const month = dob.charCodeAt(4) === 45 ? digits(dob, 5, 2) : -1
    return month >= 1 && month <= 12
  }
  return n === 10 && isRfc3339Date(dob)
}

// VACCINE_ENCODING as a Map (one lookup where hasOwn and a get on a dictionary object were two);
// made on the first clean entry.
let ENCODING_BY_PRODUCT: ReadonlyMap<string, (typeof VACCINE_ENCODING)[string]> | undefined

function cleanEntry(entry: unknown, group: 'v' | 't' | 'r', p: Profile, mode: DccMode): boolean {
  if (!isPlainObject(entry)) return false
  const specs = entrySpecs(group, p)
  const list = specEntries(specs)
  for (let i = 0; i < list.length; i++) {
    // Indexed reads, not [name, spec] = ...: array destructuring goes through the iterator.
    const pair = list[i]!
    const name = pair[0]
    const spec = pair[1]
    const value = entry[name]
    if (value === undefined) {
      if (spec.required) return false
      continue
    }
    if (spec.kind === 'dose') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return false
      if (p.doseMax !== null && value > p.doseMax) return false
      continue
    }
    if (typeof value !== 'string' || !cleanEnds(value)) return false
    // Read mode calls an empty optional field absent, with a warning.
    if (value === '' && !spec.required && mode === 'read') return false
    if (!cleanField(value, spec, mode)) return false
  }
  if (group === 'v') {
    const mp = entry['mp']
    const ma = entry['ma']
    const vp = entry['vp']
    // All three are strings of their value sets here: do they belong together (as
    // checkVaccineConsistency, without building its messages)?
    const rule = (ENCODING_BY_PRODUCT ??= new Map(Object.entries(VACCINE_ENCODING))).get(
      mp as string,
    )
    if (rule === undefined || rule.ma !== ma || !rule.vp.includes(vp as string)) return false
  }
  for (const key in entry) if (!Object.hasOwn(specs, key)) return false
  return true
}

function cleanField(s: string, spec: FieldSpec, mode: DccMode): boolean {
  if (spec.maxLen !== undefined && !cleanText(s, spec.maxLen)) return false
  if (spec.valueSet !== undefined) {
    if (!valueSetMap(spec.valueSet).has(s)) return false
    if (mode === 'issue' && INACTIVE_CODES.has(s)) return false
  }
  if (spec.pattern !== undefined && !spec.pattern.test(s)) return false
  switch (spec.kind) {
    case 'date':
      return isRfc3339Date(s)
    case 'date-or-time':
      return isRfc3339Date(s) || isRfc3339DateTime(s)
    case 'date-time':
      return isRfc3339DateTime(s)
    default:
      return true
  }
}
