import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadIssuanceBatch,
  loadIssuanceCandidates,
  readWireRecord,
  type IssuanceCandidate,
} from '../../src/storage/certificates/load-issuance-candidates.js'
import type { Storage } from '../../src/storage/storage.js'
import { BACKENDS, dropTestStorage, makePeople, openTestStorage, seedPeople } from './support/issuance-fixtures.js'

const N = 120

/** Reads a batch's flat worker records back into candidates, for comparison with the object API. */
function unpack(batch: Awaited<ReturnType<typeof loadIssuanceBatch>>): IssuanceCandidate[] {
  expect(batch.wireEnds).toHaveLength(batch.people)
  expect(batch.wire.byteLength).toBe(batch.people === 0 ? 0 : batch.wireEnds[batch.people - 1])
  const out: IssuanceCandidate[] = []
  for (let i = 0; i < batch.people; i++) {
    const record = readWireRecord(batch.wire, i === 0 ? 0 : batch.wireEnds[i - 1]!, batch.wireEnds[i]!)
    expect(record.person.cccd).toBe(batch.cccd[i])
    out.push({
      ...record.person,
      phone: batch.phone[i] ?? null,
      email: batch.email[i] ?? null,
      doses: record.doses,
      activeUvci: batch.activeUvci[i] ?? null,
      activeContentHash: record.activeContentHash,
    })
  }
  return out
}

describe.each(BACKENDS)('loadIssuanceBatch on %s', (backend) => {
  let storage: Storage
  const people = makePeople(N)

  beforeAll(async () => {
    ;({ storage } = await openTestStorage(backend, 'batch'))
    // One person with an unlinked dose only: never a candidate.
    people.push({
      cccd: '001099999998',
      fullName: 'Đỗ Chưa Khớp',
      dob: '1999-09-09',
      sex: 'M',
      doses: [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 1, linked: false }],
    })
    // Doses recorded out of date order, and a contact: the batch lists doses by date.
    people[5]!.doses.reverse()
    people[6]!.phone = '0912345678'
    people[6]!.email = 'a@example.vn'
    await seedPeople(storage, people)
    // A dose linked to a CCCD missing from the register: read by the keyset, never a candidate.
    const ghost = people[40]!.cccd.slice(0, -1) + '9'
    expect(people.some((p) => p.cccd === ghost)).toBe(false)
    expect(ghost > people[0]!.cccd && ghost < people[N - 1]!.cccd).toBe(true)
    await storage.db
      .insertInto('dose_records')
      .values({
        person_key: ghost,
        cccd: ghost,
        full_name: 'Ma',
        dob: '1990-01-01',
        sex: 'M',
        product: 'EU/1/20/1528',
        lot: 'GHOST',
        date: '2021-09-01',
        dose_number: 1,
        site_code: 'BM',
        entered_by: 'test',
        entered_at: '2022-01-01T00:00:00.000Z',
        source: 'import',
        import_job_id: null,
        source_row: null,
        linked_cccd: ghost,
        link_status: 'linked',
        link_reason: null,
        link_diff: null,
        linked_at: '2022-01-01T00:00:00.000Z',
      })
      .execute()
  })
  afterAll(async () => {
    if (storage) await dropTestStorage(storage)
  })

  it('pages through every eligible person once, as loadIssuanceCandidates reads them', async () => {
    const reference = (await loadIssuanceCandidates(storage, { after: '', limit: 100_000 })).candidates
    for (const c of reference) c.doses.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.doseNumber - b.doseNumber))
    expect(reference).toHaveLength(N)
    for (const limit of [1, 7, 50, 1000]) {
      const seen: IssuanceCandidate[] = []
      let after = ''
      let pages = 0
      for (;;) {
        const batch = await loadIssuanceBatch(storage, { after, limit })
        expect(batch.people).toBeLessThanOrEqual(limit)
        expect(batch.cursor >= after).toBe(true)
        seen.push(...unpack(batch))
        after = batch.cursor
        pages++
        if (batch.done) break
      }
      expect(seen).toEqual(reference)
      if (limit < 100) expect(pages).toBeGreaterThan(2)
    }
  })

  it('carries the active certificate (uvci for the main thread, hash for the workers)', async () => {
    const p = people[9]!
    await storage.db
      .insertInto('certificates')
      .values({
        uvci: 'URN:UVCI:01:VN:TEST#X',
        person_cccd: p.cccd,
        status: 'active',
        content_hash: 'abc123',
        iat: '2022-01-01T00:00:00.000Z',
        exp: '2023-01-01T00:00:00.000Z',
        kid: 'k',
        hc1: 'HC1:X',
        superseded_by: null,
        revoked_reason: null,
        revoked_at: null,
        run_id: null,
        issued_by: 'test',
        created_at: '2022-01-01T00:00:00.000Z',
      })
      .execute()
    const batch = await loadIssuanceBatch(storage, { after: '', limit: 1000 })
    const i = batch.cccd.indexOf(p.cccd)
    expect(batch.activeUvci[i]).toBe('URN:UVCI:01:VN:TEST#X')
    expect(readWireRecord(batch.wire, i === 0 ? 0 : batch.wireEnds[i - 1]!, batch.wireEnds[i]!).activeContentHash).toBe('abc123')
    expect(batch.activeUvci.filter((u) => u !== null)).toHaveLength(1)
  })
})
