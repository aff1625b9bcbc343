import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import { loadPartnerTrustFolder } from '../../src/storage/partner-trust/partner-trust-folder.js'
import { verifyShc } from '../../src/core/shc/verify-shc.js'
import { readPartnerTrustDocument } from '../../src/core/partner-trust/read-partner-trust-document.js'
import { createTestPki } from './support/test-pki.js'
import { readTestdata, SHC_ISSUER, testdataPath } from './support/shared-testdata.js'

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-partner-trust-'))
const store = join(dir, 'store')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(args: string[]): Promise<{ status: number; out: string }> {
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    const status = await main(args)
    process.exitCode = undefined
    return { status, out }
  } finally {
    spy.mockRestore()
    err.mockRestore()
  }
}

describe('vaxpass trust import / list', () => {
  it('imports an SHC issuer folder (JWKS and CRL), a DID document folder and a CSCA PEM', async () => {
    const shc = await run([
      'trust',
      'import',
      testdataPath('smart-health-cards/issuer'),
      '--country',
      'US',
      '--iss',
      SHC_ISSUER,
      '--store',
      store,
      '--json',
    ])
    expect(shc.status).toBe(0)
    expect(
      JSON.parse(shc.out)
        .imported.map((i: { file: string }) => i.file)
        .sort(),
    ).toEqual([
      '.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json',
      '.well-known/jwks.json',
    ])
    const nz = await run([
      'trust',
      'import',
      testdataPath('nzcp/valid'),
      '--country',
      'NZ',
      '--store',
      store,
      '--json',
    ])
    expect(nz.status).toBe(0)
    const nzResult = JSON.parse(nz.out)
    expect(nzResult.imported).toEqual([{ file: 'did.json', country: 'NZ', formats: ['NZCP'] }])
    expect(nzResult.skipped.map((s: { code: string }) => s.code)).toContain('ERR_TRUST_LIST')

    const pki = await createTestPki('AU')
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(pki.cscaDer).toString('base64')}\n-----END CERTIFICATE-----\n`
    writeFileSync(join(dir, 'csca-au.pem'), pem)
    expect(
      (
        await run([
          'trust',
          'import',
          join(dir, 'csca-au.pem'),
          '--country',
          'AU',
          '--store',
          store,
        ])
      ).status,
    ).toBe(0)

    const list = await run(['trust', 'list', '--store', store, '--json'])
    expect(list.status).toBe(0)
    const partners = JSON.parse(list.out).partners
    expect(
      partners.map((p: { country: string; formats: string[] }) => [p.country, p.formats]),
    ).toEqual([
      ['AU', ['VDS_NC']],
      ['NZ', ['NZCP']],
      ['US', ['SHC']],
    ])
    expect(partners[2].shcIssuers[0]).toMatchObject({
      iss: SHC_ISSUER,
      crls: [{ ctr: 1, rids: 4 }],
    })
    expect(partners[0].cscas[0]).toContain('Test CSCA AU')
  })

  it('re-importing refreshes entries instead of duplicating them', async () => {
    await run([
      'trust',
      'import',
      testdataPath('smart-health-cards/issuer'),
      '--country',
      'US',
      '--iss',
      SHC_ISSUER,
      '--store',
      store,
    ])
    const us = JSON.parse(readFileSync(join(store, 'US.json'), 'utf8'))
    expect(us.shcIssuers).toHaveLength(1)
    expect(us.shcIssuers[0].keys).toHaveLength(2)
    expect(us.shcIssuers[0].crls).toHaveLength(1)
  })

  it('the stored folder verifies SMART example 03 as revoked and names the anchor of example 00', async () => {
    const trust = loadPartnerTrustFolder(store)
    const p0 = JSON.parse(readTestdata('smart-health-cards/example-00-b-jws-payload-expanded.json'))
    const ok = await verifyShc(readTestdata('smart-health-cards/example-00-d-jws.txt'), {
      trust,
      now: new Date((p0.nbf + 3600) * 1000),
    })
    expect(ok.valid).toBe(true)
    expect(ok.issuer?.trustAnchor).toBe(`${SHC_ISSUER}#3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s`)
    const revoked = await verifyShc(readTestdata('smart-health-cards/example-03-d-jws.txt'), {
      trust,
      now: new Date((p0.nbf + 3600) * 1000),
    })
    expect(revoked.checks.find((c) => c.id === 'revocation')?.code).toBe('ERR_SHC_REVOKED')
  })

  it('usage errors exit 2; a JWKS without --iss, or with a private key, is refused', async () => {
    expect((await run(['trust', 'import', join(dir, 'nope.json'), '--store', store])).status).toBe(
      2,
    )
    expect(
      (
        await run([
          'trust',
          'import',
          testdataPath('nzcp/valid/did.json'),
          '--country',
          'NZL',
          '--store',
          store,
        ])
      ).status,
    ).toBe(2)
    const jwks = readTestdata('smart-health-cards/issuer/.well-known/jwks.json')
    expect(() => readPartnerTrustDocument(jwks, { country: 'US' })).toThrowError(
      expect.objectContaining({ code: 'ERR_TRUST_LIST' }),
    )
    const withPrivate = JSON.stringify({
      keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }],
    })
    expect(() =>
      readPartnerTrustDocument(withPrivate, { country: 'US', iss: SHC_ISSUER }),
    ).toThrowError(expect.objectContaining({ code: 'ERR_TRUST_LIST' }))
    writeFileSync(join(dir, 'private.json'), withPrivate)
    const r = await run([
      'trust',
      'import',
      join(dir, 'private.json'),
      '--country',
      'US',
      '--iss',
      SHC_ISSUER,
      '--store',
      store,
    ])
    expect(r.status).toBe(1)
  })
})

describe('vaxpass verify with partner trust and entry rules', () => {
  it('verifies SMART example 00 from the partner folder and lists Vietnam rule outcomes', async () => {
    const jws = testdataPath('smart-health-cards/example-00-d-jws.txt')
    const r = await run([
      'verify',
      jws,
      '--partner-trust',
      store,
      '--at',
      '2023-06-23T00:00:00Z',
      '--arrival',
      'VN',
      '--json',
    ])
    const report = JSON.parse(r.out)
    expect(report.format).toBe('SHC')
    expect(
      report.rules.map(
        (x: { identifier: string; result: string }) => `${x.identifier}:${x.result}`,
      ),
    ).toEqual([
      'VR-VN-0000:passed',
      'VR-VN-0001:passed',
      'VR-VN-0002:passed',
      'VR-VN-0003:passed',
      'VR-VN-0004:passed',
    ])
    expect(r.status).toBe(0)
    const custom = join(dir, 'rules.json')
    writeFileSync(
      custom,
      JSON.stringify([
        {
          ...(await import('../../src/core/rules/vietnam-entry-rules.js')).vietnamEntryRules()
            .rules[1],
          Identifier: 'VR-VN-0100',
          Logic: false,
        },
      ]),
    )
    const refused = await run([
      'verify',
      jws,
      '--partner-trust',
      store,
      '--at',
      '2023-06-23T00:00:00Z',
      '--rules',
      custom,
      '--arrival',
      'VN',
      '--json',
    ])
    expect(refused.status).toBe(1)
    expect(JSON.parse(refused.out).rules).toMatchObject([
      { identifier: 'VR-VN-0100', result: 'failed' },
    ])
    expect((await run(['verify', jws, '--rules', custom])).status).toBe(2)
  })
})

describe('partner DSCs in the DCC gateway shape', () => {
  it('an EU DCC partner imported from a gateway DSC list verifies its certificate', async () => {
    const kase = JSON.parse(readTestdata('dgc-testdata/DE/2DCode/raw/1.json'))
    const raw = kase.TESTCTX.CERTIFICATE as string
    const { X509Certificate, createHash } = await import('node:crypto')
    const der = Buffer.from(raw, 'base64')
    expect(new X509Certificate(der).subject).toBeTruthy()
    const kid = createHash('sha256').update(der).digest().subarray(0, 8).toString('base64')
    const list = join(dir, 'dsc-list.json')
    writeFileSync(
      list,
      JSON.stringify([{ kid, country: 'DE', certificateType: 'DSC', rawData: raw }]),
    )
    const eu = join(dir, 'eu-store')
    expect((await run(['trust', 'import', list, '--store', eu])).status).toBe(0)
    const prefix = join(dir, 'de.txt')
    writeFileSync(prefix, kase.PREFIX)
    const at = kase.TESTCTX.VALIDATIONCLOCK
    const ok = await run(['verify', prefix, '--partner-trust', eu, '--at', at, '--json'])
    const report = JSON.parse(ok.out)
    expect([report.format, report.valid, ok.status]).toEqual(['EU_DCC', true, 0])
    const without = await run([
      'verify',
      prefix,
      '--partner-trust',
      join(dir, 'empty'),
      '--at',
      at,
      '--json',
    ])
    expect([JSON.parse(without.out).valid, without.status]).toEqual([false, 1])
  })
})

describe('vaxpass verify with several inputs', () => {
  it('reassembles the 3 chunks of SMART example 02 given as 3 arguments, in any order', async () => {
    const chunks = [0, 1, 2].map((i) =>
      readTestdata(`smart-health-cards/example-02-f-qr-code-numeric-value-${i}.txt`).trim(),
    )
    const p = JSON.parse(readTestdata('smart-health-cards/example-02-b-jws-payload-expanded.json'))
    const at = new Date((p.nbf + 60) * 1000).toISOString()
    const r = await run([
      'verify',
      chunks[1]!,
      chunks[2]!,
      chunks[0]!,
      '--partner-trust',
      store,
      '--at',
      at,
      '--json',
    ])
    expect([JSON.parse(r.out).format, JSON.parse(r.out).valid, r.status]).toEqual(['SHC', true, 0])
    const missing = await run([
      'verify',
      chunks[0]!,
      chunks[2]!,
      '--partner-trust',
      store,
      '--at',
      at,
      '--json',
    ])
    expect(missing.status).toBe(1)
    expect(JSON.parse(missing.out).checks[0]).toMatchObject({ code: 'ERR_SHC_CHUNKS' })
  })

  it('takes the consecutive chunk lines of one card in a --batch file as one pass', async () => {
    const chunks = [0, 1, 2].map((i) =>
      readTestdata(`smart-health-cards/example-02-f-qr-code-numeric-value-${i}.txt`).trim(),
    )
    const p = JSON.parse(readTestdata('smart-health-cards/example-02-b-jws-payload-expanded.json'))
    const at = new Date((p.nbf + 60) * 1000).toISOString()
    const file = join(mkdtempSync(join(tmpdir(), 'vaxpass-batch-')), 'passes.txt')
    writeFileSync(file, [...chunks, 'HC1:BAD', chunks[0], chunks[1], ''].join('\r\n'))
    const r = await run(['verify', '--batch', file, '--partner-trust', store, '--at', at])
    const reports = r.out.trim().split('\n').map((l) => JSON.parse(l) as { format: string | null; valid: boolean; checks: Array<{ code?: string }> })
    expect(reports.map((x) => [x.format, x.valid])).toEqual([
      ['SHC', true],
      ['EU_DCC', false],
      ['SHC', false],
    ])
    expect(reports[2]!.checks[0]).toMatchObject({ code: 'ERR_SHC_CHUNKS' })
    expect(r.status).toBe(1)
  })
})
