import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { linkIdentity } from '../../domain/identity/link-identity.js'
import { normaliseName } from '../../domain/identity/normalise-name.js'
import type { RegisterEntry } from '../../domain/identity/types.js'
import type { RegisterLookup } from '../../domain/registry/register-lookup.js'
import type { Storage } from '../storage.js'
import { cccdAgreesWith } from '../../domain/identity/cccd-agrees-with.js'
import { cccdDigitsAgree, linkIdentities, type RecordIdentity } from './link-dose-records.js'

/** An in-memory register: what the table lookup returns, without a database. */
function lookupOf(entries: readonly RegisterEntry[]): RegisterLookup {
  return {
    async findByIds(ids) {
      const want = new Set(ids)
      return entries.filter((e) => want.has(e.cccd))
    },
    async findByNameKeys(keys) {
      const want = new Set(keys)
      return entries
        .filter((e) => want.has(normaliseName(e.fullName)))
        .map((entry) => ({ nameKey: normaliseName(entry.fullName), entry }))
    },
  }
}

const NAMES = ['Nguyễn Văn An', 'Trần Thị Hoa', 'Lê Minh Tuấn', 'Đặng Ngọc Yến']

const entryArb = fc
  .record({
    province: fc.constantFrom('001', '079', '048', '999'),
    year: fc.integer({ min: 1899, max: 2010 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    female: fc.boolean(),
    serial: fc.integer({ min: 0, max: 999_999 }),
    name: fc.constantFrom(...NAMES),
  })
  .map((p): RegisterEntry => {
    const century = p.year >= 2000 ? 2 : p.year >= 1900 ? 0 : 8
    const digit = century + (p.female ? 1 : 0)
    const yy = String(p.year % 100).padStart(2, '0')
    return {
      cccd: `${p.province}${digit}${yy}${String(p.serial).padStart(6, '0')}`,
      fullName: p.name,
      dob: `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
      sex: p.female ? 'F' : 'M',
    }
  })

/** A record made from an entry, often exactly equal, sometimes changed in one field. */
const recordArb = (e: RegisterEntry) =>
  fc
    .constantFrom('same', 'same', 'same', 'upper', 'nfd', 'dob', 'partial', 'sex', 'noid', 'badid')
    .map((how): RecordIdentity => {
      const r = {
        cccd: e.cccd as string | null,
        full_name: e.fullName,
        dob: e.dob,
        sex: e.sex as string,
      }
      if (how === 'upper') r.full_name = e.fullName.toUpperCase()
      if (how === 'nfd') r.full_name = e.fullName.normalize('NFD')
      if (how === 'dob') r.dob = `${e.dob.slice(0, 8)}${e.dob.endsWith('01') ? '02' : '01'}`
      if (how === 'partial') r.dob = e.dob.slice(0, 4)
      if (how === 'sex') r.sex = e.sex === 'M' ? 'F' : 'M'
      if (how === 'noid') r.cccd = null
      if (how === 'badid') r.cccd = `${e.cccd.slice(0, 11)}x`
      return r
    })

describe('linkIdentities', () => {
  it('gives exactly what linkIdentity gives, fast path included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { minLength: 1, maxLength: 8 }).chain((entries) =>
          fc.tuple(
            fc.constant(entries),
            fc.array(
              fc
                .integer({ min: 0, max: entries.length - 1 })
                .chain((i) => recordArb(entries[i] as RegisterEntry)),
              { minLength: 1, maxLength: 12 },
            ),
          ),
        ),
        async ([entries, records]) => {
          const outcomes = await linkIdentities({} as Storage, records, lookupOf(entries))
          records.forEach((r, i) => {
            const id = (r.cccd ?? '').trim()
            const candidates =
              id !== ''
                ? entries.filter((e) => e.cccd === id)
                : entries.filter((e) => normaliseName(e.fullName) === normaliseName(r.full_name))
            const want = linkIdentity(
              { cccd: id, fullName: r.full_name, dob: r.dob, sex: r.sex },
              candidates,
            )
            const got = outcomes[i]
            expect(got?.status).toBe(want.status)
            expect(got?.linkedCccd).toBe(want.status === 'linked' ? (want.cccd ?? null) : null)
            expect(got?.diff).toBe(
              want.differences.length === 0 && want.cccd === undefined
                ? null
                : JSON.stringify({ candidate: want.cccd ?? null, differences: want.differences }),
            )
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('linkIdentities with a legacy 9-digit CMND', () => {
  const storage = {} as Storage
  const entry: RegisterEntry = {
    cccd: '001085012345',
    fullName: 'Nguyễn Văn An',
    dob: '1985-03-02',
    sex: 'M',
  }

  it('finds the register entry by name and birth date and links it', async () => {
    const [out] = await linkIdentities(
      storage,
      [{ cccd: '012345678', full_name: 'NGUYEN VAN AN', dob: '1985-03-02', sex: 'M' }],
      lookupOf([entry]),
    )
    expect(out?.status).toBe('linked')
    expect(out?.linkedCccd).toBe('001085012345')
  })

  it('still reports a birth date that differs, and not_found for an unknown name', async () => {
    const outs = await linkIdentities(
      storage,
      [
        { cccd: '012345678', full_name: 'Nguyễn Văn An', dob: '1986-03-02', sex: 'M' },
        { cccd: '012345678', full_name: 'Phạm Thị Lan', dob: '1985-03-02', sex: 'F' },
      ],
      lookupOf([entry]),
    )
    expect(outs.map((o) => o.status)).toEqual(['not_found', 'not_found'])
    expect(outs.every((o) => o.linkedCccd === null)).toBe(true)
  })
})

describe('cccdDigitsAgree', () => {
  it('is true exactly when cccdAgreesWith checks the ID and finds no disagreement', () => {
    const digit = fc.integer({ min: 0, max: 9 }).map(String)
    const idArb = fc.oneof(
      // Mostly well-formed: a province (known or not), a century/sex digit, a year, a serial.
      fc
        .tuple(
          fc.constantFrom('001', '079', '048', '096', '000', '999'),
          fc.integer({ min: 0, max: 9 }),
          fc.integer({ min: 0, max: 99 }),
          fc.integer({ min: 0, max: 999_999 }),
        )
        .map(
          ([p, c, y, s]) => `${p}${c}${String(y).padStart(2, '0')}${String(s).padStart(6, '0')}`,
        ),
      fc.array(digit, { minLength: 11, maxLength: 13 }).map((d) => d.join('')),
      fc.string({ minLength: 12, maxLength: 12 }),
    )
    const dobArb = fc
      .tuple(
        fc.integer({ min: 1800, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
    fc.assert(
      fc.property(idArb, dobArb, fc.constantFrom('M', 'F'), fc.boolean(), (id, dob, sex, align) => {
        // Half the time the birth year is the ID's own, so that agreement is common too.
        const c = id.charCodeAt(3) - 48
        const d =
          align && id.length === 12 && c >= 0 && c <= 9
            ? `${19 + (c >> 1)}${id.slice(4, 6)}${dob.slice(4)}`
            : dob
        const a = cccdAgreesWith(id, { dob: d, sex })
        const want = 'checked' in a && a.checked && a.disagreements.length === 0
        expect(cccdDigitsAgree(id, d, sex)).toBe(want)
      }),
      { numRuns: 5000 },
    )
  })
})
