import { Decoder, Encoder } from 'cbor-x'
import { VaxpassError } from '../errors.js'
import { bytesToBase64 } from '../platform/bytes.js'
import { DEFAULT_CBOR_LIMITS, scanCbor, type CborLimits } from './scan-cbor.js'

// As ARCHITECTURE.md says: no record extension, no tag 64 on byte strings, exact map headers.
const encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  variableMapSize: true,
  useTag259ForMaps: false,
} as ConstructorParameters<typeof Encoder>[0])
// Maps stay Maps so that integer keys (COSE headers, CWT claims) keep their type.
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false } as ConstructorParameters<
  typeof Decoder
>[0])

/**
 * Encodes a value as CBOR with definite lengths: objects and Maps become maps, Uint8Array
 * byte strings, strings text strings.
 *
 * @example
 * encodeCbor(new Map([[1, 'VN']]))
 */
export function encodeCbor(value: unknown): Uint8Array {
  const buf = encoder.encode(value)
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

/**
 * Decodes one CBOR item after a bounded structural scan ({@link scanCbor}): maps come back as
 * `Map`, byte strings as `Uint8Array`, tags 0/1 as `Date`, other tags as `{ tag, value }`.
 * Errors: `ERR_CBOR`, `ERR_CBOR_TOO_DEEP`.
 *
 * @example
 * const claims = decodeCbor(payload) as Map<number, unknown>
 */
export function decodeCbor(bytes: Uint8Array, limits: CborLimits = DEFAULT_CBOR_LIMITS): unknown {
  scanCbor(bytes, limits)
  try {
    return decoder.decode(bytes)
  } catch (err) {
    throw new VaxpassError('ERR_CBOR', 'CBOR could not be decoded', { cause: err })
  }
}

/** A CBOR tag that the decoder does not interpret. */
export interface CborTagged {
  readonly tag: number
  readonly value: unknown
}

/**
 * True when `v` is a tagged item as cbor-x returns it for unknown tags.
 *
 * @example
 * if (isCborTagged(item) && item.tag === 18) item = item.value
 */
export function isCborTagged(v: unknown): v is CborTagged {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { tag?: unknown }).tag === 'number' &&
    'value' in v &&
    !(v instanceof Map) &&
    !Array.isArray(v)
  )
}

/**
 * Turns decoded CBOR into plain JSON-like data: Maps to objects (keys as strings), dates
 * (tag 0/1) to ISO strings, byte strings to base64 strings, bigints to numbers.
 *
 * @example
 * toJsonValue(decodeCbor(bytes))
 */
export function toJsonValue(v: unknown): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {}
    for (const [k, val] of v) o[String(k)] = toJsonValue(val)
    return o
  }
  if (Array.isArray(v)) return v.map(toJsonValue)
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (v instanceof Uint8Array) return bytesToBase64(v)
  if (typeof v === 'bigint') return Number(v)
  if (v === undefined) return null
  if (isCborTagged(v)) return toJsonValue(v.value)
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {}
    for (const [k, val] of Object.entries(v)) o[k] = toJsonValue(val)
    return o
  }
  return v
}
