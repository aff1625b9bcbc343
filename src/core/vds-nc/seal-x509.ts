/**
 * X.509 operations that VDS-NC verification needs, behind one small interface with two
 * implementations: node:crypto (OpenSSL: every curve a CSCA may use, brainpool included), and
 * WebCrypto through @peculiar/x509 for browsers. Neither is imported statically, so core still
 * bundles for the offline web verifier.
 */

/** A parsed certificate, opaque to the verifier beyond these fields. */
export interface SealCertificate {
  readonly subject: string
  readonly notBefore: number
  readonly notAfter: number
  readonly native: unknown
}

/** Signature parameters of a VDS-NC `sig.alg`. */
export interface SealAlgorithm {
  readonly hash: 'SHA-256' | 'SHA-384' | 'SHA-512'
  readonly kind: 'ec' | 'rsa-pss' | 'rsa'
  /** Bytes of r (and of s) in a raw ECDSA signature. */
  readonly ecBytes?: number
}

export interface SealX509 {
  /** Throws when the DER is not a certificate. */
  parse(der: Uint8Array): Promise<SealCertificate>
  /** Verifies a signature made with the certificate's key; false, never a throw, when it fails. */
  verifyData(
    cert: SealCertificate,
    alg: SealAlgorithm,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>
  /** True when `ca` issued `cert` (names match and the signature verifies with its key). */
  isIssuedBy(cert: SealCertificate, ca: SealCertificate): Promise<boolean>
}

type GetBuiltin = (id: string) => unknown

/**
 * The node:crypto implementation when running on Node, else WebCrypto.
 *
 * @example
 * const x509 = await selectSealX509()
 */
export async function selectSealX509(prefer?: 'node' | 'web'): Promise<SealX509> {
  const key = prefer ?? 'default'
  let engine = engines.get(key)
  if (engine === undefined) {
    engine = await createSealX509(prefer)
    engines.set(key, engine)
  }
  return engine
}

const engines = new Map<string, SealX509>()

async function createSealX509(prefer?: 'node' | 'web'): Promise<SealX509> {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process
  if (prefer !== 'web' && proc?.getBuiltinModule !== undefined) {
    const nodeCrypto = proc.getBuiltinModule('node:crypto') as
      typeof import('node:crypto') | undefined
    if (nodeCrypto !== undefined) return nodeSealX509(nodeCrypto)
  }
  return webSealX509()
}

function nodeSealX509(c: typeof import('node:crypto')): SealX509 {
  return {
    async parse(der) {
      const cert = new c.X509Certificate(der)
      return {
        subject: cert.subject.replace(/\n/g, ', '),
        notBefore: Date.parse(cert.validFrom),
        notAfter: Date.parse(cert.validTo),
        native: cert,
      }
    },
    async verifyData(cert, alg, data, signature) {
      try {
        const key = (cert.native as import('node:crypto').X509Certificate).publicKey
        const hash = alg.hash.replace('-', '').toLowerCase()
        if (alg.kind === 'ec') {
          if (key.asymmetricKeyType !== 'ec') return false
          // Raw r||s is the usual form; DER-encoded ECDSA signatures are accepted too.
          const raw = signature.length === 2 * alg.ecBytes!
          return c.verify(hash, data, { key, dsaEncoding: raw ? 'ieee-p1363' : 'der' }, signature)
        }
        if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false
        if (alg.kind === 'rsa-pss') {
          const saltLength = Number(alg.hash.slice(4)) / 8
          return c.verify(
            hash,
            data,
            { key, padding: c.constants.RSA_PKCS1_PSS_PADDING, saltLength },
            signature,
          )
        }
        return c.verify(hash, data, key, signature)
      } catch {
        return false
      }
    },
    async isIssuedBy(cert, ca) {
      try {
        const leaf = cert.native as import('node:crypto').X509Certificate
        const issuer = ca.native as import('node:crypto').X509Certificate
        return leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey)
      } catch {
        return false
      }
    },
  }
}

async function webSealX509(): Promise<SealX509> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  const crypto = globalThis.crypto
  x509.cryptoProvider.set(crypto)
  type Cert = InstanceType<typeof x509.X509Certificate>
  return {
    async parse(der) {
      const cert = new x509.X509Certificate(new Uint8Array(der))
      return {
        subject: cert.subject,
        notBefore: cert.notBefore.getTime(),
        notAfter: cert.notAfter.getTime(),
        native: cert,
      }
    },
    async verifyData(cert, alg, data, signature) {
      try {
        const spki = (cert.native as Cert).publicKey
        const params =
          alg.kind === 'ec'
            ? { name: 'ECDSA', namedCurve: curveFor(spki.algorithm) }
            : { name: alg.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: alg.hash }
        const key = await crypto.subtle.importKey(
          'spki',
          new Uint8Array(spki.rawData),
          params,
          false,
          ['verify'],
        )
        if (alg.kind === 'ec') {
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
        const p =
          alg.kind === 'rsa-pss'
            ? { name: 'RSA-PSS', saltLength: Number(alg.hash.slice(4)) / 8 }
            : { name: 'RSASSA-PKCS1-v1_5' }
        return await crypto.subtle.verify(p, key, new Uint8Array(signature), new Uint8Array(data))
      } catch {
        return false
      }
    },
    async isIssuedBy(cert, ca) {
      try {
        const leaf = cert.native as Cert
        const issuer = ca.native as Cert
        if (leaf.issuer !== issuer.subject) return false
        return await leaf.verify({ publicKey: issuer.publicKey, signatureOnly: true })
      } catch {
        return false
      }
    },
  }
}

function curveFor(algorithm: unknown): string {
  const named = (algorithm as { namedCurve?: unknown }).namedCurve
  return typeof named === 'string' ? named : 'P-256'
}

/** Converts a DER ECDSA signature (SEQUENCE of two INTEGERs) to raw r||s of `size` bytes each. */
export function derToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  let i = 0
  if (der[i++] !== 0x30) return undefined
  let len = der[i++]!
  if (len & 0x80) {
    const n = len & 0x7f
    if (n !== 1) return undefined
    len = der[i++]!
  }
  if (i + len !== der.length) return undefined
  const out = new Uint8Array(2 * size)
  for (let part = 0; part < 2; part++) {
    if (der[i++] !== 0x02) return undefined
    const l = der[i++]!
    let v = der.subarray(i, i + l)
    i += l
    while (v.length > size && v[0] === 0) v = v.subarray(1)
    if (v.length > size || v.length === 0) return undefined
    out.set(v, part * size + (size - v.length))
  }
  return i === der.length ? out : undefined
}
