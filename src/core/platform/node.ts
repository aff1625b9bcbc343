import {
  X509Certificate,
  createHash,
  createPublicKey,
  constants as cryptoConstants,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto'
import { inflateRawSync, inflateSync } from 'node:zlib'
import { deflateJs } from '../zlib/deflate-js.js'
import type {
  InflateOptions,
  ParsedCertificate,
  Platform,
  PublicKeyHandle,
  SignatureAlgorithm,
} from './platform.js'

/*
 * Why deflate is ours and inflate is zlib's: for a QR-sized COSE (~400 bytes), node:zlib's
 * deflateSync costs ~60% of an ES256 signature, and tuning its options (window, memLevel,
 * level) changes that by at most a third: the per-call stream setup (a Transform object, the
 * native handle, window and hash allocation) dominates. Our encoder (zlib/deflate-js.ts) reuses
 * its tables and writes one fixed-Huffman block for small inputs, in about a quarter of the
 * time, with output as small as zlib level 9 there. Inflate is the same story: zlib/zlib.ts
 * decodes QR-sized zlib streams with zlib/inflate-fast.ts before asking the platform, so
 * node:zlib here serves raw DEFLATE (SHC), larger streams and every malformed one (its verdict
 * is the reference), bounded by maxOutputLength. Figures: README "Performance".
 */
function toBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

/** Node.js implementation of {@link Platform}: node:crypto and node:zlib. */
export const nodePlatform: Platform = {
  async sha256(data) {
    return toBytes(createHash('sha256').update(data).digest())
  },
  deflate(data) {
    return deflateJs(data)
  },
  // maxOutputLength makes zlib stop before producing more (RangeError ERR_BUFFER_TOO_LARGE).
  async inflate(data, options: InflateOptions) {
    return toBytes(inflateSync(asBuffer(data), { maxOutputLength: options.maxOutputLength }))
  },
  async inflateRaw(data, options: InflateOptions) {
    return toBytes(inflateRawSync(asBuffer(data), { maxOutputLength: options.maxOutputLength }))
  },
  parseCertificate(der): ParsedCertificate {
    const cert = new X509Certificate(asBuffer(der))
    // Node names the extended key usage list `keyUsage`; undefined when absent.
    const eku = cert.keyUsage ?? []
    return {
      der,
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      extendedKeyUsage: eku,
      spki: toBytes(cert.publicKey.export({ type: 'spki', format: 'der' })),
    }
  },
  async importPublicKey(spki): Promise<PublicKeyHandle> {
    const key = createPublicKey({ key: asBuffer(spki), format: 'der', type: 'spki' })
    const t = key.asymmetricKeyType
    const type = t === 'ec' ? 'EC' : t === 'rsa' || t === 'rsa-pss' ? 'RSA' : 'OTHER'
    return { type, native: key }
  },
  async verifySignature(alg: SignatureAlgorithm, key, data, signature) {
    return verifySignatureSync(alg, key, data, signature)
  },
  verifySignatureSync,
}

/**
 * Signature check behind {@link nodePlatform}'s `verifySignature` and `verifySignatureSync`.
 * False for a key of the wrong type or a malformed signature, never an exception.
 */
function verifySignatureSync(
  alg: SignatureAlgorithm,
  key: PublicKeyHandle,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const native = key.native as KeyObject
  try {
    if (alg === 'ES256') {
      if (key.type !== 'EC' || signature.length !== 64) return false
      return cryptoVerify('sha256', data, { key: native, dsaEncoding: 'ieee-p1363' }, signature)
    }
    if (key.type !== 'RSA') return false
    return cryptoVerify(
      'sha256',
      data,
      { key: native, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature,
    )
  } catch {
    return false
  }
}
