import { VaxpassError } from '../errors.js'
import { computeKid } from '../kid/compute-kid.js'
import { base64ToBytes, bytesToBase64 } from '../platform/bytes.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform, PublicKeyHandle } from '../platform/platform.js'

/** Extended key usage OIDs restricting a DSC to test / vaccination / recovery certificates. */
export const DCC_KEY_USAGE_OIDS = {
  t: ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.0.1847.2021.1.1'],
  v: ['1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.2'],
  r: ['1.3.6.1.4.1.1847.2021.1.3', '1.3.6.1.4.1.0.1847.2021.1.3'],
} as const

/** A certificate type of the DCC: test, vaccination or recovery. */
export type DccCertificateType = keyof typeof DCC_KEY_USAGE_OIDS

/** A parsed document signer certificate. */
export interface Dsc {
  readonly der: Uint8Array
  /** 8 bytes. */
  readonly kid: Uint8Array
  /** kid as standard base64, the key of trust lists. */
  readonly kidBase64: string
  readonly subject: string
  readonly issuer: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly extendedKeyUsage: readonly string[]
  /** The certificate types its DCC key usage OIDs allow; empty = no restriction. */
  readonly allowedTypes: readonly DccCertificateType[]
  readonly publicKey: PublicKeyHandle
  /** Country from the trust list entry, when loaded from one. */
  readonly country?: string
}

/**
 * Reads a DSC from DER bytes, a PEM text or base64 text, and computes its kid.
 * Errors: `ERR_DSC_PARSE`.
 *
 * @example
 * const dsc = await parseDsc(fs.readFileSync('dsc.pem', 'utf8'))
 */
export async function parseDsc(
  input: Uint8Array | string,
  options: { platform?: Platform; country?: string } = {},
): Promise<Dsc> {
  const platform = options.platform ?? getDefaultPlatform()
  const der = certificateToDer(input)
  let parsed
  let publicKey
  try {
    parsed = platform.parseCertificate(der)
    publicKey = await platform.importPublicKey(parsed.spki)
  } catch (err) {
    throw new VaxpassError('ERR_DSC_PARSE', 'the certificate could not be parsed', { cause: err })
  }
  const kid = await computeKid(der, platform)
  const eku = parsed.extendedKeyUsage
  const allowedTypes = (Object.keys(DCC_KEY_USAGE_OIDS) as DccCertificateType[]).filter((t) =>
    DCC_KEY_USAGE_OIDS[t].some((oid) => eku.includes(oid)),
  )
  const dsc: Dsc = {
    der,
    kid,
    kidBase64: bytesToBase64(kid),
    subject: parsed.subject,
    issuer: parsed.issuer,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    extendedKeyUsage: eku,
    allowedTypes,
    publicKey,
    ...(options.country === undefined ? {} : { country: options.country }),
  }
  return dsc
}

/**
 * The DER bytes of one X.509 certificate given as DER, PEM or base64 (text, or bytes of a text
 * file). Throws `ERR_DSC_PARSE` for anything else.
 *
 * @example
 * const der = certificateToDer(readFileSync('csca.pem', 'utf8'))
 */
export function certificateToDer(input: Uint8Array | string): Uint8Array {
  if (input instanceof Uint8Array) {
    // DER starts with a SEQUENCE; anything else is treated as text (PEM or base64 in a file).
    if (input[0] === 0x30) return input
    return certificateToDer(new TextDecoder().decode(input))
  }
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(input)
  const body = pem?.[1] ?? input
  try {
    const der = base64ToBytes(body.trim())
    if (der.length === 0) throw new TypeError('empty')
    return der
  } catch (err) {
    throw new VaxpassError('ERR_DSC_PARSE', 'the certificate is neither DER, PEM nor base64', {
      cause: err,
    })
  }
}

/**
 * True when the DSC may sign certificates of this type: it carries no DCC key usage OID, or
 * one for this type (the mistyped `1.3.6.1.4.1.0.1847...` variant is honoured).
 *
 * @example
 * isKeyUsageAllowed(dsc, 'v')
 */
export function isKeyUsageAllowed(dsc: Dsc, type: DccCertificateType): boolean {
  return dsc.allowedTypes.length === 0 || dsc.allowedTypes.includes(type)
}
