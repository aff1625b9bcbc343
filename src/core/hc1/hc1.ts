import { decodeBase45, encodeBase45 } from '../base45/base45.js'
import {
  allocTextBuffer,
  asciiText,
  base45Length,
  encodeBase45Into,
} from '../base45/encode-base45-into.js'
import { NOT_WRITTEN } from '../cbor/encode-cbor-fast.js'
import {
  coseSign1Room,
  decodeCoseSign1,
  signCoseSign1,
  signCoseSign1InPlace,
  type CoseSign1,
} from '../cose/cose-sign1.js'
import type { Signer } from '../cose/signer.js'
import {
  encodeCwtClaims,
  parseCwtClaims,
  writeCwtClaims,
  type CwtClaims,
} from '../cwt/cwt-claims.js'
import { VaxpassError } from '../errors.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import { nodePlatform } from '../platform/node.js'
import type { Platform } from '../platform/platform.js'
import { FIXED_MAX_INPUT, deflateFixedBound, deflateFixedInto } from '../zlib/deflate-fixed.js'
import { DEFAULT_MAX_INFLATE, inflateZlib } from '../zlib/zlib.js'

/** The context identifier of EU DCC strings. */
export const HC1_PREFIX = 'HC1:'

/** Options of {@link signHc1}. */
export interface SignHc1Options {
  readonly signer: Signer
  /** CWT `iss`: the issuing country, e.g. 'VN'. */
  readonly issuer: string
  readonly iat: Date
  readonly exp: Date
  readonly platform?: Platform
}

/**
 * Signs a DCC payload and packs it as an `HC1:` string: CWT claims -> COSE_Sign1 (tag 18) ->
 * zlib -> Base45 -> prefix. The payload is encoded once; nothing is re-encoded or copied twice.
 *
 * @example
 * const hc1 = signHc1(dcc, { signer, issuer: 'VN', iat: now, exp: inOneYear })
 */
export function signHc1(payload: unknown, options: SignHc1Options): string {
  const text = signHc1Chars(payload, options)
  return typeof text === 'string' ? text : asciiText(chars!, 0, text)
}

/**
 * {@link signHc1}'s `HC1:` text as ASCII bytes, for callers that store bytes (bulk issuing
 * packs them for the main thread): no string is made. The result is a view on a buffer that the
 * next call reuses; copy it before signing again.
 *
 * @example
 * const ascii = signHc1Ascii(dcc, { signer, issuer: 'VN', iat: now, exp: inOneYear })
 * out.set(ascii, at)
 */
export function signHc1Ascii(payload: unknown, options: SignHc1Options): Uint8Array {
  const text = signHc1Chars(payload, options)
  if (typeof text === 'string') return new TextEncoder().encode(text)
  // A plain Uint8Array view: Buffer's subarray would build a Buffer object per pass.
  if (charsView === undefined || charsView.buffer !== chars!.buffer) {
    charsView = new Uint8Array(chars!.buffer, chars!.byteOffset, chars!.length)
  }
  return charsView.subarray(0, text)
}

/** The HC1 text as a string (plain path), or where it ends in the reused `chars` (Node's path). */
function signHc1Chars(payload: unknown, options: SignHc1Options): string | number {
  const claims: CwtClaims = {
    iss: options.issuer,
    iat: Math.floor(options.iat.getTime() / 1000),
    exp: Math.floor(options.exp.getTime() / 1000),
    dcc: payload,
  }
  const platform = options.platform ?? getDefaultPlatform()
  // Node's platform deflates with deflateJs: the stages then share reused buffers. Any other
  // platform (or a signer that signs another pass from inside sign) takes the plain path.
  if (platform !== nodePlatform || busy) {
    const cose = signCoseSign1(encodeCwtClaims(claims), options.signer)
    return HC1_PREFIX + encodeBase45(platform.deflate(cose))
  }
  busy = true
  try {
    return signHc1InScratch(claims, options.signer)
  } finally {
    busy = false
  }
}

/*
 * Scratch space of signHc1 on Node, reused by every call: the claims are written at ROOM in
 * `work`, the Sig_structure and then the COSE_Sign1 around them in place; zlib goes to `zbuf`;
 * `HC1:` and the Base45 characters to `chars`, decoded to a string once (signHc1Ascii hands out
 * a view on them instead). Per pass, the only new arrays are node:crypto's signature and the
 * final string (or view): each array of a few hundred
 * bytes costs ~0.7 us here (allocated outside V8's heap, then collected).
 */
const ROOM = 64
let work: Uint8Array | undefined
let zbuf: Uint8Array | undefined
let chars: Uint8Array | undefined
let charsView: Uint8Array | undefined
let busy = false

function signHc1InScratch(claims: CwtClaims, signer: Signer): number {
  // Allocated on first use, so that a bundle that only decodes (the verifier) drops all this.
  work ??= new Uint8Array(8192)
  const end = writeCwtClaims(claims, work, ROOM)
  if (end === NOT_WRITTEN || coseSign1Room(signer, end - ROOM) > ROOM) {
    // Claims the direct writer does not take (or a huge kid): cbor-x, then the same steps.
    const cwt = encodeCwtClaims(claims)
    const room = Math.max(ROOM, coseSign1Room(signer, cwt.length))
    if (work.length < room + cwt.length + 1024) work = new Uint8Array(room + cwt.length + 1024)
    work.set(cwt, room)
    return packHc1(signCoseSign1InPlace(work, room, room + cwt.length, signer))
  }
  return packHc1(signCoseSign1InPlace(work, ROOM, end, signer))
}

/** Deflates and Base45-encodes `cose` after `HC1:` in `chars`; returns where the text ends. */
function packHc1(cose: Uint8Array): number {
  let z: Uint8Array
  let zEnd: number
  if (cose.length < FIXED_MAX_INPUT) {
    z = zbuf ??= new Uint8Array(deflateFixedBound(FIXED_MAX_INPUT))
    zEnd = deflateFixedInto(cose, z, 0)
  } else {
    // nodePlatform's deflate (the only platform on this path) is deflateJs.
    z = nodePlatform.deflate(cose)
    zEnd = z.length
  }
  const p = HC1_PREFIX.length
  const stop = p + base45Length(zEnd)
  if (chars === undefined || chars.length < stop) {
    chars = allocTextBuffer(Math.max(stop, 4096))
    for (let i = 0; i < p; i++) chars[i] = HC1_PREFIX.charCodeAt(i)
  }
  encodeBase45Into(z, 0, zEnd, chars, p)
  return stop
}

/** The layers of a decoded `HC1:` string. */
export interface DecodedHc1 {
  readonly base45: string
  readonly compressed: Uint8Array
  readonly coseBytes: Uint8Array
  readonly cose: CoseSign1
  readonly claims: CwtClaims
}

/** Options of {@link decodeHc1}. */
export interface DecodeHc1Options {
  readonly maxInflate?: number
  readonly platform?: Platform
}

/**
 * Removes the `HC1:` prefix. Errors: `ERR_HC1_PREFIX`.
 *
 * @example
 * stripHc1Prefix('HC1:NCF...') // 'NCF...'
 */
export function stripHc1Prefix(text: string): string {
  if (!text.startsWith(HC1_PREFIX)) {
    throw new VaxpassError('ERR_HC1_PREFIX', 'input does not start with HC1:')
  }
  return text.slice(HC1_PREFIX.length)
}

/**
 * Decodes an `HC1:` string down to its CWT claims, without checking the signature.
 * Errors: `ERR_HC1_PREFIX`, `ERR_BASE45`, `ERR_ZLIB`, `ERR_ZLIB_TOO_LARGE`, `ERR_CBOR*`,
 * `ERR_COSE_STRUCTURE`, `ERR_CWT_CLAIMS`, `ERR_DCC_MISSING`.
 *
 * @example
 * const { claims, cose } = await decodeHc1('HC1:NCF...')
 */
export async function decodeHc1(text: string, options: DecodeHc1Options = {}): Promise<DecodedHc1> {
  const base45 = stripHc1Prefix(text.trim())
  const compressed = decodeBase45(base45)
  const coseBytes = await inflateZlib(compressed, {
    maxOutputLength: options.maxInflate ?? DEFAULT_MAX_INFLATE,
    platform: options.platform,
  })
  const cose = decodeCoseSign1(coseBytes)
  const claims = parseCwtClaims(cose.payload)
  return { base45, compressed, coseBytes, cose, claims }
}
