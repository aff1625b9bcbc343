import { decodeCbor, encodeCbor, isCborTagged } from '../cbor/cbor.js'
import { NOT_FAST, decodeCborFast, readCoseEnvelopeFast } from '../cbor/decode-cbor-fast.js'
import { VaxpassError } from '../errors.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform, PublicKeyHandle, SignatureAlgorithm } from '../platform/platform.js'
import { COSE_ALG_IDS, algorithmFromCoseId, type Signer } from './signer.js'

/** CBOR tags around a COSE_Sign1. */
export const COSE_SIGN1_TAG = 18
export const CWT_TAG = 61

/** A decoded COSE_Sign1 message. Header maps keep their integer labels. */
export interface CoseSign1 {
  /** The protected header exactly as signed (bstr content). */
  readonly protectedBytes: Uint8Array
  readonly protectedHeader: ReadonlyMap<unknown, unknown>
  readonly unprotectedHeader: ReadonlyMap<unknown, unknown>
  readonly payload: Uint8Array
  readonly signature: Uint8Array
  /** COSE alg id from the protected header (else the unprotected one). */
  readonly alg: number | undefined
  /** kid from the protected header, else the unprotected header. */
  readonly kid: Uint8Array | undefined
  readonly kidLocation: 'protected' | 'unprotected' | undefined
  /** Tags found around the message, outermost first (e.g. [61, 18]). */
  readonly tags: readonly number[]
}

// Sig_structure prefix: array(4), text(10) "Signature1"
const SIG_STRUCTURE_PREFIX = new Uint8Array([
  0x84, 0x6a, 0x53, 0x69, 0x67, 0x6e, 0x61, 0x74, 0x75, 0x72, 0x65, 0x31,
])

/**
 * The bytes that are signed: `["Signature1", protected, h'', payload]`, written directly
 * (no CBOR encoder round trip, no copy of the payload beyond one concatenation). `into`, when
 * large enough, receives the bytes and the result is a view on it (a verifier's scratch buffer).
 *
 * @example
 * const toBeSigned = buildSigStructure(cose.protectedBytes, cose.payload)
 */
export function buildSigStructure(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  into?: Uint8Array,
): Uint8Array {
  // One allocation, headers written in place (this runs on every sign and every verify).
  const pl = protectedBytes.length
  const n = payload.length
  const size = SIG_STRUCTURE_PREFIX.length + headerSize(pl) + pl + 1 + headerSize(n) + n
  const out =
    into !== undefined && into.length >= size ? into.subarray(0, size) : new Uint8Array(size)
  out.set(SIG_STRUCTURE_PREFIX, 0)
  let o = writeBstrHeader(out, SIG_STRUCTURE_PREFIX.length, pl)
  out.set(protectedBytes, o)
  o += pl
  out[o++] = 0x40
  o = writeBstrHeader(out, o, n)
  out.set(payload, o)
  return out
}

function headerSize(length: number): number {
  return length < 24 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5
}

function writeBstrHeader(out: Uint8Array, o: number, length: number): number {
  if (length < 24) {
    out[o] = 0x40 | length
    return o + 1
  }
  if (length < 0x100) {
    out[o] = 0x58
    out[o + 1] = length
    return o + 2
  }
  if (length < 0x10000) {
    out[o] = 0x59
    out[o + 1] = length >> 8
    out[o + 2] = length & 0xff
    return o + 3
  }
  out[o] = 0x5a
  out[o + 1] = length >>> 24
  out[o + 2] = (length >> 16) & 0xff
  out[o + 3] = (length >> 8) & 0xff
  out[o + 4] = length & 0xff
  return o + 5
}

const EMPTY_MAP = new Uint8Array([0xa0])

// The protected header of a signer never changes: encode it once.
const protectedCache = new WeakMap<Signer, Uint8Array>()

function protectedHeaderOf(signer: Signer): Uint8Array {
  let p = protectedCache.get(signer)
  if (p === undefined) {
    p = encodeCbor(
      new Map<number, unknown>([
        [1, COSE_ALG_IDS[signer.alg]],
        [4, signer.kid],
      ]),
    )
    protectedCache.set(signer, p)
  }
  return p
}

/** Options of {@link signCoseSign1}. */
export interface SignCoseOptions {
  /** Write tag 18 in front (default true, as HCERT requires). */
  readonly tagged?: boolean
  /** Put the kid in the unprotected header instead (only to build test vectors). */
  readonly kidInUnprotected?: boolean
}

/**
 * Signs a payload as a COSE_Sign1 with alg and kid in the protected header and an empty
 * unprotected header.
 *
 * @example
 * const cose = signCoseSign1(cwtBytes, signer)
 */
export function signCoseSign1(
  payload: Uint8Array,
  signer: Signer,
  options: SignCoseOptions = {},
): Uint8Array {
  let protectedBytes: Uint8Array
  let unprotected: Uint8Array
  if (options.kidInUnprotected === true) {
    protectedBytes = encodeCbor(new Map([[1, COSE_ALG_IDS[signer.alg]]]))
    unprotected = encodeCbor(new Map<number, unknown>([[4, signer.kid]]))
  } else {
    protectedBytes = protectedHeaderOf(signer)
    unprotected = EMPTY_MAP
  }
  const signature = signer.sign(buildSigStructure(protectedBytes, payload))
  return assembleCoseSign1(
    protectedBytes,
    unprotected,
    payload,
    signature,
    options.tagged !== false,
  )
}

function assembleCoseSign1(
  protectedBytes: Uint8Array,
  unprotected: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
  tagged: boolean,
): Uint8Array {
  // One allocation: tag 18, array(4), then the four items written in place.
  const pl = protectedBytes.length
  const n = payload.length
  const sl = signature.length
  const out = new Uint8Array(
    (tagged ? 2 : 1) +
      headerSize(pl) +
      pl +
      unprotected.length +
      headerSize(n) +
      n +
      headerSize(sl) +
      sl,
  )
  let o = 0
  if (tagged) out[o++] = 0xd2
  out[o++] = 0x84
  o = writeBstrHeader(out, o, pl)
  out.set(protectedBytes, o)
  o += pl
  out.set(unprotected, o)
  o += unprotected.length
  o = writeBstrHeader(out, o, n)
  out.set(payload, o)
  o += n
  o = writeBstrHeader(out, o, sl)
  out.set(signature, o)
  return out
}

// Signers known not to keep the bytes they sign after returning (node:crypto's): those are
// given a view on signCoseSign1InPlace's buffer; any other signer gets its own copy.
const viewSafeSigners = new WeakSet<Signer>()

/**
 * Declares that `signer.sign` does not keep its argument once it returns, so that
 * {@link signCoseSign1InPlace} may hand it a view on a reused buffer instead of a copy.
 *
 * @example
 * markSignerViewSafe(signer) // createNodeSigner does this for its signers
 */
export function markSignerViewSafe(signer: Signer): void {
  viewSafeSigners.add(signer)
}

/**
 * {@link signCoseSign1} with its defaults (tag 18, alg and kid protected, empty unprotected
 * header; the same bytes) for a payload that already sits in `buf` at `[start, end)`, without
 * copying it: the Sig_structure is written just before the payload and signed there, then the
 * COSE_Sign1 head is written over it and the signature after the payload. Returns the
 * COSE_Sign1 as a view on `buf`, valid until `buf` is reused. Needs
 * {@link coseSign1Room} free bytes before `start`; without them, or without room for the
 * signature after `end`, it returns a new array instead (the same bytes).
 *
 * @example
 * const end = writeCwtClaims(claims, buf, 64)
 * const cose = signCoseSign1InPlace(buf, 64, end, signer)
 */
export function signCoseSign1InPlace(
  buf: Uint8Array,
  start: number,
  end: number,
  signer: Signer,
): Uint8Array {
  const protectedBytes = protectedHeaderOf(signer)
  const pl = protectedBytes.length
  const n = end - start
  const payloadHead = start - headerSize(n)
  // Sig_structure: prefix, bstr(protected), h'' (0x40), bstr(payload): ends at `end`.
  const sigStart = payloadHead - 1 - pl - headerSize(pl) - SIG_STRUCTURE_PREFIX.length
  if (sigStart < 0) return signCoseSign1(buf.slice(start, end), signer)
  buf.set(SIG_STRUCTURE_PREFIX, sigStart)
  let o = writeBstrHeader(buf, sigStart + SIG_STRUCTURE_PREFIX.length, pl)
  buf.set(protectedBytes, o)
  o += pl
  buf[o++] = 0x40
  writeBstrHeader(buf, o, n)
  const toBeSigned = buf.subarray(sigStart, end)
  const signature = signer.sign(viewSafeSigners.has(signer) ? toBeSigned : toBeSigned.slice())
  const sl = signature.length
  if (end + headerSize(sl) + sl > buf.length) {
    return assembleCoseSign1(protectedBytes, EMPTY_MAP, buf.slice(start, end), signature, true)
  }
  // COSE_Sign1: tag 18, array(4), bstr(protected), {} (0xa0), then bstr(payload) already there.
  const coseStart = payloadHead - 1 - pl - headerSize(pl) - 2
  buf[coseStart] = 0xd2
  buf[coseStart + 1] = 0x84
  o = writeBstrHeader(buf, coseStart + 2, pl)
  buf.set(protectedBytes, o)
  o += pl
  buf[o] = 0xa0
  o = writeBstrHeader(buf, end, sl)
  buf.set(signature, o)
  return buf.subarray(coseStart, o + sl)
}

/**
 * Free bytes {@link signCoseSign1InPlace} needs before a payload of `payloadLength` bytes.
 *
 * @example
 * coseSign1Room(signer, 300) // 31 for an 8-byte kid
 */
export function coseSign1Room(signer: Signer, payloadLength: number): number {
  const pl = protectedHeaderOf(signer).length
  return SIG_STRUCTURE_PREFIX.length + headerSize(pl) + pl + 1 + headerSize(payloadLength)
}

/**
 * Decodes a COSE_Sign1: tagged 18, untagged, or inside a CWT tag 61. Structure only, no
 * signature check. Errors: `ERR_CBOR`, `ERR_CBOR_TOO_DEEP`, `ERR_COSE_STRUCTURE`.
 *
 * @example
 * const cose = decodeCoseSign1(bytes)
 */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  // The usual shape is read in one pass; anything unusual (and every error) takes the general path.
  const env = readCoseEnvelopeFast(bytes)
  if (env !== NOT_FAST) {
    // Indexed reads: array destructuring would go through the iterator protocol.
    const items = env.items
    const p = items[0]
    const u = items[1]
    const header = p.length === 0 ? new Map() : decodeCborFast(p)
    if (u instanceof Map && header instanceof Map) {
      return coseOf(p, header, u, items[2], items[3], env.tags)
    }
  }
  let item = decodeCbor(bytes)
  const tags: number[] = []
  while (isCborTagged(item)) {
    tags.push(item.tag)
    if (item.tag !== COSE_SIGN1_TAG && item.tag !== CWT_TAG) {
      throw structure(`unexpected CBOR tag ${item.tag}`)
    }
    item = item.value
  }
  if (!Array.isArray(item) || item.length !== 4) throw structure('COSE_Sign1 must be an array of 4')
  const [p, u, payload, signature] = item as unknown[]
  if (!(p instanceof Uint8Array)) throw structure('protected header must be a byte string')
  if (!(payload instanceof Uint8Array)) throw structure('payload must be a byte string')
  if (!(signature instanceof Uint8Array)) throw structure('signature must be a byte string')
  const unprotectedHeader = u instanceof Map ? u : undefined
  if (unprotectedHeader === undefined) throw structure('unprotected header must be a map')
  let protectedHeader: ReadonlyMap<unknown, unknown> = new Map()
  if (p.length > 0) {
    const decoded = decodeCbor(p)
    if (!(decoded instanceof Map)) throw structure('protected header must hold a map')
    protectedHeader = decoded
  }
  return coseOf(p, protectedHeader, unprotectedHeader, payload, signature, tags)
}

function coseOf(
  p: Uint8Array,
  protectedHeader: ReadonlyMap<unknown, unknown>,
  unprotectedHeader: ReadonlyMap<unknown, unknown>,
  payload: Uint8Array,
  signature: Uint8Array,
  tags: readonly number[],
): CoseSign1 {
  const alg = protectedHeader.get(1) ?? unprotectedHeader.get(1)
  const pk = protectedHeader.get(4)
  const uk = unprotectedHeader.get(4)
  const kid = pk instanceof Uint8Array ? pk : uk instanceof Uint8Array ? uk : undefined
  return {
    protectedBytes: p,
    protectedHeader,
    unprotectedHeader,
    payload,
    signature,
    alg: typeof alg === 'number' ? alg : undefined,
    kid,
    kidLocation:
      pk instanceof Uint8Array ? 'protected' : uk instanceof Uint8Array ? 'unprotected' : undefined,
    tags,
  }
}

function structure(message: string): VaxpassError<'ERR_COSE_STRUCTURE'> {
  return new VaxpassError('ERR_COSE_STRUCTURE', message)
}

/**
 * Checks the signature of a decoded COSE_Sign1 with one public key. False when the signature
 * does not verify or the key does not fit the algorithm; `ERR_COSE_ALG` for an algorithm other
 * than ES256 / PS256.
 *
 * @example
 * const ok = await verifyCoseSign1(cose, await platform.importPublicKey(spki))
 */
export async function verifyCoseSign1(
  cose: CoseSign1,
  key: PublicKeyHandle,
  platform: Platform = getDefaultPlatform(),
): Promise<boolean> {
  const alg = requireAlgorithm(cose.alg)
  return platform.verifySignature(
    alg,
    key,
    buildSigStructure(cose.protectedBytes, cose.payload),
    cose.signature,
  )
}

/**
 * The HCERT algorithm of a COSE alg id, or `ERR_COSE_ALG`.
 *
 * @example
 * requireAlgorithm(-37) // 'PS256'
 */
export function requireAlgorithm(id: number | undefined): SignatureAlgorithm {
  const alg = algorithmFromCoseId(id)
  if (alg === undefined) {
    throw new VaxpassError('ERR_COSE_ALG', `unsupported COSE algorithm ${String(id)}`)
  }
  return alg
}
