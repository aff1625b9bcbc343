import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadIssuanceBatch,
  loadIssuanceCandidates,
  type IssuanceCandidate,
} from '../../src/storage/certificates/load-issuance-candidates.js'
import type { Storage } from '../../src/storage/storage.js'
import { BACKENDS, dropTestStorage, makePeople, openTestStorage, seedPeople } from './support/issuance-fixtures.js'

const N = 120

/** Reads a batch's flat worker records back into candidates, for comparison with the object API. */
function unpack(batch: Awaited<ReturnType<typeof loadIssuanceBatch>>): IssuanceCandidate[] {
  const out: IssuanceCandidate[] = []
  for (let i = 0; i < batch.people; i++) {
    let at = batch.offsets[i]!
    const [cccd, fullName, dob, hash, n] = batch.wire.slice(at, at + 5) as [string, string, string, string, number]
    at += 5
    const doses = []
    for (let j = 0; j < n; j++, at += 3) {
      doses.push({ product: batch.wire[at] as string, date: batch.wire[at + 1] as string, doseNumber: batch.wire[at + 2] as number })
    }
    expect(at).toBe(batch.offsets[i + 1])
    expect(cccd).toBe(batch.cccd[i])
    out.push({
      cccd,
      fullName,
      dob,
      phone: batch.phone[i] ?? null,
      email: batch.email[i] ?? null,
      doses,
      activeUvci: batch.activeUvci[i] ?? null,
      activeContentHash: hash === '' ? null : hash,
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
    await seedPeople(storage, people)
  })
  afterAll(async () => {
    if (storage) await dropTestStorage(storage)
  })

  it('pages through every eligible person once, never splitting one, as loadIssuanceCandidates does', async () => {
    for (const limit of [16, 17, 50, 1000]) {
      const seen: IssuanceCandidate[] = []
      let after = ''
      let pages = 0
      for (;;) {
        const batch = await loadIssuanceBatch(storage, { after, limit })
        const reference = await loadIssuanceCandidates(storage, { after, limit })
        const got = unpack(batch)
        expect(got).toEqual(reference.candidates)
        expect(batch.cursor).toBe(reference.cursor)
        expect(batch.done).toBe(reference.done)
        seen.push(...got)
        after = batch.cursor
        pages++
        if (batch.done) break
      }
      const eligible = people.slice(0, N).sort((a, b) => (a.cccd < b.cccd ? -1 : 1))
      expect(seen.map((c) => c.cccd)).toEqual(eligible.map((p) => p.cccd))
      for (const [i, c] of seen.entries()) expect(c.doses).toHaveLength(eligible[i]!.doses.length)
      if (limit < 100) expect(pages).toBeGreaterThan(2)
    }
  })
})
