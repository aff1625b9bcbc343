import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeTestDsc, sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import { encodeBase45 } from '../../core/base45/base45.js'
import { signCoseSign1 } from '../../core/cose/cose-sign1.js'
import { encodeCwtClaims } from '../../core/cwt/cwt-claims.js'
import { deflateFixed } from '../../core/zlib/deflate-fixed.js'
import { main } from '../main.js'

// Runs the CLI in-process and collects what it prints.
async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const o = process.stdout.write.bind(process.stdout)
  const e = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write
  try {
    const status = await main(args)
    return { status, out: out.join(''), err: err.join('') }
  } finally {
    process.stdout.write = o
    process.stderr.write = e
  }
}

describe('vaxpass sign / verify / decode / testdata', () => {
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-cli-'))
    const t = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
    writeFileSync(join(dir, 'dsc.pem'), t.pem)
    writeFileSync(join(dir, 'key.pem'), t.privateKeyPem)
    writeFileSync(join(dir, 'dcc.json'), JSON.stringify(sampleDcc()))
    writeFileSync(
      join(dir, 'trust.json'),
      JSON.stringify([{ kid: t.dsc.kidBase64, country: 'VN', certificateType: 'DSC', rawData: Buffer.from(t.der).toString('base64') }]),
    )
  })
  afterEach(() => {
    process.exitCode = undefined
  })

  it('signs, writes a QR, and verifies the string, the PNG and a batch', async () => {
    const p = (f: string) => join(dir, f)
    const signed = await run(['sign', '--payload', p('dcc.json'), '--key', p('key.pem'), '--cert', p('dsc.pem'), '--iat', '2022-01-01T00:00:00Z', '--qr', p('pass.png')])
    expect(signed.status).toBe(0)
    const hc1 = signed.out.trim()
    expect(hc1).toMatch(/^HC1:/)
    const ok = await run(['verify', hc1, '--dsc', p('dsc.pem'), '--at', '2022-06-01T00:00:00Z', '--json'])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.out)).toMatchObject({ valid: true, format: 'EU_DCC' })
    const png = await run(['verify', p('pass.png'), '--trust', p('trust.json'), '--at', '2022-06-01T00:00:00Z', '--json'])
    expect(JSON.parse(png.out).valid).toBe(true)
    const expired = await run(['verify', hc1, '--dsc', p('dsc.pem'), '--at', '2023-06-01T00:00:00Z'])
    expect(expired.status).toBe(1)
    expect(expired.out).toContain('ERR_CERT_EXPIRED')
    writeFileSync(p('batch.txt'), `${hc1}\n\nHC1:BAD\n`)
    const batch = await run(['verify', '--batch', p('batch.txt'), '--dsc', p('dsc.pem'), '--at', '2022-06-01T00:00:00Z'])
    expect(batch.status).toBe(1)
    const lines = batch.out.trim().split('\n').map((l) => JSON.parse(l) as { valid: boolean })
    expect(lines.map((l) => l.valid)).toEqual([true, false])
    const decoded = await run(['decode', hc1, '--json'])
    expect(JSON.parse(decoded.out).payload.nam.fn).toBe('Nguyễn')
    expect(readFileSync(p('pass.png')).subarray(1, 4).toString()).toBe('PNG')
  })

  it('keeps only trust list DSCs that a --csca issued, naming those left out', async () => {
    const p = (f: string) => join(dir, f)
    const other = await makeTestDsc({ alg: 'ES256' })
    writeFileSync(p('other-csca.pem'), other.pem)
    const signed = await run(['sign', '--payload', p('dcc.json'), '--key', p('key.pem'), '--cert', p('dsc.pem'), '--iat', '2022-01-01T00:00:00Z'])
    const hc1 = signed.out.trim()
    // The test DSC is self-signed: it is its own CSCA.
    const anchored = await run(['verify', hc1, '--trust', p('trust.json'), '--csca', p('dsc.pem'), '--at', '2022-06-01T00:00:00Z', '--json'])
    expect(anchored.status).toBe(0)
    expect(anchored.err).toBe('')
    const unanchored = await run(['verify', hc1, '--trust', p('trust.json'), '--csca', p('other-csca.pem'), '--at', '2022-06-01T00:00:00Z', '--json'])
    expect(unanchored.status).toBe(1)
    expect(JSON.parse(unanchored.out).checks.find((c: { id: string }) => c.id === 'kid')).toMatchObject({ ok: false })
    expect(unanchored.err).toContain('left out: no trusted CSCA issued this DSC [ERR_TRUST_CHAIN]')
  })

  it('exits 2 on usage errors and 1 with a code on bad input, never a stack trace', async () => {
    expect((await run(['verify'])).status).toBe(2)
    expect((await run(['verify', 'HC1:X', '--at', 'soon'])).status).toBe(2)
    const bad = await run(['decode', 'HC1:XX'])
    expect(bad.status).toBe(1)
    expect(bad.err).toMatch(/^error \[ERR_BASE45\]/)
    expect(bad.err).not.toContain('    at ')
    // Claim times no Date can hold are printed as numbers, not a RangeError.
    const t = await makeTestDsc({ alg: 'ES256' })
    const claims = encodeCwtClaims({ iss: 'VN', iat: 1640995200, exp: 9e15, dcc: sampleDcc() })
    const far = `HC1:${encodeBase45(deflateFixed(signCoseSign1(claims, t.signer)))}`
    const decoded = await run(['decode', far, '--json'])
    expect(decoded.status).toBe(0)
    expect(JSON.parse(decoded.out).claims).toMatchObject({ iat: '2022-01-01T00:00:00.000Z', exp: '9000000000000000' })
  })

  it('runs a dgc-testdata folder with the JSON shape of issue 2', async () => {
    const folder = new URL('../../../../shared/testdata/dgc-testdata/common', import.meta.url).pathname
    const r = await run(['testdata', folder, '--json', '--no-qr'])
    const json = JSON.parse(r.out) as { summary: Record<string, number>; files: Array<{ path: string; checks: Record<string, unknown> }> }
    expect(Object.keys(json.summary).sort()).toEqual(['checks', 'failed', 'files', 'known', 'passed'])
    expect(json.summary['files']).toBe(38)
    expect(json.summary['failed']).toBe(0)
    expect(json.files.find((f) => f.path.endsWith('CO16.json'))?.checks['EXPECTEDEXPIRATIONCHECK']).toMatchObject({
      expected: false,
      actual: false,
      pass: true,
      known: false,
    })
    expect(r.status).toBe(0)
  })
})
