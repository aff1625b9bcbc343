import { isRfc3339Date, validateDcc, type DccValidation } from '../../core/dcc/validate-dcc.js'

const NONE: readonly never[] = Object.freeze([])

// The version whose person-field rules the fast checks below cover (1.3.x: names and `ci` up to
// 80 characters, dob YYYY[-MM[-DD]], no dose maximum). Any other version goes to validateDcc.
const FAST_VERSION = /^1\.3\.\d+$/
const TRANSLITERATED = /^[A-Z<]*$/
const ENTRY_KEYS = 10

/**
 * Verdicts of validateDcc on the fields that are the same for every holder of a product under one
 * configuration (ver, tg, vp, mp, ma, co, is): their findings never depend on the person fields,
 * so one full pass of a payload proves them for every later payload with the same key.
 */
type Constants = readonly [ver: string, tg: string, vp: string, mp: string, ma: string, co: string, is: string]
const provenConstants: Constants[] = []
const PROVEN_LIMIT = 1000

// A handful of products: a scan comparing the same string objects beats building a key.
function isProven(c: Constants): boolean {
  for (let i = 0; i < provenConstants.length; i++) {
    const p = provenConstants[i]!
    if (p[3] === c[3] && p[4] === c[4] && p[2] === c[2] && p[6] === c[6] && p[0] === c[0] && p[1] === c[1] && p[5] === c[5]) {
      return true
    }
  }
  return false
}

function codePointsAtMost(s: string, max: number): boolean {
  if (s.length <= max) return true
  let n = 0
  for (const _ of s) if (++n > max) return false
  return true
}

function isCleanText(s: unknown, max: number): boolean {
  return typeof s === 'string' && s.trim() === s && codePointsAtMost(s, max)
}

function isTransliterated(s: unknown): boolean {
  return typeof s === 'string' && s.length <= 80 && TRANSLITERATED.test(s)
}

function isDose(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1
}

// Stricter than the schema (no empty dob): anything unusual is left to validateDcc.
function isIssuableDob(s: unknown): boolean {
  if (typeof s !== 'string') return false
  const c0 = s.charCodeAt(0)
  const c1 = s.charCodeAt(1)
  if (!((c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48))) return false // 19 or 20
  for (let i = 2; i < 4; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  if (s.length === 4) return true
  if (s.length === 7) {
    if (s.charCodeAt(4) !== 45) return false
    const m = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48)
    const d5 = s.charCodeAt(5)
    const d6 = s.charCodeAt(6)
    return d5 >= 48 && d5 <= 57 && d6 >= 48 && d6 <= 57 && m >= 1 && m <= 12
  }
  return s.length === 10 && isRfc3339Date(s)
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/**
 * The fast path: true only when the payload has exactly the shape our builder produces, every
 * person field passes checks at least as strict as validateDcc's, and the constant fields were
 * proven by an earlier full pass. False means "not proven", never "invalid".
 */
function passesFastChecks(payload: unknown): Constants | null {
  if (!isPlainObject(payload)) return null
  const { ver, nam, dob, v } = payload
  if (Object.keys(payload).length !== 4 || typeof ver !== 'string' || !FAST_VERSION.test(ver)) return null
  if (!isPlainObject(nam) || !Array.isArray(v) || v.length !== 1) return null
  const entry: unknown = v[0]
  if (!isPlainObject(entry)) return null
  // Names: fn + fnt always, gn + gnt together or not at all; nothing else.
  const hasGiven = nam['gn'] !== undefined
  if (Object.keys(nam).length !== (hasGiven ? 4 : 2)) return null
  if (!isCleanText(nam['fn'], 80) || !isTransliterated(nam['fnt'])) return null
  if (hasGiven && (!isCleanText(nam['gn'], 80) || !isTransliterated(nam['gnt']))) return null
  if (!isIssuableDob(dob)) return null
  const { tg, vp, mp, ma, dn, sd, dt, co, is, ci } = entry
  if (Object.keys(entry).length !== ENTRY_KEYS) return null
  if (!isDose(dn) || !isDose(sd)) return null
  if (typeof dt !== 'string' || !isRfc3339Date(dt)) return null
  if (!isCleanText(ci, 80)) return null
  if (
    typeof tg !== 'string' ||
    typeof vp !== 'string' ||
    typeof mp !== 'string' ||
    typeof ma !== 'string' ||
    typeof co !== 'string' ||
    typeof is !== 'string'
  ) {
    return null
  }
  return [ver, tg, vp, mp, ma, co, is]
}

/**
 * Validates a payload built by {@link buildVaccinationDcc} with the verdict of
 * `validateDcc(payload, { mode: 'issue' })`, at a fraction of the cost in bulk: the fields that
 * differ per holder get direct checks at least as strict as the reference's, and the fields shared
 * by every holder of a product (ver, tg, vp, mp, ma, co, is) are proven once by a full pass. Any
 * payload the fast path cannot prove (another shape, another schema version, a borderline value)
 * goes to validateDcc, whose result is returned as is: the verdict is always the reference's.
 *
 * @example
 * const r = validateIssuedDcc(built.payload)
 * if (!r.ok) console.log(r.errors)
 */
export function validateIssuedDcc(payload: unknown): DccValidation {
  let key: Constants | null
  try {
    key = passesFastChecks(payload)
  } catch {
    key = null // getters or proxies: validateDcc reports them
  }
  if (key !== null && isProven(key)) {
    return { ok: true, version: (payload as { ver: string }).ver, type: 'v', errors: NONE, warnings: NONE }
  }
  const full = validateDcc(payload, { mode: 'issue' })
  // Only a payload of the fast shape whose person fields passed may prove its constants.
  if (full.ok && key !== null && provenConstants.length < PROVEN_LIMIT) provenConstants.push(key)
  return full
}
