import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { makeTestDsc } from '../../../test/conformance/support/make-test-dsc.js'
import { loadTrustStore } from '../trust/load-trust-store.js'
import { TrustStore } from '../trust/trust-store.js'
import { isKeyUsageAllowed, parseDsc } from './parse-dsc.js'

describe('DSC and trust store', () => {
  it('reads DER, PEM and base64 and derives the kid from the DER', async () => {
    const t = await makeTestDsc({ alg: 'ES256' })
    const kid = createHash('sha256').update(t.der).digest().subarray(0, 8)
    for (const input of [t.der, t.pem, Buffer.from(t.der).toString('base64'), new TextEncoder().encode(t.pem)]) {
      const d = await parseDsc(input)
      expect(Buffer.from(d.kid).equals(kid)).toBe(true)
      expect(d.notBefore.toISOString()).toBe('2021-01-01T00:00:00.000Z')
    }
    await expect(parseDsc('not a certificate')).rejects.toMatchObject({ code: 'ERR_DSC_PARSE' })
  })

  it('reads DCC key usage OIDs, honouring the mistyped variant', async () => {
    const none = await makeTestDsc({ alg: 'ES256' })
    expect(isKeyUsageAllowed(none.dsc, 't')).toBe(true)
    const vac = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
    expect(vac.dsc.allowedTypes).toEqual(['v'])
    expect(isKeyUsageAllowed(vac.dsc, 'r')).toBe(false)
    const typo = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.0.1847.2021.1.3'] })
    expect(typo.dsc.allowedTypes).toEqual(['r'])
  })

  it('keeps several DSCs per kid and loads the gateway trust list shape', async () => {
    const a = await makeTestDsc({ alg: 'ES256' })
    const b = await makeTestDsc({ alg: 'PS256' })
    const store = new TrustStore([a.dsc])
    store.add(b.dsc, a.dsc.kidBase64)
    expect(store.find(a.dsc.kid)).toHaveLength(2)
    const list = JSON.stringify([
      { kid: a.dsc.kidBase64, timestamp: '2021-06-01T00:00:00Z', country: 'VN', certificateType: 'DSC', thumbprint: 'x', signature: 'x', rawData: Buffer.from(a.der).toString('base64') },
      { kid: 'AAAAAAAAAAA=', country: 'VN', certificateType: 'CSCA', rawData: Buffer.from(b.der).toString('base64') },
    ])
    const loaded = await loadTrustStore({ trustList: list, certificates: [b.pem] })
    expect(loaded.find(a.dsc.kidBase64)[0]?.country).toBe('VN')
    expect(loaded.find(b.dsc.kid)).toHaveLength(1)
    expect(loaded.size).toBe(2)
    await expect(loadTrustStore({ trustList: '{"not":"a list"}' })).rejects.toMatchObject({ code: 'ERR_TRUST_LIST' })
    await expect(loadTrustStore({ trustList: '[{"kid":1}]' })).rejects.toMatchObject({ code: 'ERR_TRUST_LIST' })
  })
})
