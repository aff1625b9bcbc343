import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeIssuedBatch } from '../../src/storage/certificates/write-certificates.js'
import type { Storage } from '../../src/storage/storage.js'
import { BACKENDS, dropTestStorage, openTestStorage } from './support/issuance-fixtures.js'

const now = new Date('2022-03-01T00:00:00Z')
const exp = new Date('2023-03-01T00:00:00Z')

describe.each(BACKENDS)('writeIssuedBatch on %s', (backend) => {
  let storage: Storage
  let runId = 0

  beforeAll(async () => {
    ;({ storage } = await openTestStorage(backend, 'write'))
  })
  afterAll(async () => {
    if (storage) await dropTestStorage(storage)
  })

  // The batch's shared values go into the SQL text when they are plain ASCII (quotes doubled),
  // and are bound otherwise: both must store exactly what was given.
  it.each([
    ['plain', 'system:cli', 'abcd+/=='],
    ['with quotes', "o'brien'); DROP TABLE certificates; --", "k'id"],
    ['not ASCII', 'nhân viên Đào', 'kid\u00e9'],
  ])('stores the rows, messages and supersessions as given (%s)', async (_label, actor, kid) => {
    runId++
    const tag = `${runId}`
    const uvci = [`URN:UVCI:01:VN:A${tag}#1`, `URN:UVCI:01:VN:B${tag}#2`]
    const person = [`00100000000${tag}`, `00100000001${tag}`]
    await storage.db
      .insertInto('issue_runs')
      .values({ id: runId, status: 'running', cursor: '', actor, started_at: now.toISOString(), updated_at: now.toISOString(), finished_at: null })
      .execute()
    await writeIssuedBatch(
      storage,
      { kid, iat: now, exp, uvci, personCccd: person, contentHash: ['h1', 'h2'], hc1: ['HC1:ONE', new TextEncoder().encode('HC1:TWO')], supersedes: [null, null], phone: ['0912345678', null], email: [null, null] },
      { now, actor, runId },
    )
    // A second batch supersedes the first person's certificate.
    const next = `URN:UVCI:01:VN:C${tag}#3`
    await writeIssuedBatch(
      storage,
      { kid, iat: now, exp, uvci: [next], personCccd: [person[0]!], contentHash: ['h3'], hc1: ['HC1:THREE'], supersedes: [uvci[0]!], phone: [null], email: ['a@example.vn'] },
      { now, actor, runId },
    )
    // An HC1 given as bytes is stored as the same text (a TEXT value, not a BLOB).
    const rows = await storage.db.selectFrom('certificates').selectAll().where('run_id', '=', runId).orderBy('uvci').execute()
    expect(rows.map((r) => ({ ...r, run_id: Number(r.run_id) }))).toEqual([
      { uvci: uvci[0], person_cccd: person[0], status: 'superseded', content_hash: 'h1', iat: now.toISOString(), exp: exp.toISOString(), kid, hc1: 'HC1:ONE', superseded_by: next, revoked_reason: null, revoked_at: null, run_id: runId, issued_by: actor, created_at: now.toISOString() },
      { uvci: uvci[1], person_cccd: person[1], status: 'active', content_hash: 'h2', iat: now.toISOString(), exp: exp.toISOString(), kid, hc1: 'HC1:TWO', superseded_by: null, revoked_reason: null, revoked_at: null, run_id: runId, issued_by: actor, created_at: now.toISOString() },
      { uvci: next, person_cccd: person[0], status: 'active', content_hash: 'h3', iat: now.toISOString(), exp: exp.toISOString(), kid, hc1: 'HC1:THREE', superseded_by: null, revoked_reason: null, revoked_at: null, run_id: runId, issued_by: actor, created_at: now.toISOString() },
    ])
    const events = await storage.db.selectFrom('certificate_events').select(['uvci', 'person_cccd', 'event', 'detail', 'actor', 'at']).where('uvci', '=', uvci[0]!).execute()
    expect(events).toEqual([{ uvci: uvci[0], person_cccd: person[0], event: 'superseded', detail: next, actor, at: now.toISOString() }])
    const outbox = await storage.db.selectFrom('outbox').select(['channel', 'recipient', 'template', 'status', 'person_cccd', 'uvci', 'created_at', 'body']).where('uvci', 'in', [...uvci, next]).orderBy('id').execute()
    expect(outbox.map(({ body, ...m }) => ({ ...m, mentions: body.includes(m.uvci!) && body.includes('2023-03-01') }))).toEqual([
      { channel: 'sms', recipient: '0912345678', template: 'certificate.issued', status: 'pending', person_cccd: person[0], uvci: uvci[0], created_at: now.toISOString(), mentions: true },
      { channel: 'email', recipient: 'a@example.vn', template: 'certificate.issued', status: 'pending', person_cccd: person[0], uvci: next, created_at: now.toISOString(), mentions: true },
    ])
    expect(await storage.db.selectFrom('audit_log').select('action').where('action', '=', 'certificates.issue.batch').where('entity_id', '=', String(runId)).execute()).toHaveLength(2)
  })
})
