import { VaxpassError } from '../errors.js'
import {
  decodeDerTime,
  decodeOid,
  derBytes,
  readDer,
  readDerChildren,
  type DerElement,
} from '../asn1/read-der.js'
import { bytesToHex } from './bytes.js'
import type {
  InflateOptions,
  ParsedCertificate,
  Platform,
  PublicKeyHandle,
  SignatureAlgorithm,
} from './platform.js'

/*
 * The browser implementation of {@link Platform}: WebCrypto for hashes and signatures,
 * DecompressionStream for inflate (bounded by counting output chunks and cancelling), and a
 * small DER reader for the few certificate fields the verifier needs, so the offline verifier
 * does not carry a full X.509 library. Signing is never done in a browser.
 */

const EKU_OID = '2.5.29.37'
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
}
const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
}

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle
}

async function inflateWith(
  format: 'deflate' | 'deflate-raw',
  data: Uint8Array,
  options: InflateOptions,
): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream(format))
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > options.maxOutputLength) {
      await reader.cancel()
      throw new RangeError(`inflated output passes ${options.maxOutputLength} bytes`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

function formatName(el: DerElement): string {
  const parts: string[] = []
  for (const rdn of readDerChildren(el.content)) {
    for (const atv of readDerChildren(rdn.content)) {
      const [oid, value] = readDerChildren(atv.content)
      if (!oid || !value) continue
      const key = NAME_ATTRIBUTES[decodeOid(oid.content)] ?? decodeOid(oid.content)
      parts.push(`${key}=${new TextDecoder().decode(value.content)}`)
    }
  }
  return parts.join('\n')
}

/**
 * Reads subject, issuer, serial, validity, extended key usage and SPKI from a DER certificate.
 *
 * @example
 * const cert = parseCertificateDer(der)
 */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  try {
    const cert = readDer(der, 0)
    const tbsEl = readDer(cert.content, 0)
    const tbs = readDerChildren(tbsEl.content)
    let i = tbs[0]?.tag === 0xa0 ? 1 : 0 // optional explicit version
    const serial = tbs[i++]
    i++ // signature algorithm
    const issuer = tbs[i++]
    const validity = tbs[i++]
    const subject = tbs[i++]
    // SPKI is re-exported whole: find its offset inside the TBS content.
    let offset = 0
    for (let k = 0; k < i; k++) offset = (tbs[k] as DerElement).end
    const spki = derBytes(tbsEl.content, offset)
    i++
    if (!serial || !issuer || !validity || !subject) throw new Error('incomplete TBS')
    const [notBefore, notAfter] = readDerChildren(validity.content)
    if (!notBefore || !notAfter) throw new Error('incomplete validity')
    const extendedKeyUsage: string[] = []
    for (const el of tbs.slice(i)) {
      if (el.tag !== 0xa3) continue
      const extensions = readDerChildren(readDer(el.content, 0).content)
      for (const ext of extensions) {
        const fields = readDerChildren(ext.content)
        const oid = fields[0]
        const value = fields[fields.length - 1]
        if (!oid || !value || decodeOid(oid.content) !== EKU_OID) continue
        for (const usage of readDerChildren(readDer(value.content, 0).content)) {
          extendedKeyUsage.push(decodeOid(usage.content))
        }
      }
    }
    return {
      der,
      subject: formatName(subject),
      issuer: formatName(issuer),
      serialNumber: bytesToHex(serial.content).toUpperCase(),
      notBefore: decodeDerTime(notBefore),
      notAfter: decodeDerTime(notAfter),
      extendedKeyUsage,
      spki,
    }
  } catch (err) {
    if (err instanceof VaxpassError) throw err
    throw new VaxpassError('ERR_DSC_PARSE', 'certificate could not be parsed', { cause: err })
  }
}

/** {@link Platform} for browsers (the offline border verifier). */
export const webPlatform: Platform = {
  async sha256(data) {
    return new Uint8Array(await subtle().digest('SHA-256', data as BufferSource))
  },
  deflate() {
    throw new VaxpassError('ERR_INTERNAL', 'signing and compression are not done in a browser')
  },
  inflate(data, options) {
    return inflateWith('deflate', data, options)
  },
  inflateRaw(data, options) {
    return inflateWith('deflate-raw', data, options)
  },
  parseCertificate: parseCertificateDer,
  async importPublicKey(spki): Promise<PublicKeyHandle> {
    const spkiEl = readDer(spki, 0)
    const algorithm = readDerChildren(spkiEl.content)[0]
    const [oidEl, paramEl] = algorithm ? readDerChildren(algorithm.content) : []
    const oid = oidEl ? decodeOid(oidEl.content) : ''
    if (oid === '1.2.840.10045.2.1') {
      const curve = paramEl && paramEl.tag === 0x06 ? CURVES[decodeOid(paramEl.content)] : undefined
      if (!curve) return { type: 'OTHER', native: null }
      const key = await subtle().importKey(
        'spki',
        spki as BufferSource,
        { name: 'ECDSA', namedCurve: curve },
        false,
        ['verify'],
      )
      return { type: 'EC', native: key }
    }
    if (oid === '1.2.840.113549.1.1.1' || oid === '1.2.840.113549.1.1.10') {
      const key = await subtle().importKey(
        'spki',
        spki as BufferSource,
        { name: 'RSA-PSS', hash: 'SHA-256' },
        false,
        ['verify'],
      )
      return { type: 'RSA', native: key }
    }
    return { type: 'OTHER', native: null }
  },
  async verifySignature(alg: SignatureAlgorithm, key, data, signature) {
    try {
      const native = key.native as CryptoKey
      if (alg === 'ES256') {
        if (key.type !== 'EC' || signature.length !== 64) return false
        return await subtle().verify(
          { name: 'ECDSA', hash: 'SHA-256' },
          native,
          signature as BufferSource,
          data as BufferSource,
        )
      }
      if (key.type !== 'RSA') return false
      return await subtle().verify(
        { name: 'RSA-PSS', saltLength: 32 },
        native,
        signature as BufferSource,
        data as BufferSource,
      )
    } catch {
      return false
    }
  },
}
