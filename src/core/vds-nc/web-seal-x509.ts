import { decodeOid, derBytes, readDer, readDerChildren, type DerElement } from '../asn1/read-der.js'
import { equalBytes } from '../platform/bytes.js'
import { parseCertificateDer } from '../platform/web.js'
import type { SealAlgorithm, SealCertificate, SealX509 } from './seal-x509.js'
import { derToRaw } from './der-to-raw.js'

/** What the WebCrypto implementation keeps of a certificate. */
interface WebCertificate {
  readonly tbs: Uint8Array
  readonly signatureAlgorithm: DerElement
  readonly signature: Uint8Array
  readonly issuerName: Uint8Array
  readonly subjectName: Uint8Array
  readonly spki: Uint8Array
}

const CURVES: Record<string, { name: string; bytes: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bytes: 32 },
  '1.3.132.0.34': { name: 'P-384', bytes: 48 },
  '1.3.132.0.35': { name: 'P-521', bytes: 66 },
}
const EC_PUBLIC_KEY = '1.2.840.10045.2.1'
const HASH_OIDS: Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
}
const CERT_SIGNATURES: Record<
  string,
  { kind: 'ec' | 'rsa'; hash: 'SHA-256' | 'SHA-384' | 'SHA-512' }
> = {
  '1.2.840.10045.4.3.2': { kind: 'ec', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ec', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ec', hash: 'SHA-512' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'SHA-512' },
}
const RSASSA_PSS = '1.2.840.113549.1.1.10'

function readCertificate(der: Uint8Array): WebCertificate {
  const cert = readDer(der, 0)
  const [tbsEl, algEl, sigEl] = readDerChildren(cert.content)
  if (!tbsEl || !algEl || !sigEl || sigEl.tag !== 0x03) throw new Error('not a certificate')
  const tbs = readDerChildren(tbsEl.content)
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0
  const bytesAt = (index: number) => derBytes(tbsEl.content, index === 0 ? 0 : tbs[index - 1]!.end)
  const issuerIndex = i + 2
  const subjectIndex = i + 4
  i = subjectIndex + 1
  if (tbs[i] === undefined) throw new Error('incomplete TBS')
  return {
    tbs: derBytes(cert.content, 0),
    signatureAlgorithm: algEl,
    // BIT STRING content starts with the count of unused bits (0 for signatures).
    signature: sigEl.content.subarray(1),
    issuerName: bytesAt(issuerIndex),
    subjectName: bytesAt(subjectIndex),
    spki: bytesAt(i),
  }
}

/** The WebCrypto import parameters of an SPKI for ECDSA, or undefined when it is not EC. */
function ecCurveOf(spki: Uint8Array): { name: string; bytes: number } | undefined {
  const [alg] = readDerChildren(readDer(spki, 0).content)
  if (!alg) return undefined
  const [oid, params] = readDerChildren(alg.content)
  if (!oid || decodeOid(oid.content) !== EC_PUBLIC_KEY || !params || params.tag !== 0x06)
    return undefined
  return CURVES[decodeOid(params.content)]
}

async function importKey(
  spki: Uint8Array,
  params: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams,
) {
  return crypto.subtle.importKey('spki', new Uint8Array(spki), params, false, ['verify'])
}

function pssParams(
  alg: DerElement,
): { hash: 'SHA-256' | 'SHA-384' | 'SHA-512'; saltLength: number } | undefined {
  const [, params] = readDerChildren(alg.content)
  let hash: 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined
  let saltLength = 20
  for (const field of params === undefined ? [] : readDerChildren(params.content)) {
    const inner = readDer(field.content, 0)
    if (field.tag === 0xa0) {
      const [oid] = readDerChildren(inner.content)
      hash = oid === undefined ? undefined : HASH_OIDS[decodeOid(oid.content)]
    } else if (field.tag === 0xa2) {
      saltLength = inner.content.reduce((n, b) => n * 256 + b, 0)
    }
  }
  // SHA-1 (the PSS default) is not accepted for a trust chain.
  return hash === undefined ? undefined : { hash, saltLength }
}

/**
 * VDS-NC certificate operations with WebCrypto and a small DER reader, for browsers: ECDSA on
 * P-256/P-384/P-521, RSA PKCS#1 v1.5 and RSA-PSS with SHA-2. Curves WebCrypto lacks (brainpool)
 * make the check fail, never throw.
 *
 * @example
 * const x509 = webSealX509()
 */
export function webSealX509(): SealX509 {
  return {
    async parse(der) {
      const parsed = parseCertificateDer(der)
      const native = readCertificate(der)
      return {
        subject: parsed.subject.replace(/\n/g, ', '),
        notBefore: parsed.notBefore.getTime(),
        notAfter: parsed.notAfter.getTime(),
        native,
      }
    },
    async verifyData(cert: SealCertificate, alg: SealAlgorithm, data, signature) {
      try {
        const c = cert.native as WebCertificate
        if (alg.kind === 'ec') {
          const curve = ecCurveOf(c.spki)
          if (curve === undefined) return false
          const key = await importKey(c.spki, { name: 'ECDSA', namedCurve: curve.name })
          const raw =
            signature.length === 2 * alg.ecBytes! ? signature : derToRaw(signature, alg.ecBytes!)
          if (raw === undefined) return false
          return await crypto.subtle.verify(
            { name: 'ECDSA', hash: alg.hash },
            key,
            new Uint8Array(raw),
            new Uint8Array(data),
          )
        }
        const name = alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5'
        const key = await importKey(c.spki, { name, hash: alg.hash })
        const params =
          alg.kind === 'rsa-pss' ? { name, saltLength: Number(alg.hash.slice(4)) / 8 } : { name }
        return await crypto.subtle.verify(
          params,
          key,
          new Uint8Array(signature),
          new Uint8Array(data),
        )
      } catch {
        return false
      }
    },
    async isIssuedBy(cert, ca) {
      try {
        const leaf = cert.native as WebCertificate
        const issuer = ca.native as WebCertificate
        if (!equalBytes(leaf.issuerName, issuer.subjectName)) return false
        const [oidEl] = readDerChildren(leaf.signatureAlgorithm.content)
        const oid = oidEl === undefined ? '' : decodeOid(oidEl.content)
        const tbs = new Uint8Array(leaf.tbs)
        if (oid === RSASSA_PSS) {
          const pss = pssParams(leaf.signatureAlgorithm)
          if (pss === undefined) return false
          const key = await importKey(issuer.spki, { name: 'RSA-PSS', hash: pss.hash })
          return await crypto.subtle.verify(
            { name: 'RSA-PSS', saltLength: pss.saltLength },
            key,
            new Uint8Array(leaf.signature),
            tbs,
          )
        }
        const spec = CERT_SIGNATURES[oid]
        if (spec === undefined) return false
        if (spec.kind === 'ec') {
          const curve = ecCurveOf(issuer.spki)
          if (curve === undefined) return false
          const raw = derToRaw(leaf.signature, curve.bytes)
          if (raw === undefined) return false
          const key = await importKey(issuer.spki, { name: 'ECDSA', namedCurve: curve.name })
          return await crypto.subtle.verify(
            { name: 'ECDSA', hash: spec.hash },
            key,
            new Uint8Array(raw),
            tbs,
          )
        }
        const key = await importKey(issuer.spki, { name: 'RSASSA-PKCS1-v1_5', hash: spec.hash })
        return await crypto.subtle.verify(
          { name: 'RSASSA-PKCS1-v1_5' },
          key,
          new Uint8Array(leaf.signature),
          tbs,
        )
      } catch {
        return false
      }
    },
  }
}
