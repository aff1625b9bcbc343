import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import {
  certificateSigningAlgorithmFor,
  type SigningAlgorithm,
  type SigningKeyPair,
} from './generate-signing-key-pair.js'

/** A certificate as DER bytes and PEM text. */
export interface CreatedCertificate {
  readonly der: Uint8Array
  readonly pem: string
  readonly serialNumber: string
  readonly notBefore: Date
  readonly notAfter: Date
}

/** What a country signing CA certificate needs. */
export interface CreateCscaOptions {
  readonly keys: SigningKeyPair
  /** ISO 3166-1 alpha-2, e.g. `VN`. */
  readonly country: string
  readonly commonName: string
  readonly organization?: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly serialNumber?: string
}

/** Distinguished name string for @peculiar/x509 (values may not contain `,` or `=`). */
export function formatDistinguishedName(parts: {
  country: string
  commonName: string
  organization?: string | undefined
}): string {
  const clean = (s: string) => s.replace(/[,=+<>#;"\\]/g, ' ').trim()
  const out = [`C=${clean(parts.country)}`]
  if (parts.organization) out.push(`O=${clean(parts.organization)}`)
  out.push(`CN=${clean(parts.commonName)}`)
  return out.join(', ')
}

/** A random positive 16-byte serial number, hex. */
export function randomSerialNumber(crypto: Crypto = globalThis.crypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] ?? 0) & 0x7f // positive INTEGER
  if (bytes[0] === 0) bytes[0] = 1
  return Buffer.from(bytes).toString('hex')
}

export function toCreatedCertificate(cert: x509.X509Certificate): CreatedCertificate {
  return {
    der: new Uint8Array(cert.rawData),
    pem: cert.toString('pem') + '\n',
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  }
}

/**
 * Creates a self-signed country signing CA (CSCA) certificate: CA, path length 0,
 * key usage keyCertSign and cRLSign (critical).
 *
 * @example
 * const keys = await generateSigningKeyPair('ES256')
 * const csca = await createCscaCertificate({ keys, country: 'VN', commonName: 'CSCA VN',
 *   notBefore: now, notAfter: new Date(now.getTime() + 10 * 365 * 86400e3) })
 */
export async function createCscaCertificate(
  options: CreateCscaOptions,
  crypto: Crypto = globalThis.crypto,
): Promise<CreatedCertificate> {
  const alg: SigningAlgorithm = options.keys.alg
  const name = formatDistinguishedName(options)
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: options.serialNumber ?? randomSerialNumber(crypto),
      name,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      signingAlgorithm: certificateSigningAlgorithmFor(alg),
      keys: { privateKey: options.keys.privateKey, publicKey: options.keys.publicKey },
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(options.keys.publicKey, false, crypto),
      ],
    },
    crypto,
  )
  return toCreatedCertificate(cert)
}
