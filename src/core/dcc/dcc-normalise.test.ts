import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dccToEvents, makeEvent, makeEventFieldByField } from './dcc-to-events.js'
import { dccToHolder } from './dcc-to-holder.js'

const vietnamese = {
  ver: '1.3.0',
  nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Bảo Duy', gnt: 'BAO<DUY' },
  dob: '1990-01-02',
  v: [
    {
      tg: '840539006',
      vp: '1119349007',
      mp: 'EU/1/21/1529',
      ma: 'ORG-100030215',
      dn: 2,
      sd: 2,
      dt: '2021-09-15',
      co: 'VN',
      is: 'Ban Co Yeu',
      ci: 'URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF',
    },
  ],
}

describe('dccToHolder', () => {
  it('prefers the names with diacritics, family first', () => {
    expect(dccToHolder(vietnamese)).toEqual({
      name: 'Nguyễn, Bảo Duy',
      familyName: 'Nguyễn',
      givenName: 'Bảo Duy',
      dateOfBirth: '1990-01-02',
    })
  })
  it('falls back to the transliterated names, normalises NFD to NFC and trims', () => {
    expect(dccToHolder({ nam: { fnt: 'NGUYEN', gnt: 'THI<HONG<DAO' }, dob: '1990' })).toEqual({
      name: 'NGUYEN, THI HONG DAO',
      familyName: 'NGUYEN',
      givenName: 'THI HONG DAO',
      dateOfBirth: '1990',
    })
    const h = dccToHolder({ nam: { fn: ' Nguye\u0302\u0303n ', gn: null }, dob: null })
    expect(h).toEqual({ name: 'Nguyễn', familyName: 'Nguyễn', dateOfBirth: '' })
  })
  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (x) => {
        expect(typeof dccToHolder(x).name).toBe('string')
      }),
      { numRuns: 300, seed: 3 },
    )
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom')
        },
      },
    )
    expect(dccToHolder(hostile)).toEqual({ name: '', dateOfBirth: '' })
  })
})

describe('dccToEvents', () => {
  it('names the codes and keeps what the pass says', () => {
    expect(dccToEvents(vietnamese)).toEqual([
      {
        product: 'EU/1/21/1529',
        productName: 'Vaxzevria',
        manufacturer: 'Biontech Manufacturing GmbH',
        vaccineType: 'SARS-CoV-2 mRNA vaccine',
        disease: 'COVID-19',
        date: '2021-09-15',
        doseNumber: 2,
        seriesDoses: 2,
        country: 'VN',
        certificateId: 'URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF',
      },
    ])
  })
  it('reads sloppy entries: lone object, text numbers, date-times, unknown codes, nulls', () => {
    const events = dccToEvents({
      v: {
        mp: ' Sputnik-V ',
        ma: 'Unknown-Maker',
        dn: '1',
        sd: 2.0,
        dt: '2021-06-11T00:00:00Z',
        co: 'vn',
        tg: null,
      },
    })
    expect(events).toEqual([
      {
        product: 'Sputnik-V',
        productName: 'Sputnik-V',
        manufacturer: 'Unknown-Maker',
        date: '2021-06-11',
        doseNumber: 1,
        seriesDoses: 2,
        country: 'VN',
      },
    ])
  })
  it('reads a Date object (CBOR-tagged) as its calendar date', () => {
    expect(
      dccToEvents({ v: [{ mp: 'Abdala', dt: new Date('2021-12-01T00:00:00Z') }] })[0]?.date,
    ).toBe('2021-12-01')
  })
  it('makes each event as the field-by-field path does: keys, order, values (property)', () => {
    const text = fc.option(fc.string({ maxLength: 8 }), { nil: undefined })
    const num = fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined })
    let full = 0
    fc.assert(
      fc.property(
        fc.record({
          product: fc.string({ maxLength: 8 }),
          productName: text,
          manufacturer: text,
          vaccineType: text,
          disease: text,
          date: fc.string({ maxLength: 8 }),
          doseNumber: num,
          seriesDoses: num,
          country: text,
          certificateId: text,
        }),
        (fields) => {
          const event = makeEvent(fields)
          const reference = makeEventFieldByField(fields)
          if (Object.values(fields).every((v) => v !== undefined)) full++
          expect(event).toStrictEqual(reference)
          expect(Object.keys(event)).toEqual(Object.keys(reference))
          expect(JSON.stringify(event)).toBe(JSON.stringify(reference))
        },
      ),
      { numRuns: 2000 },
    )
    // Entries with every field (the literal) were among them.
    expect(full).toBeGreaterThan(50)
  })
  it('gives no events for tests and recoveries', () => {
    expect(dccToEvents({ t: [{ tt: 'LP6464-4' }] })).toEqual([])
    expect(dccToEvents({ r: [{ fr: '2021-01-01' }] })).toEqual([])
  })
  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (x) => {
        expect(Array.isArray(dccToEvents(x))).toBe(true)
        expect(Array.isArray(dccToEvents({ v: x }))).toBe(true)
        expect(Array.isArray(dccToEvents({ v: [x] }))).toBe(true)
      }),
      { numRuns: 300, seed: 5 },
    )
    const hostile = new Proxy([], {
      get: () => {
        throw new Error('boom')
      },
    })
    expect(dccToEvents({ v: hostile })).toEqual([])
  })
})
