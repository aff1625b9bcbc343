import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import { createNodeSigner } from '../../../src/core/cose/node-signer.js'
import type { Signer } from '../../../src/core/cose/signer.js'
import { parseDsc, type Dsc } from '../../../src/core/dsc/parse-dsc.js'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

/** A self-signed test DSC with its private key and a node:crypto signer. */
export interface TestDsc {
  readonly der: Uint8Array
  readonly pem: string
  readonly privateKeyPem: string
  readonly dsc: Dsc
  readonly signer: Signer
}

/**
 * Makes a test DSC (self-signed: a trust store trusts DSCs directly) for ES256 or PS256, with
 * optional extended key usage OIDs.
 */
export async function makeTestDsc(options: {
  alg: 'ES256' | 'PS256'
  notBefore?: Date
  notAfter?: Date
  extendedKeyUsage?: string[]
  commonName?: string
}): Promise<TestDsc> {
  const keyAlg =
    options.alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }
  const keys = (await webcrypto.subtle.generateKey(keyAlg, true, ['sign', 'verify'])) as CryptoKeyPair
  const extensions: x509.Extension[] = []
  if (options.extendedKeyUsage !== undefined) {
    extensions.push(new x509.ExtendedKeyUsageExtension(options.extendedKeyUsage, false))
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0102030405',
    name: `CN=${options.commonName ?? `vaxpass test DSC ${options.alg}`}, C=VN`,
    notBefore: options.notBefore ?? new Date('2021-01-01T00:00:00Z'),
    notAfter: options.notAfter ?? new Date('2031-01-01T00:00:00Z'),
    signingAlgorithm: keyAlg,
    keys,
    extensions,
  })
  const der = new Uint8Array(cert.rawData)
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`
  const dsc = await parseDsc(der)
  const signer = createNodeSigner({ privateKey: privateKeyPem, alg: options.alg, kid: dsc.kid })
  return { der, pem: cert.toString('pem'), privateKeyPem, dsc, signer }
}

/** A valid DCC 1.3.0 vaccination payload (Vietnam, Comirnaty). */
export function sampleDcc(): Record<string, unknown> {
  return {
    ver: '1.3.0',
    nam: { fn: 'Nguyễn', gn: 'Thị Hồng Đào', fnt: 'NGUYEN', gnt: 'THI<HONG<DAO' },
    dob: '1990-04-12',
    v: [
      {
        tg: '840539006',
        vp: '1119349007',
        mp: 'EU/1/20/1528',
        ma: 'ORG-100030215',
        dn: 2,
        sd: 2,
        dt: '2021-09-01',
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: 'URN:UVCI:01:VN:0123456789ABCDEF0123456789ABCDEF',
      },
    ],
  }
}
