import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url.js'
import { computeJwkThumbprint, importEs256PublicJwk } from './jwk.js'
import { parseCompactJws } from './parse-compact-jws.js'

describe('base64url', () => {
  it('round-trips and refuses padding, other alphabets and non-canonical trailing bits', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255])
    expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes)
    for (const bad of ['AQ==', 'A+B/', 'A', 'AR']) {
      expect(() => decodeBase64url(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ERR_JWS' }),
      )
    }
    expect(decodeBase64url('AQ')).toEqual(new Uint8Array([1]))
  })
})

describe('JWK', () => {
  it('computes the RFC 7638 section 3.1 example thumbprint', async () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    }
    expect(await computeJwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')
  })

  it('refuses private members, other curves and points off the curve', async () => {
    const base = {
      kty: 'EC',
      crv: 'P-256',
      x: 'zRR-XGsCp12Vvbgui4DD6O6cqmhfPuXMhi1OxPl8760',
      y: 'Iv5SU6FuW-TRYh5_GOrJlcV_gpF_GpFQhCOD8LSk3T0',
    }
    await expect(importEs256PublicJwk(base)).resolves.toBeDefined()
    for (const bad of [
      { ...base, d: 'AAAA' },
      { ...base, crv: 'P-384' },
      { ...base, y: base.x },
    ]) {
      await expect(importEs256PublicJwk(bad)).rejects.toMatchObject({ code: 'ERR_KEY_PARSE' })
    }
  })
})

describe('parseCompactJws', () => {
  it('splits a JWS and refuses headers that are not JSON objects', () => {
    const h = encodeBase64url(new TextEncoder().encode('{"alg":"ES256"}'))
    expect(parseCompactJws(`${h}.AQ.AQ`).header).toEqual({ alg: 'ES256' })
    const arr = encodeBase64url(new TextEncoder().encode('[1]'))
    expect(() => parseCompactJws(`${arr}.AQ.AQ`)).toThrowError(
      expect.objectContaining({ code: 'ERR_JWS' }),
    )
    expect(() => parseCompactJws('a.b.c.d')).toThrowError(
      expect.objectContaining({ code: 'ERR_JWS' }),
    )
  })
})
