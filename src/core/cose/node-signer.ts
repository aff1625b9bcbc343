import { createPrivateKey, constants, sign as cryptoSign, type KeyObject } from 'node:crypto'
import { VaxpassError } from '../errors.js'
import type { SignatureAlgorithm } from '../platform/platform.js'
import { markSignerViewSafe } from './cose-sign1.js'
import type { Signer } from './signer.js'

/** Options of {@link createNodeSigner}. */
export interface NodeSignerOptions {
  /** PKCS#8 PEM or DER, or a node KeyObject. */
  readonly privateKey: string | Uint8Array | KeyObject
  /** Defaults to ES256 for an EC key and PS256 for an RSA key. */
  readonly alg?: SignatureAlgorithm
  /** The DSC's kid (see computeKid). */
  readonly kid: Uint8Array
  /** Passphrase of an encrypted PKCS#8 key. */
  readonly passphrase?: string
}

/**
 * A {@link Signer} on node:crypto, the fastest signer on Node (used for bulk issuance).
 * Errors: `ERR_KEY_PARSE`, `ERR_KEY_PASSPHRASE`, `ERR_COSE_ALG` (key and algorithm disagree).
 *
 * @example
 * const signer = createNodeSigner({ privateKey: pem, kid: await computeKid(dscDer) })
 */
export function createNodeSigner(options: NodeSignerOptions): Signer {
  const key = importPrivateKey(options.privateKey, options.passphrase)
  const type = key.asymmetricKeyType
  const alg = options.alg ?? (type === 'ec' ? 'ES256' : 'PS256')
  if ((alg === 'ES256' && type !== 'ec') || (alg === 'PS256' && type !== 'rsa' && type !== 'rsa-pss')) {
    throw new VaxpassError('ERR_COSE_ALG', `a ${String(type)} key cannot sign ${alg}`)
  }
  if (alg === 'ES256' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new VaxpassError('ERR_COSE_ALG', 'ES256 needs a P-256 key')
  }
  const kid = new Uint8Array(options.kid)
  let signer: Signer
  if (alg === 'ES256') {
    const signOptions = { key, dsaEncoding: 'ieee-p1363' as const }
    signer = { alg, kid, sign: (data) => cryptoSign('sha256', data, signOptions) }
  } else {
    const signOptions = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    signer = { alg, kid, sign: (data) => cryptoSign('sha256', data, signOptions) }
  }
  // node:crypto reads the bytes during the call only: COSE signing may pass a reused buffer.
  markSignerViewSafe(signer)
  return signer
}

function importPrivateKey(input: string | Uint8Array | KeyObject, passphrase?: string): KeyObject {
  if (!(input instanceof Uint8Array) && typeof input !== 'string') return input
  try {
    if (typeof input === 'string') {
      return createPrivateKey(passphrase === undefined ? input : { key: input, passphrase })
    }
    const der = Buffer.from(input)
    return passphrase === undefined
      ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
      : createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase })
  } catch (err) {
    const msg = err instanceof Error ? err.message : ''
    if (/passphrase|decrypt|bad decrypt/i.test(msg)) {
      throw new VaxpassError('ERR_KEY_PASSPHRASE', 'the private key could not be decrypted', { cause: err })
    }
    throw new VaxpassError('ERR_KEY_PARSE', 'the private key could not be read', { cause: err })
  }
}
