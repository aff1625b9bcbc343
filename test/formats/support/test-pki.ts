import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import { canonicalizeJson } from '../../../src/core/jcs/canonicalize-json.js'
import { encodeBase64url } from '../../../src/core/jws/base64url.js'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const

/** A test CSCA and a barcode signer it issued, both ES256. */
export interface TestPki {
  readonly cscaDer: Uint8Array
  readonly signerDer: Uint8Array
  readonly signerKey: CryptoKey
}

/**
 * Makes a CSCA (self-signed) and a signer certificate for `country` (alpha-2), valid
 * 2021-01-01 .. 2031-01-01 for the CSCA and `signerFrom` .. `signerTo` for the signer.
 */
export async function createTestPki(
  country: string,
  signerFrom = new Date('2021-06-01T00:00:00Z'),
  signerTo = new Date('2023-06-01T00:00:00Z'),
  caKind: 'ec-p256' | 'ec-p384' | 'rsa' | 'rsa-pss' = 'ec-p256',
): Promise<TestPki> {
  const rsa = { publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048, hash: 'SHA-256' }
  const caGen =
    caKind === 'ec-p256'
      ? EC
      : caKind === 'ec-p384'
        ? { name: 'ECDSA', namedCurve: 'P-384' }
        : caKind === 'rsa'
          ? { name: 'RSASSA-PKCS1-v1_5', ...rsa }
          : { name: 'RSA-PSS', ...rsa }
  const caSign =
    caKind === 'ec-p256'
      ? SIGN
      : caKind === 'ec-p384'
        ? { name: 'ECDSA', hash: 'SHA-384' }
        : caKind === 'rsa'
          ? { name: 'RSASSA-PKCS1-v1_5' }
          : { name: 'RSA-PSS', saltLength: 32 }
  const caKeys = (await webcrypto.subtle.generateKey(caGen, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `C=${country}, CN=Test CSCA ${country}`,
    notBefore: new Date('2021-01-01T00:00:00Z'),
    notAfter: new Date('2031-01-01T00:00:00Z'),
    keys: caKeys,
    signingAlgorithm: caSign,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  })
  const signerKeys = (await webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `C=${country}, CN=Test barcode signer ${country}`,
    issuer: ca.subject,
    notBefore: signerFrom,
    notAfter: signerTo,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: caSign,
  })
  return {
    cscaDer: new Uint8Array(ca.rawData),
    signerDer: new Uint8Array(signer.rawData),
    signerKey: signerKeys.privateKey,
  }
}

/** Signs a VDS-NC `data` object: ES256 raw r||s over its RFC 8785 canonical form. */
export async function signVdsNc(data: unknown, pki: TestPki): Promise<string> {
  const sig = await webcrypto.subtle.sign(
    SIGN,
    pki.signerKey,
    new TextEncoder().encode(canonicalizeJson(data)),
  )
  return JSON.stringify({
    data,
    sig: {
      alg: 'ES256',
      cer: encodeBase64url(pki.signerDer),
      sigvl: encodeBase64url(new Uint8Array(sig)),
    },
  })
}

/** A VDS-NC proof of vaccination message zone (two doses). */
export function sampleVdsData(issuer = 'AUS'): Record<string, unknown> {
  return {
    msg: {
      pid: { dob: '1990-01-02', i: 'PA0941262', n: 'CITIZEN  JANE SUE', sex: 'F' },
      uvci: 'VB0009990012',
      ve: [
        {
          des: 'XM68M6',
          dis: 'RA01.0',
          nam: 'Comirnaty',
          vd: [
            { adm: 'General Practitioner', ctr: 'AUS', dvc: '2021-09-15', lot: '300157P', seq: 1 },
            { adm: 'General Practitioner', ctr: 'AUS', dvc: '2021-10-06', lot: '300157P', seq: 2 },
          ],
        },
      ],
    },
    hdr: { is: issuer, t: 'icao.vacc', v: 1 },
  }
}
