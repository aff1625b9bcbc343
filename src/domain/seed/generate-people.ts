import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'
import { VN_PROVINCES } from '../identity/provinces.js'
import type { Sex } from '../identity/types.js'
import { centurySexDigit } from '../identity/validate-cccd.js'
import { normaliseName } from '../identity/normalise-name.js'
import { createPrng, createWeightedPicker } from './create-prng.js'
import type { Prng, WeightedPicker } from './create-prng.js'
import { dayOf, isoOfDay } from './seed-dates.js'
import { listSitesForProvince } from './sites-for-province.js'
import type { SeedSite } from './sites-for-province.js'
import {
  FAMILY_NAMES,
  FEMALE_GIVEN_NAMES,
  FEMALE_MIDDLE_NAMES,
  MALE_GIVEN_NAMES,
  MALE_MIDDLE_NAMES,
  NAME_SOUTH_VARIANTS,
} from './vietnamese-names.js'

/** Options of {@link generatePeople}. */
export interface SeedOptions {
  /** How many people (register entries) to generate. */
  readonly people: number
  /** Seed of the generator: the same seed gives the same data, byte for byte. Default 1. */
  readonly seed?: number | string
  /** Last day of the dose history, `YYYY-MM-DD`; ages are counted on it. Default 2022-08-31. */
  readonly asOf?: string
}

/** A defect a site made when entering a dose record (what linkage must find). */
export type SeedDefect =
  'name_no_diacritics' | 'name_typo' | 'dob_wrong' | 'id_missing' | 'id_typo' | 'sex_wrong'

/** A register row: the CSV `cccd,full_name,dob,sex,province_code,phone,email` ('' for none). */
export interface SeedRegisterRow {
  readonly cccd: string
  readonly fullName: string
  readonly dob: string
  readonly sex: Sex
  readonly provinceCode: string
  readonly phone: string
  readonly email: string
}

/** A dose record as a site exports it: `cccd,full_name,dob,sex,product,lot,date,dose_number,site_code`. */
export interface SeedDoseRow {
  readonly cccd: string
  readonly fullName: string
  readonly dob: string
  readonly sex: Sex
  /** EU `mp` code. */
  readonly product: string
  readonly lot: string
  readonly date: string
  readonly doseNumber: number
  readonly siteCode: string
}

/** A dose administered: the row as entered (with any defect), and whether it was entered at all. */
export interface SeedDose {
  readonly row: SeedDoseRow
  /** False for the ~4% of doses given but never entered (still in the site's daily report). */
  readonly entered: boolean
  readonly defect: SeedDefect | null
}

/** One person: their register row and every dose they received. */
export interface SeedPerson {
  readonly register: SeedRegisterRow
  /** False for the few people missing from the register snapshot (their row is not written). */
  readonly inRegister: boolean
  readonly doses: readonly SeedDose[]
}

const DEFAULT_AS_OF = '2022-08-31'
const FIRST_DOSE_DAY = dayOf('2021-03-08')

// Age bands at asOf: [from, to] years, share in percent (Vietnam, around 2021).
const AGE_BANDS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 4, 7.5],
  [5, 11, 11],
  [12, 17, 9],
  [18, 29, 17],
  [30, 44, 24],
  [45, 59, 19],
  [60, 74, 9.5],
  [75, 99, 3],
]

// Where people who move away from their birth province live.
const MIGRATION: ReadonlyArray<readonly [string, number]> = [
  ['079', 40],
  ['074', 20],
  ['001', 20],
  ['075', 10],
  ['048', 10],
]

const PHONE_PREFIXES: readonly string[] = [
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '086',
  '096',
  '097',
  '098',
  '070',
  '076',
  '077',
  '078',
  '079',
  '089',
  '090',
  '093',
  '081',
  '082',
  '083',
  '084',
  '085',
  '088',
  '091',
  '094',
  '056',
  '058',
]
// Reserved example domains (RFC 2606): synthetic addresses must never reach a real inbox.
const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.net', 'example.org']

const byKey = (key: string): string => {
  const v = VIETNAM_VACCINES.find((x) => x.key === key)
  if (v === undefined) throw new RangeError(`VIETNAM_VACCINES lacks ${key}`)
  return v.mp
}
const MP = {
  comirnaty: byKey('comirnaty'),
  spikevax: byKey('spikevax'),
  vaxzevria: byKey('vaxzevria'),
  janssen: byKey('janssen'),
  sputnik: byKey('sputnik-v'),
  sinopharm: byKey('sinopharm'),
  hayat: byKey('hayat-vax'),
  abdala: byKey('abdala'),
  covaxin: byKey('covaxin'),
}

/** Per product: primary series doses, days between primary doses [min, max], lot prefix. */
const PRODUCT_PLAN: ReadonlyMap<string, { series: number; gap: [number, number]; lot: string }> =
  new Map([
    [MP.comirnaty, { series: 2, gap: [21, 42], lot: 'FK' }],
    [MP.spikevax, { series: 2, gap: [28, 42], lot: 'MD' }],
    [MP.vaxzevria, { series: 2, gap: [56, 84], lot: 'AZ' }],
    [MP.janssen, { series: 1, gap: [0, 0], lot: 'JN' }],
    [MP.sputnik, { series: 2, gap: [21, 28], lot: 'SP' }],
    [MP.sinopharm, { series: 2, gap: [21, 35], lot: 'VC' }],
    [MP.hayat, { series: 2, gap: [21, 35], lot: 'HV' }],
    [MP.abdala, { series: 3, gap: [14, 17], lot: 'AB' }],
    [MP.covaxin, { series: 2, gap: [28, 42], lot: 'CX' }],
  ])

/** Index of a site code into per-site entry rates. */
function siteEntryRate(code: string): number {
  // A stable per-site rate between 0.88 and 0.995 (mean about 0.957): some sites enter less.
  let h = 2166136261
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619)
  const u = (h >>> 0) / 4294967296
  return 0.88 + 0.115 * Math.sqrt(u)
}

/** Samples a triangular distribution on [a, b] with mode c, as a whole day. */
function triangularDay(rng: Prng, a: number, b: number, c: number): number {
  const u = rng.float()
  const f = (c - a) / (b - a)
  const x =
    u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c))
  return Math.floor(x)
}

function zipfWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / (i + 3))
}

interface Pickers {
  family: WeightedPicker<string>
  maleMiddle: WeightedPicker<string>
  femaleMiddleOld: WeightedPicker<string>
  femaleMiddleYoung: WeightedPicker<string>
  maleGiven: WeightedPicker<string>
  femaleGiven: WeightedPicker<string>
  ageBand: WeightedPicker<readonly [number, number, number]>
  birthProvince: WeightedPicker<string>
  migration: WeightedPicker<string>
  adultPrimary: WeightedPicker<string>
  booster: WeightedPicker<string>
  child: WeightedPicker<string>
  sites: Map<string, { all: readonly SeedSite[]; weighted: WeightedPicker<SeedSite> }>
}

function buildPickers(): Pickers {
  const pairs = <T>(rows: ReadonlyArray<readonly [T, number]>): WeightedPicker<T> =>
    createWeightedPicker(
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
    )
  const sites = new Map<string, { all: readonly SeedSite[]; weighted: WeightedPicker<SeedSite> }>()
  for (const p of VN_PROVINCES) {
    const all = listSitesForProvince(p.code)
    sites.set(p.code, {
      all,
      weighted: createWeightedPicker(
        all,
        all.map((s) => (s.kind === 'hospital' ? 3 : 1)),
      ),
    })
  }
  return {
    family: pairs(FAMILY_NAMES),
    maleMiddle: pairs(MALE_MIDDLE_NAMES),
    femaleMiddleOld: pairs(FEMALE_MIDDLE_NAMES),
    femaleMiddleYoung: pairs(
      FEMALE_MIDDLE_NAMES.map(([n, w]) => [n, n === 'Thị' ? 12 : w] as const),
    ),
    maleGiven: createWeightedPicker(MALE_GIVEN_NAMES, zipfWeights(MALE_GIVEN_NAMES.length)),
    femaleGiven: createWeightedPicker(FEMALE_GIVEN_NAMES, zipfWeights(FEMALE_GIVEN_NAMES.length)),
    ageBand: createWeightedPicker(
      AGE_BANDS,
      AGE_BANDS.map((b) => b[2]),
    ),
    birthProvince: createWeightedPicker(
      VN_PROVINCES.map((p) => p.code),
      VN_PROVINCES.map((p) => p.population),
    ),
    migration: pairs(MIGRATION),
    adultPrimary: pairs([
      [MP.sinopharm, 30],
      [MP.vaxzevria, 28],
      [MP.comirnaty, 22],
      [MP.spikevax, 8],
      [MP.abdala, 6],
      [MP.sputnik, 2],
      [MP.janssen, 2],
      [MP.hayat, 1.5],
      [MP.covaxin, 0.5],
    ]),
    booster: pairs([
      [MP.comirnaty, 45],
      [MP.vaxzevria, 30],
      [MP.spikevax, 25],
    ]),
    child: pairs([
      [MP.comirnaty, 75],
      [MP.spikevax, 25],
    ]),
    sites,
  }
}

/** The Vietnamese full name of a new person. */
function makeName(rng: Prng, k: Pickers, sex: Sex, birthYear: number, south: boolean): string {
  let family = k.family.pick(rng)
  const variant = NAME_SOUTH_VARIANTS[family]
  if (south && variant !== undefined && rng.chance(0.85)) family = variant
  const parts = [family]
  if (!rng.chance(0.03)) {
    const middle =
      sex === 'M' ? k.maleMiddle : birthYear >= 1995 ? k.femaleMiddleYoung : k.femaleMiddleOld
    const m1 = middle.pick(rng)
    parts.push(m1)
    // A second middle name follows the plain Văn/Thị: "Nguyễn Thị Hồng Đào".
    if ((m1 === 'Thị' || m1 === 'Văn') && rng.chance(0.1)) {
      const m2 = middle.pick(rng)
      if (m2 !== 'Thị' && m2 !== 'Văn') parts.push(m2)
    }
  }
  let given = (sex === 'M' ? k.maleGiven : k.femaleGiven).pick(rng)
  if (given === parts[parts.length - 1])
    given = (sex === 'M' ? k.maleGiven : k.femaleGiven).pick(rng)
  parts.push(given)
  return parts.join(' ')
}

/** Introduces a spelling mistake that survives name normalisation. */
function typoName(rng: Prng, name: string): string {
  const key = normaliseName(name)
  for (let attempt = 0; attempt < 5; attempt++) {
    const chars = [...name]
    const i = 1 + rng.int(chars.length - 1)
    const op = rng.int(3)
    if (op === 0) chars.splice(i, 1)
    else if (op === 1) chars.splice(i, 0, chars[i - 1] as string)
    else if (i + 1 < chars.length) {
      const t = chars[i] as string
      chars[i] = chars[i + 1] as string
      chars[i + 1] = t
    }
    const out = chars.join('').replace(/\s+/g, ' ').trim()
    if (normaliseName(out) !== key && out.length > 0) return out
  }
  return `${name}h`
}

const foldCache = new Map<string, string>()

/** `given.middle.family` in lower-case ASCII; name words repeat, so folds are cached. */
function emailLocalPart(fullName: string): string {
  const words = fullName.split(' ')
  let out = ''
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i] as string
    let f = foldCache.get(w)
    if (f === undefined) foldCache.set(w, (f = normaliseName(w)))
    out += i === words.length - 1 ? f : `.${f}`
  }
  return out
}

function stripDiacritics(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd')
}

/** A plausible wrong birth date: day and month swapped, a few days off, or a year off. */
function wrongDob(rng: Prng, dob: string): string {
  const y = Number(dob.slice(0, 4))
  const m = Number(dob.slice(5, 7))
  const d = Number(dob.slice(8, 10))
  if (d <= 12 && d !== m && rng.chance(0.5)) {
    return `${y}-${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}`
  }
  if (rng.chance(0.3))
    return `${y + (rng.chance(0.5) ? 1 : -1)}${dob.slice(4)}`.replace(/-02-29$/, '-02-28')
  const shift = (1 + rng.int(10)) * (rng.chance(0.5) ? 1 : -1)
  return isoOfDay(dayOf(dob) + shift)
}

function typoId(rng: Prng, id: string): string {
  const i = 6 + rng.int(6)
  switch (rng.int(3)) {
    case 0:
      return id.slice(0, i) + id.slice(i + 1) // a digit dropped: malformed
    case 1: {
      const digit = String((Number(id[i]) + 1 + rng.int(9)) % 10)
      return id.slice(0, i) + digit + id.slice(i + 1) // a digit wrong: someone else, or nobody
    }
    default: {
      const j = i === 11 ? 10 : i
      if (id[j] === id[j + 1])
        return id.slice(0, j) + String((Number(id[j]) + 1) % 10) + id.slice(j + 1)
      return id.slice(0, j) + (id[j + 1] as string) + (id[j] as string) + id.slice(j + 2)
    }
  }
}

/**
 * Generates synthetic people (register rows) with their dose history, one at a time, so that
 * millions cost constant memory (apart from one counter per CCCD prefix). Deterministic: the
 * same options give the same people in the same order.
 *
 * What it models: age bands of Vietnam's population; provinces by population (birth province
 * in the CCCD, some people living elsewhere); names at realistic frequencies (southern Huỳnh/Võ);
 * CCCDs that follow the rules and are unique; phones and (reserved-domain) e-mails; the nine
 * vaccines with plausible dates from 8 March 2021 (adults first, 12-17 from late 2021, 5-11 from
 * April 2022), 1 to 4 doses, Abdala's 3-dose series, boosters; a favourite site per person;
 * about 4% of doses never entered (per-site rates 88-99.5%); about 5% of entered rows with a
 * defect (see {@link SeedDefect}); 0.3% of people missing from the register; a few elderly
 * people with only a birth year in the register.
 *
 * @example
 * for (const person of generatePeople({ people: 1000, seed: 42 })) {
 *   console.log(person.register.fullName, person.doses.length)
 * }
 */
export function* generatePeople(options: SeedOptions): Generator<SeedPerson> {
  if (!Number.isInteger(options.people) || options.people < 0) {
    throw new TypeError('people must be a non-negative integer')
  }
  const rng = createPrng(options.seed ?? 1)
  const asOfDay = dayOf(options.asOf ?? DEFAULT_AS_OF)
  const k = buildPickers()
  const cccdCounters = new Map<string, number>()
  const siteRates = new Map<string, number>()
  const rateOf = (code: string): number => {
    let r = siteRates.get(code)
    if (r === undefined) siteRates.set(code, (r = siteEntryRate(code)))
    return r
  }
  const adultWindow = [FIRST_DOSE_DAY, dayOf('2022-03-31'), dayOf('2021-09-10')] as const
  const teenWindow = [dayOf('2021-10-27'), dayOf('2022-03-31'), dayOf('2021-11-20')] as const
  const childWindow = [dayOf('2022-04-14'), dayOf('2022-10-31'), dayOf('2022-05-15')] as const
  const booster1Start = dayOf('2021-11-20')
  const teenBoosterStart = dayOf('2022-06-01')
  const booster2Start = dayOf('2022-05-20')

  for (let n = 0; n < options.people; n++) {
    const sex: Sex = rng.chance(0.5) ? 'M' : 'F'
    const band = k.ageBand.pick(rng)
    const age = rng.between(band[0], band[1])
    const dobDay = asOfDay - Math.floor(age * 365.25) - rng.int(365)
    const fullDob = isoOfDay(dobDay)
    const birthYear = Number(fullDob.slice(0, 4))
    const birthProvince = k.birthProvince.pick(rng)
    const residence = rng.chance(0.1) ? k.migration.pick(rng) : birthProvince

    // Unique CCCD: a counter per prefix, spread over the six random digits by a bijection.
    const prefix = `${birthProvince}${centurySexDigit(birthYear, sex)}${fullDob.slice(2, 4)}`
    const count = cccdCounters.get(prefix) ?? 0
    if (count >= 1_000_000) throw new RangeError(`CCCD space exhausted for prefix ${prefix}`)
    cccdCounters.set(prefix, count + 1)
    const suffix = (count * 738_317 + Number(prefix) * 7_919) % 1_000_000
    const cccd = prefix + String(suffix).padStart(6, '0')

    const fullName = makeName(rng, k, sex, birthYear, birthProvince >= '049')
    // Some elderly people are registered with only a birth year; sites then write 1 January.
    const partialDob = birthYear < 1950 && rng.chance(0.05)
    const dob = partialDob ? String(birthYear) : fullDob
    const recordDob = partialDob ? `${birthYear}-01-01` : fullDob
    const phone = rng.chance(0.92)
      ? `${PHONE_PREFIXES[rng.int(PHONE_PREFIXES.length)] as string}${String(rng.int(10_000_000)).padStart(7, '0')}`
      : ''
    const email = rng.chance(0.35)
      ? `${emailLocalPart(fullName)}${rng.int(1000)}@${EMAIL_DOMAINS[rng.int(EMAIL_DOMAINS.length)] as string}`
      : ''
    const register: SeedRegisterRow = {
      cccd,
      fullName,
      dob,
      sex,
      provinceCode: residence,
      phone,
      email,
    }
    const inRegister = !rng.chance(0.003)

    // Dose plan: [product, day] per dose.
    const plan: Array<[string, number]> = []
    const series = (product: string, firstDay: number, doses: number): void => {
      const p = PRODUCT_PLAN.get(product)!
      let day = firstDay
      for (let i = 0; i < doses; i++) {
        if (i > 0) day += rng.between(p.gap[0], p.gap[1])
        plan.push([product, day])
      }
    }
    const lastDay = (): number => (plan[plan.length - 1] as [string, number])[1]
    if (age >= 18) {
      if (rng.chance(0.97)) {
        const product = k.adultPrimary.pick(rng)
        const p = PRODUCT_PLAN.get(product)!
        series(product, triangularDay(rng, ...adultWindow), rng.chance(0.96) ? p.series : 1)
        if (plan.length === p.series && rng.chance(0.7)) {
          plan.push([
            k.booster.pick(rng),
            Math.max(lastDay() + rng.between(90, 200), booster1Start + rng.int(60)),
          ])
          if (rng.chance(age >= 50 ? 0.35 : 0.1)) {
            plan.push([
              k.booster.pick(rng),
              Math.max(lastDay() + rng.between(120, 200), booster2Start + rng.int(60)),
            ])
          }
        }
      }
    } else if (age >= 12) {
      if (rng.chance(0.95)) {
        series(k.child.pick(rng), triangularDay(rng, ...teenWindow), rng.chance(0.95) ? 2 : 1)
        if (plan.length === 2 && rng.chance(0.35)) {
          plan.push([
            MP.comirnaty,
            Math.max(lastDay() + rng.between(120, 180), teenBoosterStart + rng.int(60)),
          ])
        }
      }
    } else if (age >= 5) {
      if (rng.chance(0.55)) {
        series(k.child.pick(rng), triangularDay(rng, ...childWindow), rng.chance(0.65) ? 2 : 1)
      }
    }

    const doses: SeedDose[] = []
    if (plan.length > 0) {
      const sites = k.sites.get(residence)!
      const favourite = sites.weighted.pick(rng)
      for (let i = 0; i < plan.length && i < 4; i++) {
        const [product, day] = plan[i] as [string, number]
        if (day > asOfDay) break
        const site = rng.chance(0.75) ? favourite : sites.all[rng.int(sites.all.length)]!
        const lotPlan = PRODUCT_PLAN.get(product)!
        const lot = `${lotPlan.lot}${String(Math.floor((day - FIRST_DOSE_DAY) / 10) * 4 + rng.int(4)).padStart(4, '0')}`
        const entered = rng.float() < rateOf(site.code)
        let row: SeedDoseRow = {
          cccd,
          fullName,
          dob: recordDob,
          sex,
          product,
          lot,
          date: isoOfDay(day),
          doseNumber: i + 1,
          siteCode: site.code,
        }
        let defect: SeedDefect | null = null
        const r = rng.float()
        if (r < 0.015) {
          defect = 'name_no_diacritics'
          row = { ...row, fullName: stripDiacritics(fullName) }
          if (row.fullName === fullName) defect = null
        } else if (r < 0.023) {
          defect = 'name_typo'
          row = { ...row, fullName: typoName(rng, fullName) }
        } else if (r < 0.031) {
          defect = 'dob_wrong'
          row = { ...row, dob: wrongDob(rng, recordDob) }
        } else if (r < 0.041) {
          defect = 'id_missing'
          row = { ...row, cccd: '' }
        } else if (r < 0.045) {
          defect = 'id_typo'
          row = { ...row, cccd: typoId(rng, cccd) }
        } else if (r < 0.047) {
          defect = 'sex_wrong'
          row = { ...row, sex: sex === 'M' ? 'F' : 'M' }
        }
        doses.push({ row, entered, defect })
      }
    }
    yield { register, inRegister, doses }
  }
}
