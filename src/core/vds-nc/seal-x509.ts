/**
 * X.509 operations that VDS-NC verification needs, behind one small interface with two
 * implementations: node:crypto (OpenSSL: every curve a CSCA may use, brainpool included), and
 * WebCrypto with a small DER reader for browsers. Neither is imported statically, so core still
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
  // Loaded on demand: Node never needs it.
  const { webSealX509 } = await import('./web-seal-x509.js')
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
