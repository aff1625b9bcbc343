import { webcrypto } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { encodeBase64url } from '../../../src/core/jws/base64url.js'
import { computeJwkThumbprint, type Jwk } from '../../../src/core/jws/jwk.js'

/** A test SHC issuer: its ES256 key and public JWK (kid = thumbprint). */
export interface TestShcIssuer {
  readonly iss: string
  readonly jwk: Jwk
  readonly privateKey: CryptoKey
}

export async function createTestShcIssuer(
  iss = 'https://issuer.test.example/shc',
): Promise<TestShcIssuer> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const pub = (await webcrypto.subtle.exportKey('jwk', pair.publicKey)) as Jwk
  const base = { kty: 'EC', crv: 'P-256', x: pub.x!, y: pub.y! }
  const jwk: Jwk = { ...base, kid: await computeJwkThumbprint(base), use: 'sig', alg: 'ES256' }
  return { iss, jwk, privateKey: pair.privateKey }
}

/** A health card payload with two Comirnaty (CVX 208) doses. */
export function samplePayload(
  iss: string,
  nbf: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const imm = (date: string) => ({
    resource: {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '208' }] },
      patient: { reference: 'resource:0' },
      occurrenceDateTime: date,
    },
  })
  return {
    iss,
    nbf,
    vc: {
      type: ['https://smarthealth.cards#health-card', 'https://smarthealth.cards#immunization'],
      credentialSubject: {
        fhirVersion: '4.0.1',
        fhirBundle: {
          resourceType: 'Bundle',
          type: 'collection',
          entry: [
            {
              fullUrl: 'resource:0',
              resource: {
                resourceType: 'Patient',
                name: [{ family: 'Nguyen', given: ['Van', 'A'] }],
                birthDate: '1985-02-03',
              },
            },
            { fullUrl: 'resource:1', ...imm('2021-07-01') },
            { fullUrl: 'resource:2', ...imm('2021-07-22') },
          ],
        },
      },
    },
    ...extra,
  }
}

/** Signs a payload as an SHC compact JWS (zip DEF, ES256), with header overrides for bad cases. */
export async function signShc(
  issuer: TestShcIssuer,
  payload: unknown,
  header: Record<string, unknown> = {},
): Promise<string> {
  const h = encodeBase64url(
    new TextEncoder().encode(
      JSON.stringify({ zip: 'DEF', alg: 'ES256', kid: issuer.jwk.kid, ...header }),
    ),
  )
  const p = encodeBase64url(new Uint8Array(deflateRawSync(Buffer.from(JSON.stringify(payload)))))
  const sig = await webcrypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    issuer.privateKey,
    new TextEncoder().encode(`${h}.${p}`),
  )
  return `${h}.${p}.${encodeBase64url(new Uint8Array(sig))}`
}
