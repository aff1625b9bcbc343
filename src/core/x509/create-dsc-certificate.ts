import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import {
  formatDistinguishedName,
  randomSerialNumber,
  toCreatedCertificate,
  type CreatedCertificate,
} from './create-csca-certificate.js'
import {
  certificateSigningAlgorithmFor,
  type SigningAlgorithm,
} from './generate-signing-key-pair.js'

/** Extended key usage OIDs that restrict a DSC to certificate types (EU DCC). */
export const DSC_KEY_USAGE_OIDS = {
  test: '1.3.6.1.4.1.1847.2021.1.1',
  vaccination: '1.3.6.1.4.1.1847.2021.1.2',
  recovery: '1.3.6.1.4.1.1847.2021.1.3',
} as const

/** What a document signer certificate needs. */
export interface CreateDscOptions {
  /** Public key of the new DSC. */
  readonly publicKey: CryptoKey
  /** The CSCA certificate (DER) and private key that sign it. */
  readonly issuerCertificate: Uint8Array
  readonly issuerPrivateKey: CryptoKey
  /** Algorithm of the CSCA key (decides the X.509 signature algorithm). */
  readonly issuerAlg: SigningAlgorithm
  readonly country: string
  readonly commonName: string
  readonly organization?: string
  readonly notBefore: Date
  readonly notAfter: Date
  /** Certificate types this DSC may sign; default vaccination only. */
  readonly types?: ReadonlyArray<keyof typeof DSC_KEY_USAGE_OIDS>
  readonly serialNumber?: string
}

/**
 * Creates a document signer certificate (DSC) signed by a CSCA: not a CA, key usage
 * digitalSignature (critical), extended key usage limited to the given DCC types.
 *
 * @example
 * const dsc = await createDscCertificate({ publicKey: dscKeys.publicKey,
 *   issuerCertificate: csca.der, issuerPrivateKey: cscaKeys.privateKey, issuerAlg: 'ES256',
 *   country: 'VN', commonName: 'DSC VN 1', notBefore: now, notAfter: inTwoYears })
 */
export async function createDscCertificate(
  options: CreateDscOptions,
  crypto: Crypto = globalThis.crypto,
): Promise<CreatedCertificate> {
  const issuer = new x509.X509Certificate(new Uint8Array(options.issuerCertificate))
  const types = options.types ?? ['vaccination']
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: options.serialNumber ?? randomSerialNumber(crypto),
      subject: formatDistinguishedName(options),
      issuer: issuer.subject,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      signingAlgorithm: certificateSigningAlgorithmFor(options.issuerAlg),
      publicKey: options.publicKey,
      signingKey: options.issuerPrivateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          types.map((t) => DSC_KEY_USAGE_OIDS[t]),
          false,
        ),
        await x509.SubjectKeyIdentifierExtension.create(options.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(issuer, false, crypto),
      ],
    },
    crypto,
  )
  return toCreatedCertificate(cert)
}
