import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeHc1 } from '../../src/core/hc1/hc1.js'
import { verify } from '../../src/core/verify/verify.js'
import { computeRevocationHash } from '../../src/domain/trust/build-revocation-list.js'
import {
  countCertificatesByStatus,
  expireCertificates,
  exportCertificates,
  getActiveCertificate,
  issueCertificate,
  listCertificateEvents,
  listPersonCertificates,
  renewCertificates,
  revokeCertificate,
} from '../../src/storage/certificates/certificate-store.js'
import { loadRevocationList } from '../../src/storage/certificates/load-revocation-list.js'
import {
  TABLE_OUTBOX_ADAPTERS,
  deliverOutbox,
  listOutboxMessages,
} from '../../src/storage/certificates/outbox.js'
import type { Storage } from '../../src/storage/storage.js'
import {
  BACKENDS,
  dropTestStorage,
  makePeople,
  openTestStorage,
  seedPeople,
} from './support/issuance-fixtures.js'
import { makeTestKeys } from './support/test-keys.js'

const t0 = new Date('2022-03-01T00:00:00Z')
const config = { issuer: 'Ministry of Health of Viet Nam' }

describe.each(BACKENDS)('certificate lifecycle on %s', (backend) => {
  let storage: Storage
  let keys: Awaited<ReturnType<typeof makeTestKeys>>
  const people = makePeople(6)
  const [alice, bob, carol, dave, erin] = people as [
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
  ]

  beforeAll(async () => {
    ;({ storage } = await openTestStorage(backend, 'lifecycle'))
    keys = await makeTestKeys(t0)
    alice.phone = '0912000001'
    alice.email = 'alice@example.vn'
    await seedPeople(storage, people)
    // Someone whose only dose failed identity linkage.
    await seedPeople(storage, [
      {
        cccd: '001099000999',
        fullName: 'Ngô Không Khớp',
        dob: '1999-01-01',
        sex: 'M',
        doses: [{ product: 'EU/1/20/1528', date: '2021-09-01', doseNumber: 1, linked: false }],
      },
    ])
  })
  afterAll(async () => {
    if (storage) await dropTestStorage(storage)
  })

  const opts = (now: Date) => ({ key: keys.key, config, now, actor: 'u:tester' })

  it('issues once, then returns the same certificate for unchanged records', async () => {
    const first = await issueCertificate(storage, alice.cccd, opts(t0))
    expect(first.outcome).toBe('issued')
    expect(first.certificate.status).toBe('active')
    expect(first.certificate.exp).toBe('2023-03-01T00:00:00.000Z')
    const again = await issueCertificate(storage, alice.cccd, opts(new Date('2022-03-02T00:00:00Z')))
    expect(again.outcome).toBe('unchanged')
    expect(again.certificate.uvci).toBe(first.certificate.uvci)
    expect(again.certificate.hc1).toBe(first.certificate.hc1)

    const report = await verify(first.certificate.hc1, { trust: await keys.trust(), now: t0 })
    expect(report.valid).toBe(true)
    const decoded = await decodeHc1(first.certificate.hc1)
    const dcc = decoded.claims.dcc as { v: Array<{ ci: string; dn: number }>; nam: { fnt: string } }
    expect(dcc.v[0]!.ci).toBe(first.certificate.uvci)
    expect(dcc.nam.fnt).toBe('NGUYEN')

    // The holder was told, once, on both registered channels.
    const outbox = await storage.db.selectFrom('outbox').selectAll().where('person_cccd', '=', alice.cccd).execute()
    expect(outbox.map((m) => m.channel).sort()).toEqual(['email', 'sms'])
    expect(outbox.every((m) => m.template === 'certificate.issued' && m.body.includes(first.certificate.uvci))).toBe(true)
    const audit = await storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'certificate')
      .where('entity_id', '=', first.certificate.uvci)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['certificate.issue'])
  })

  it('supersedes when a new dose is recorded', async () => {
    const before = await getActiveCertificate(storage, bob.cccd)
    expect(before).toBeUndefined()
    const first = await issueCertificate(storage, bob.cccd, opts(t0))
    const n = bob.doses.length
    await storage.db
      .insertInto('dose_records')
      .values({
        person_key: bob.cccd,
        cccd: bob.cccd,
        full_name: bob.fullName,
        dob: bob.dob,
        sex: bob.sex,
        product: 'EU/1/20/1528',
        lot: 'BOOST1',
        date: '2022-02-20',
        dose_number: n + 1,
        site_code: 'BM',
        entered_by: 'test',
        entered_at: t0.toISOString(),
        source: 'manual',
        import_job_id: null,
        source_row: null,
        linked_cccd: bob.cccd,
        link_status: 'linked',
        link_reason: null,
        link_diff: null,
        linked_at: t0.toISOString(),
      })
      .execute()
    const second = await issueCertificate(storage, bob.cccd, opts(new Date('2022-03-05T00:00:00Z')))
    expect(second.outcome).toBe('superseded')
    expect(second.certificate.uvci).not.toBe(first.certificate.uvci)
    const all = await listPersonCertificates(storage, bob.cccd)
    const old = all.find((c) => c.uvci === first.certificate.uvci)!
    expect(old.status).toBe('superseded')
    expect(old.supersededBy).toBe(second.certificate.uvci)
    const dcc = (await decodeHc1(second.certificate.hc1)).claims.dcc as { v: Array<{ dn: number; sd: number; dt: string }> }
    expect(dcc.v[0]).toMatchObject({ dn: n + 1, dt: '2022-02-20' })
    expect(dcc.v[0]!.sd).toBeGreaterThanOrEqual(n + 1)
    const events = await listCertificateEvents(storage, bob.cccd)
    expect(events.map((e) => e.event)).toEqual(['issued', 'superseded', 'issued'])
  })

  it('supersedes when the register name is corrected', async () => {
    const first = await issueCertificate(storage, carol.cccd, opts(t0))
    await storage.db
      .updateTable('register_people')
      .set({ full_name: 'Trần Thị Hồng Đào' })
      .where('cccd', '=', carol.cccd)
      .execute()
    const second = await issueCertificate(storage, carol.cccd, opts(t0))
    expect(second.outcome).toBe('superseded')
    const dcc = (await decodeHc1(second.certificate.hc1)).claims.dcc as { nam: { gnt: string } }
    expect(dcc.nam.gnt).toBe('THI<HONG<DAO')
    expect((await getActiveCertificate(storage, carol.cccd))?.uvci).toBe(second.certificate.uvci)
    expect(first.certificate.uvci).not.toBe(second.certificate.uvci)
  })

  it('refuses a person without a linked dose and changes nothing', async () => {
    const before = await countCertificatesByStatus(storage)
    await expect(issueCertificate(storage, '001099000999', opts(t0))).rejects.toMatchObject({
      code: 'ERR_ISSUE_NOT_ELIGIBLE',
    })
    await expect(issueCertificate(storage, '999999999999', opts(t0))).rejects.toMatchObject({
      code: 'ERR_ISSUE_NOT_ELIGIBLE',
    })
    expect(await countCertificatesByStatus(storage)).toEqual(before)
  })

  it('renews certificates about to expire, and only those', async () => {
    const late = new Date('2022-06-01T00:00:00Z')
    const fresh = await issueCertificate(storage, dave.cccd, opts(late)) // exp 2023-06-01
    const aliceOld = (await getActiveCertificate(storage, alice.cccd))! // exp 2023-03-01
    const when = new Date('2023-02-10T00:00:00Z')
    const result = await renewCertificates(storage, { ...opts(when), beforeDays: 30 })
    expect(result.failed).toBe(0)
    // alice (2023-03-01), bob (2023-03-05), carol (2023-03-01) fall within 30 days; dave does not.
    expect(result.renewed).toBe(3)
    const aliceNew = (await getActiveCertificate(storage, alice.cccd))!
    expect(aliceNew.uvci).not.toBe(aliceOld.uvci)
    expect(aliceNew.exp).toBe('2024-02-10T00:00:00.000Z')
    expect((await getActiveCertificate(storage, dave.cccd))?.uvci).toBe(fresh.certificate.uvci)
    const renewedMsg = await storage.db
      .selectFrom('outbox')
      .select('template')
      .where('uvci', '=', aliceNew.uvci)
      .execute()
    expect(renewedMsg.map((m) => m.template)).toContain('certificate.renewed')
  })

  it('revokes by UVCI with a reason and publishes the three revocation hashes', async () => {
    const cert = (await issueCertificate(storage, erin.cccd, opts(t0))).certificate
    await expect(revokeCertificate(storage, cert.uvci, '  ', { now: t0, actor: 'u:1' })).rejects.toMatchObject({
      code: 'ERR_REVOKE_REASON',
    })
    await expect(
      revokeCertificate(storage, 'URN:UVCI:01:VN:NOPE#A', 'x', { now: t0, actor: 'u:1' }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_NOT_FOUND' })
    const revoked = await revokeCertificate(storage, cert.uvci, 'issued in error', { now: t0, actor: 'u:1' })
    expect(revoked).toMatchObject({ status: 'revoked', revokedReason: 'issued in error' })
    await expect(
      revokeCertificate(storage, cert.uvci, 'again', { now: t0, actor: 'u:1' }),
    ).rejects.toMatchObject({ code: 'ERR_CERT_NOT_ACTIVE' })

    const list = await loadRevocationList(storage, { country: 'VN', now: t0 })
    expect(list.batches.map((b) => b.hashType).sort()).toEqual(['COUNTRYCODEUCI', 'SIGNATURE', 'UCI'])
    const { createHash } = await import('node:crypto')
    const h = (d: Uint8Array | string) => createHash('sha256').update(d).digest().subarray(0, 16).toString('base64')
    const sig = (await decodeHc1(cert.hc1)).cose.signature
    const byType = Object.fromEntries(list.batches.map((b) => [b.hashType, b]))
    expect(byType.UCI!.entries).toEqual([{ hash: h(cert.uvci) }])
    expect(byType.COUNTRYCODEUCI!.entries).toEqual([{ hash: h('VN' + cert.uvci) }])
    expect(byType.SIGNATURE!.entries).toEqual([{ hash: h(sig.subarray(0, 32)) }])
    expect(byType.SIGNATURE!.entries[0]!.hash).toBe(
      computeRevocationHash('SIGNATURE', { uci: cert.uvci, country: 'VN', signature: sig, alg: 'ES256' }),
    )
    expect(byType.UCI).toMatchObject({ country: 'VN', kid: keys.active.kid, expires: cert.exp })
    const messages = await storage.db.selectFrom('outbox').select('template').where('uvci', '=', cert.uvci).execute()
    expect(messages.map((m) => m.template)).toContain('certificate.revoked')
    // A revoked certificate still exists and still verifies cryptographically; the list is what flags it.
    expect((await getActiveCertificate(storage, erin.cccd))).toBeUndefined()
  })

  it('delivers the outbox through adapters, one failure not stopping the rest', async () => {
    const sent: string[] = []
    const adapters = {
      email: {
        name: 'test-mail',
        sendEmail: async (m: { to: string }) => {
          if (m.to.startsWith('alice')) throw new Error('mailbox full')
          sent.push(`email:${m.to}`)
        },
      },
      sms: { name: 'test-sms', sendSms: async (m: { to: string }) => void sent.push(`sms:${m.to}`) },
    }
    const pending = (await listOutboxMessages(storage, { status: 'pending', limit: 500 })).length
    expect(pending).toBeGreaterThan(0)
    const r = await deliverOutbox(storage, adapters, { now: t0 })
    expect(r.sent + r.failed).toBe(pending)
    expect(r.failed).toBeGreaterThan(0) // alice's e-mails
    expect(sent).toContain('sms:0912000001')
    const aliceMail = await listOutboxMessages(storage, { personCccd: alice.cccd })
    // A refused message waits for its next attempt (see test/delivery for the whole schedule).
    expect(aliceMail.filter((m) => m.channel === 'email').every((m) => m.status === 'pending')).toBe(true)
    expect(aliceMail.filter((m) => m.channel === 'sms').every((m) => m.status === 'sent')).toBe(true)
    // The default adapters keep new messages in the table.
    await revokeCertificate(storage, (await getActiveCertificate(storage, alice.cccd))!.uvci, 'test', {
      now: t0,
      actor: 'u:1',
    })
    expect(await deliverOutbox(storage, TABLE_OUTBOX_ADAPTERS, { now: t0 })).toEqual({ sent: 2, failed: 0 })
    expect((await listOutboxMessages(storage, { limit: 2 })).map((m) => m.status)).toEqual(['stored', 'stored'])
  })

  it('expires, counts and exports', async () => {
    const n = await expireCertificates(storage, { now: new Date('2024-12-01T00:00:00Z'), actor: 'system:test' })
    expect(n).toBeGreaterThan(0)
    const counts = await countCertificatesByStatus(storage)
    expect(counts.active).toBe(0)
    expect(counts.revoked).toBe(2)
    expect(counts.total).toBe(counts.active + counts.superseded + counts.revoked + counts.expired)
    const lines: unknown[] = []
    for await (const c of exportCertificates(storage, { pageSize: 2 })) lines.push(c)
    expect(lines).toHaveLength(counts.total)
    const revokedOnly: unknown[] = []
    for await (const c of exportCertificates(storage, { status: 'revoked' })) revokedOnly.push(c)
    expect(revokedOnly.map((c) => (c as { person: string }).person).sort()).toEqual([alice.cccd, erin.cccd].sort())
    expect(Object.keys(lines[0] as object).sort()).toEqual(['exp', 'hc1', 'iat', 'person', 'status', 'uvci'])
  })
})
