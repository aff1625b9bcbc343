import * as nodeCrypto from 'node:crypto'
import { checkVaccineConsistency } from '../../core/dcc/check-vaccine-consistency.js'
import { isRfc3339Date } from '../../core/dcc/validate-dcc.js'
import { VIETNAM_VACCINES, type VietnamVaccine } from '../../core/dcc/vietnam-vaccines.js'
import { VaxpassError } from '../../core/errors.js'
import { splitVietnameseName } from '../identity/split-vietnamese-name.js'
import { transliterateName } from '../identity/transliterate-name.js'
import { generateUvci } from './uvci.js'
import { validateIssuedDcc } from './validate-issued-dcc.js'

/** The holder, as linked to the national register. */
export interface IssuancePerson {
  readonly cccd: string
  /** Family name first, with diacritics (NFC or NFD). */
  readonly fullName: string
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  readonly dob: string
}

/** One recorded dose. */
export interface IssuanceDose {
  /** EU `mp` code (or the short key of {@link VIETNAM_VACCINES}). */
  readonly product: string
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly doseNumber: number
  /** When the record carries them, they must agree with the product. */
  readonly manufacturer?: string | null
  readonly vaccineType?: string | null
}

/** Issuer settings. */
export interface IssuanceConfig {
  /** `v[0].is`, e.g. "Ministry of Health of Viet Nam". */
  readonly issuer: string
  /** `v[0].co` and CWT `iss`; default `VN`. */
  readonly country?: string
  /** Default 12. */
  readonly validityMonths?: number
  /** DCC schema version written; default `1.3.0`. */
  readonly schemaVersion?: string
}

/** A DCC vaccination payload (schema 1.3.x) as we issue it. */
export interface VaccinationDccPayload {
  readonly ver: string
  readonly nam: { readonly fn: string; readonly fnt: string; readonly gn?: string; readonly gnt?: string }
  readonly dob: string
  readonly v: readonly [
    {
      readonly tg: '840539006'
      readonly vp: string
      readonly mp: string
      readonly ma: string
      readonly dn: number
      readonly sd: number
      readonly dt: string
      readonly co: string
      readonly is: string
      readonly ci: string
    },
  ]
}

/** The result of {@link buildVaccinationDcc}: what to sign and what to store. */
export interface BuiltVaccinationDcc {
  readonly payload: VaccinationDccPayload
  readonly uvci: string
  /** CWT iat (whole seconds). */
  readonly iat: Date
  /** CWT exp: iat + validityMonths (calendar months, UTC, clamped to the month's last day). */
  readonly exp: Date
  /** Hash of every input that shapes the certificate: equal hash, same certificate. */
  readonly contentHash: string
}

/** Options of {@link buildVaccinationDcc}. */
export interface BuildVaccinationDccOptions {
  /** Use this UVCI (tests); otherwise a fresh one from `randomBytes`. */
  readonly uvci?: string
  readonly randomBytes?: (n: number) => Uint8Array
  /**
   * The certificate's position in a bulk batch built with this `now`: the fresh UVCI then
   * sorts in storage order (see generateUvci; its time digits are `now`'s milliseconds).
   */
  readonly uvciSequence?: number
}

const DOB_RE = /^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/
const FIRST_DOSES = '2020-12-01' // nothing in any programme before December 2020

const BY_MP = new Map<string, VietnamVaccine>()
for (const v of VIETNAM_VACCINES) {
  BY_MP.set(v.mp, v)
  BY_MP.set(v.key, v)
}

function fail(code: 'ERR_ISSUE_INVALID_PERSON' | 'ERR_ISSUE_NO_DOSES' | 'ERR_ISSUE_INVALID_DOSE' | 'ERR_ISSUE_INCONSISTENT_VACCINE', message: string, details?: Record<string, unknown>): never {
  throw new VaxpassError(code, message, details === undefined ? undefined : { details })
}

// A real calendar day written YYYY-MM-DD (ASCII digits), read by hand: no Date, no regex.
const isRealDate = isRfc3339Date

// One-shot crypto.hash (Node >= 20.12) skips the Hash object: bulk issuing hashes every person.
const oneShotHash = (nodeCrypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash
function sha256Hex(data: string): string {
  return oneShotHash !== undefined
    ? oneShotHash('sha256', data, 'hex')
    : nodeCrypto.createHash('sha256').update(data).digest('hex')
}

// Random bytes drawn from a pooled buffer: one CSPRNG call per 256 UVCIs instead of one each.
let randomPool = new Uint8Array(0)
let randomOffset = 0
function pooledRandomBytes(n: number): Uint8Array {
  if (n > 4096) return globalThis.crypto.getRandomValues(new Uint8Array(n))
  if (randomOffset + n > randomPool.length) {
    randomPool = globalThis.crypto.getRandomValues(new Uint8Array(4096))
    randomOffset = 0
  }
  const out = randomPool.subarray(randomOffset, randomOffset + n)
  randomOffset += n
  return out
}

interface NameParts {
  readonly family: string
  readonly given: string
  readonly fnt: string
  readonly gnt: string
}

// Names repeat a lot (a few thousand family/middle/given combinations cover most people), and
// splitting plus transliterating is a good part of building a payload: remember recent ones.
const NAME_CACHE_LIMIT = 50_000
const nameCache = new Map<string, NameParts>()

function nameParts(fullName: string): NameParts {
  const hit = nameCache.get(fullName)
  if (hit !== undefined) return hit
  const { family, given } = splitVietnameseName(fullName)
  const parts = { family, given, fnt: transliterateName(family), gnt: transliterateName(given) }
  if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear()
  nameCache.set(fullName, parts)
  return parts
}

// Bulk runs build every payload of a batch with the same `now`: derive its dates once.
interface Times {
  readonly nowMs: number
  readonly months: number
  readonly today: string
  readonly iat: Date
  readonly exp: Date
}
let lastTimes: Times | undefined

function timesFor(now: Date, months: number): Times {
  const nowMs = now.getTime()
  if (lastTimes !== undefined && lastTimes.nowMs === nowMs && lastTimes.months === months) return lastTimes
  const iat = new Date(Math.floor(nowMs / 1000) * 1000)
  lastTimes = { nowMs, months, today: now.toISOString().slice(0, 10), iat, exp: addMonthsUtc(iat, months) }
  return lastTimes
}

// A product's codes are checked once per (mp, ma, vp), not once per holder; the usual case (the
// product's own ma and vp, as bulk issuing has it) without building a key.
const consistencyCache = new Map<string, ReturnType<typeof checkVaccineConsistency>>()
const defaultConsistency = new Map<VietnamVaccine, ReturnType<typeof checkVaccineConsistency>>()

function checkDefaultConsistency(vaccine: VietnamVaccine): ReturnType<typeof checkVaccineConsistency> {
  let r = defaultConsistency.get(vaccine)
  if (r === undefined) {
    r = checkVaccineConsistency(vaccine.mp, vaccine.ma, vaccine.vp[0] ?? '')
    defaultConsistency.set(vaccine, r)
  }
  return r
}

function checkConsistencyCached(mp: string, ma: string, vp: string): ReturnType<typeof checkVaccineConsistency> {
  const key = `${mp}\u0000${ma}\u0000${vp}`
  let r = consistencyCache.get(key)
  if (r === undefined) {
    r = checkVaccineConsistency(mp, ma, vp)
    if (consistencyCache.size < 1000) consistencyCache.set(key, r)
  }
  return r
}

/** Adds calendar months in UTC; 31 March + 1 month is 30 April, not 1 May. */
export function addMonthsUtc(date: Date, months: number): Date {
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  const out = new Date(date.getTime())
  out.setUTCDate(1)
  out.setUTCFullYear(y, m, Math.min(date.getUTCDate(), lastDay))
  return out
}

/**
 * Picks the dose a certificate shows: the latest by date, then by dose number.
 *
 * @example
 * latestDose([{ product: 'EU/1/20/1528', date: '2021-06-01', doseNumber: 1 },
 *   { product: 'EU/1/20/1528', date: '2021-07-01', doseNumber: 2 }]).doseNumber // 2
 */
export function latestDose<D extends IssuanceDose>(doses: readonly D[]): D | undefined {
  let best: D | undefined
  for (const d of doses) {
    if (
      best === undefined ||
      d.date > best.date ||
      (d.date === best.date && d.doseNumber > best.doseNumber)
    ) {
      best = d
    }
  }
  return best
}

/**
 * Computes the content hash of a certificate's inputs (every field it shows, and the issuer
 * settings). Same hash, same certificate: issuing again returns the stored one.
 *
 * @example
 * computeContentHash(built.payload) // 32 hex digits
 */
export function computeContentHash(payload: VaccinationDccPayload): string {
  const v = payload.v[0]
  const f = hashFrame(payload.ver, v.mp, v.ma, v.vp, v.co, v.is)
  // Exactly JSON.stringify([ver, fn, gn, dob, mp, ma, vp, dn, sd, dt, co, is]) (the stored
  // hashes depend on it), written out without the intermediate array and with the fields every
  // holder of a product shares quoted once.
  const json =
    `${f.head}${quoteJson(payload.nam.fn)},${quoteJson(payload.nam.gn ?? '')},${quoteJson(payload.dob)}` +
    `${f.mid}${JSON.stringify(v.dn)},${JSON.stringify(v.sd)},${quoteJson(v.dt)}${f.tail}`
  return sha256Hex(json).slice(0, 32)
}

/** The quoted JSON around the per-holder fields of a content hash, for one set of shared fields. */
interface HashFrame {
  readonly key: readonly [ver: string, mp: string, ma: string, vp: string, co: string, is: string]
  /** `[ver,` */
  readonly head: string
  /** `,mp,ma,vp,` */
  readonly mid: string
  /** `,co,is]` */
  readonly tail: string
}
const hashFrames: HashFrame[] = []
const HASH_FRAME_LIMIT = 64

function hashFrame(ver: string, mp: string, ma: string, vp: string, co: string, is: string): HashFrame {
  for (let i = 0; i < hashFrames.length; i++) {
    const k = hashFrames[i]!.key
    if (k[1] === mp && k[2] === ma && k[3] === vp && k[5] === is && k[0] === ver && k[4] === co) return hashFrames[i]!
  }
  const frame: HashFrame = {
    key: [ver, mp, ma, vp, co, is],
    head: `[${quoteJson(ver)},`,
    mid: `,${quoteJson(mp)},${quoteJson(ma)},${quoteJson(vp)},`,
    tail: `,${quoteJson(co)},${quoteJson(is)}]`,
  }
  if (hashFrames.length >= HASH_FRAME_LIMIT) hashFrames.length = 0
  hashFrames.push(frame)
  return frame
}

// Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON.stringify(s) for a string, without the call for the common plain case. */
function quoteJson(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`
}

/**
 * Builds the EU DCC 1.3.x vaccination payload for a person's latest dose, with the 11 fields of
 * Decision 5772/QD-BYT: names split family / middle+given with ICAO 9303 transliteration,
 * `dn`/`sd` (`sd` the product's series, never below `dn`), `mp`/`ma`/`vp` from the product
 * table and checked for consistency, `tg` COVID-19, `co`, `is`, `dob`, a fresh UVCI; `iat` now,
 * `exp` 12 months later. The payload is validated strictly before it is returned (the verdict of
 * `validateDcc` issue mode, computed cheaply by {@link validateIssuedDcc}). Errors: ERR_ISSUE_INVALID_PERSON, ERR_ISSUE_NO_DOSES, ERR_ISSUE_INVALID_DOSE,
 * ERR_ISSUE_INCONSISTENT_VACCINE, ERR_DCC_SCHEMA (with `details.errors`).
 *
 * @example
 * const built = buildVaccinationDcc(
 *   { cccd: '001090012345', fullName: 'Nguyễn Thị Hồng Đào', dob: '1990-04-12' },
 *   [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 2 }],
 *   { issuer: 'Ministry of Health of Viet Nam' },
 *   new Date('2022-03-01T00:00:00Z'),
 * )
 * built.payload.nam // { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Hồng Đào', gnt: 'THI<HONG<DAO' }
 */
export function buildVaccinationDcc(
  person: IssuancePerson,
  doses: readonly IssuanceDose[],
  config: IssuanceConfig,
  now: Date,
  options: BuildVaccinationDccOptions = {},
): BuiltVaccinationDcc {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date')
  const country = config.country ?? 'VN'
  const issuer = (config.issuer ?? '').trim()
  if (issuer === '' || issuer.length > 80) throw new TypeError('config.issuer must be 1 to 80 characters')

  const { family, given, fnt, gnt } = nameParts(person.fullName ?? '')
  if (family === '' || fnt === '') fail('ERR_ISSUE_INVALID_PERSON', 'the holder has no usable family name')
  if (family.length > 80 || given.length > 80) fail('ERR_ISSUE_INVALID_PERSON', 'the holder name is longer than 80 characters')
  if (!DOB_RE.test(person.dob ?? '') || (person.dob.length === 10 && !isRealDate(person.dob))) {
    fail('ERR_ISSUE_INVALID_PERSON', 'the holder date of birth is not YYYY-MM-DD, YYYY-MM or YYYY')
  }

  if (doses.length === 0) fail('ERR_ISSUE_NO_DOSES', 'the holder has no recorded dose')
  const times = timesFor(now, config.validityMonths ?? 12)
  const today = times.today
  for (const d of doses) {
    if (!isRealDate(d.date) || d.date < FIRST_DOSES || d.date > today) {
      fail('ERR_ISSUE_INVALID_DOSE', `dose date ${String(d.date)} is not a real date between ${FIRST_DOSES} and today`)
    }
    if (!Number.isInteger(d.doseNumber) || d.doseNumber < 1 || d.doseNumber > 9) {
      fail('ERR_ISSUE_INVALID_DOSE', `dose number ${String(d.doseNumber)} is not an integer from 1 to 9`)
    }
  }
  const dose = latestDose(doses) as IssuanceDose
  if (person.dob.length === 10 && dose.date < person.dob) {
    fail('ERR_ISSUE_INVALID_DOSE', 'the latest dose is dated before the holder was born')
  }
  const vaccine = BY_MP.get(dose.product)
  if (vaccine === undefined) {
    fail('ERR_ISSUE_INVALID_DOSE', `product ${dose.product} is not a vaccine this issuer certifies`, { mp: dose.product })
  }
  const ma = dose.manufacturer ?? vaccine.ma
  const vp = dose.vaccineType ?? vaccine.vp[0] ?? ''
  const consistency =
    ma === vaccine.ma && vp === (vaccine.vp[0] ?? '')
      ? checkDefaultConsistency(vaccine)
      : checkConsistencyCached(vaccine.mp, ma, vp)
  if (!consistency.ok) {
    fail('ERR_ISSUE_INCONSISTENT_VACCINE', consistency.problems.join('; '), { mp: vaccine.mp, ma, vp })
  }

  // Fresh Date objects: callers own what they get back.
  const iat = new Date(times.iat.getTime())
  const exp = new Date(times.exp.getTime())
  const uvci =
    options.uvci ??
    (options.uvciSequence === undefined
      ? generateUvci(country, options.randomBytes ?? pooledRandomBytes, iat)
      : generateUvci(country, options.randomBytes ?? pooledRandomBytes, now, options.uvciSequence))

  const nam =
    given === ''
      ? { fn: family, fnt }
      : { fn: family, fnt, gn: given, gnt }
  const payload: VaccinationDccPayload = {
    ver: config.schemaVersion ?? '1.3.0',
    nam,
    dob: person.dob,
    v: [
      {
        tg: '840539006',
        vp,
        mp: vaccine.mp,
        ma,
        dn: dose.doseNumber,
        sd: Math.max(vaccine.seriesDoses, dose.doseNumber),
        dt: dose.date,
        co: country,
        is: issuer,
        ci: uvci,
      },
    ],
  }
  // Same verdict as validateDcc issue mode (see validate-issued-dcc.ts), proven once per product.
  const validation = validateIssuedDcc(payload)
  if (!validation.ok) {
    throw new VaxpassError('ERR_DCC_SCHEMA', 'the certificate payload fails strict validation', {
      details: { errors: validation.errors.map((e) => ({ path: e.path, code: e.code, message: e.message })) },
    })
  }
  return { payload, uvci, iat, exp, contentHash: computeContentHash(payload) }
}
