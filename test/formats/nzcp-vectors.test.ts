import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { encodeCbor } from '../../src/core/cbor/cbor.js'
import { encodeBase32, decodeBase32 } from '../../src/core/nzcp/decode-base32.js'
import { verifyNzcp } from '../../src/core/nzcp/verify-nzcp.js'
import { readQrCodes } from '../../src/core/qr/read-qr-codes.js'
import type { PartnerTrustStore } from '../../src/core/partner-trust/partner-trust-store.js'
import { exampleStore, NZCP_ISSUER, readTestdata, testdataPath } from './support/shared-testdata.js'

/** The examples' own time: a day after the valid example's nbf (2021-11-02T20:05:30Z). */
const now = new Date('2021-11-03T20:05:30Z')

function failed(report: {
  checks: readonly { ok: boolean; code: string | null; skipped?: boolean; id: string }[]
}) {
  return report.checks.filter((c) => !c.ok && !c.skipped).map((c) => `${c.id}:${c.code}`)
}

describe('NZ COVID Pass specification examples', () => {
  const trust = exampleStore()

  it('the valid example is valid, with its holder and the DID key as trust anchor', async () => {
    const report = await verifyNzcp(readTestdata('nzcp/valid/nzcp.txt'), { trust, now })
    expect(failed(report)).toEqual([])
    expect(report.valid).toBe(true)
    expect(report.format).toBe('NZCP')
    expect(report.holder).toEqual({
      name: 'Jack Sparrow',
      givenName: 'Jack',
      familyName: 'Sparrow',
      dateOfBirth: '1960-04-16',
    })
    expect(report.issuer).toEqual({
      id: NZCP_ISSUER,
      country: 'NZ',
      trustAnchor: `${NZCP_ISSUER}#key-1`,
    })
    expect(report.payload).toMatchObject(JSON.parse(readTestdata('nzcp/valid/nzcp.json')))
  })

  // Each invalid example fails for its own reason, and only that one.
  const invalid: Array<[string, string[]]> = [
    ['nzcp-bad-public-key', ['signature:ERR_COSE_SIGNATURE']],
    ['nzcp-not-associated-public-key', ['key:ERR_KEY_NOT_FOUND']],
    ['nzcp-modified-sig', ['signature:ERR_COSE_SIGNATURE']],
    ['nzcp-modified-payload', ['signature:ERR_COSE_SIGNATURE']],
    ['nzcp-expired-payload', ['expiry:ERR_CERT_EXPIRED']],
    ['nzcp-notactive-payload', ['not-before:ERR_NOT_YET_VALID']],
  ]
  for (const [name, expected] of invalid) {
    it(`${name} fails with ${expected.join(', ')}`, async () => {
      const report = await verifyNzcp(readTestdata(`nzcp/invalid/${name}.txt`), { trust, now })
      expect(report.valid).toBe(false)
      expect(failed(report)).toEqual(expected)
    })
  }

  it('nzcp-revoked-public-key (PNG only) is from an issuer not in the trust store', async () => {
    const [text] = await readQrCodes(
      new Uint8Array(readFileSync(testdataPath('nzcp/invalid/nzcp-revoked-public-key.png'))),
    )
    expect(text).toMatch(/^NZCP:\/1\//)
    const report = await verifyNzcp(text!, { trust, now })
    expect(report.valid).toBe(false)
    expect(failed(report)).toEqual(['issuer:ERR_UNTRUSTED'])
  })

  it('the valid example is refused when its DID document lacks the key', async () => {
    const did = JSON.parse(readTestdata('nzcp/valid/did.json'))
    const noKey: PartnerTrustStore = {
      countries: [
        { country: 'NZ', formats: ['NZCP'], didDocuments: [{ ...did, verificationMethod: [] }] },
      ],
    }
    const report = await verifyNzcp(readTestdata('nzcp/valid/nzcp.txt'), { trust: noKey, now })
    expect(failed(report)).toEqual(['key:ERR_KEY_NOT_FOUND'])
    const notAsserted: PartnerTrustStore = {
      countries: [
        { country: 'NZ', formats: ['NZCP'], didDocuments: [{ ...did, assertionMethod: [] }] },
      ],
    }
    const r2 = await verifyNzcp(readTestdata('nzcp/valid/nzcp.txt'), { trust: notAsserted, now })
    expect(failed(r2)).toEqual(['key:ERR_KEY_NOT_FOUND'])
  })

  it('a partner not declared as issuing NZCP does not make its DID trusted', async () => {
    const did = JSON.parse(readTestdata('nzcp/valid/did.json'))
    const store: PartnerTrustStore = {
      countries: [{ country: 'NZ', formats: ['SHC'], didDocuments: [did] }],
    }
    const report = await verifyNzcp(readTestdata('nzcp/valid/nzcp.txt'), { trust: store, now })
    expect(failed(report)).toEqual(['issuer:ERR_UNTRUSTED'])
  })

  it('structural rules of the specification each give their code', async () => {
    const valid = readTestdata('nzcp/valid/nzcp.txt').trim()
    const bytes = decodeBase32(valid.slice('NZCP:/1/'.length))
    // Untagged COSE_Sign1: drop the leading tag 18 byte (0xd2).
    const untagged = `NZCP:/1/${encodeBase32(bytes.subarray(1))}`
    const cases: Array<[string, string]> = [
      ['HC1:ABC', 'prefix:ERR_NZCP'],
      [valid.replace('NZCP:/1/', 'NZCP:/2/'), 'prefix:ERR_NZCP'],
      [`${valid}1`, 'base32:ERR_NZCP'],
      [`${valid.slice(0, 40)}`, 'cose:ERR_CBOR'],
      [untagged, 'cose:ERR_COSE_STRUCTURE'],
      [`NZCP:/1/${encodeBase32(encodeCbor(42))}`, 'cose:ERR_COSE_STRUCTURE'],
    ]
    for (const [input, code] of cases) {
      const report = await verifyNzcp(input, { trust, now })
      expect(report.valid, input.slice(0, 30)).toBe(false)
      expect(failed(report), input.slice(0, 30)).toEqual([code])
    }
  })
})
