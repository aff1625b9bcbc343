import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeTestDsc, sampleDcc } from '../../../test/conformance/support/make-test-dsc.js'
import { decodeBase45 } from '../base45/base45.js'
import { decodeHc1, signHc1 } from './hc1.js'

const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')

describe('HC1', () => {
  it('signs a payload into a standard HC1 string and decodes it back', async () => {
    const t = await makeTestDsc({ alg: 'ES256' })
    const hc1 = signHc1(sampleDcc(), { signer: t.signer, issuer: 'VN', iat, exp })
    expect(hc1).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/)
    // any zlib inflates it
    const cose = inflateSync(decodeBase45(hc1.slice(4)))
    expect(cose[0]).toBe(0xd2)
    const d = await decodeHc1(hc1)
    expect(d.claims).toEqual({ iss: 'VN', iat: iat.getTime() / 1000, exp: exp.getTime() / 1000, dcc: sampleDcc() })
    expect(Buffer.from(d.coseBytes).equals(cose)).toBe(true)
  })

  it('fails each layer with its code', async () => {
    await expect(decodeHc1('HC2:NCF')).rejects.toMatchObject({ code: 'ERR_HC1_PREFIX' })
    await expect(decodeHc1('HC1:A')).rejects.toMatchObject({ code: 'ERR_BASE45' })
    await expect(decodeHc1('HC1:BB8')).rejects.toMatchObject({ code: 'ERR_ZLIB' })
  })
})
