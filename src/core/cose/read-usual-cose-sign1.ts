import type { CoseSign1 } from './cose-sign1.js'

/** What verifying an HCERT reads of a COSE_Sign1: everything but the header Maps. */
export type CoseSign1Parts = Pick<
  CoseSign1,
  'protectedBytes' | 'payload' | 'signature' | 'alg' | 'kid' | 'kidLocation' | 'tags'
>

/*
 * The COSE_Sign1 that nearly every HCERT is: tag 18 or no tag, then
 * [bstr({1: alg, 4: kid}), {}, bstr(payload), bstr(signature)], with alg -7 or -37 in its
 * one-byte or two-byte form and a kid of at most 23 bytes. decodeCoseSign1 reads it into four
 * views, two Maps, a reader per map and the arrays that carry them (about 1.2 KB a pass); the
 * report needs only the views and the two numbers.
 */

/**
 * The fields {@link decodeCoseSign1} gives for a COSE_Sign1 of the usual HCERT shape (above),
 * read by offset; undefined for any other bytes (then decodeCoseSign1 reads them, with its
 * exact errors). The views are on `bytes`.
 *
 * @example
 * const cose = readUsualCoseSign1(bytes) ?? decodeCoseSign1(bytes)
 */
export function readUsualCoseSign1(bytes: Uint8Array): CoseSign1Parts | undefined {
  const n = bytes.length
  let at = 0
  const tagged = n > 0 && bytes[0] === 0xd2
  if (tagged) at++
  if (at >= n || bytes[at] !== 0x84) return undefined
  at++
  // Protected header: a short byte string holding exactly {1: alg, 4: kid}.
  if (at >= n) return undefined
  const ph = bytes[at]!
  if (ph < 0x40 || ph > 0x57) return undefined
  const pStart = at + 1
  const pEnd = pStart + ph - 0x40
  if (pEnd > n || pEnd - pStart < 6) return undefined
  if (bytes[pStart] !== 0xa2 || bytes[pStart + 1] !== 0x01) return undefined
  let q = pStart + 2
  let alg: number
  if (bytes[q] === 0x26) {
    alg = -7
    q++
  } else if (bytes[q] === 0x38 && q + 1 < pEnd && bytes[q + 1] === 0x24) {
    alg = -37
    q += 2
  } else return undefined
  if (q + 1 >= pEnd || bytes[q] !== 0x04) return undefined
  const kh = bytes[q + 1]!
  if (kh < 0x40 || kh > 0x57 || q + 2 + kh - 0x40 !== pEnd) return undefined
  const kidStart = q + 2
  at = pEnd
  // Unprotected header: the empty map.
  if (at >= n || bytes[at] !== 0xa0) return undefined
  at++
  const payloadLength = byteStringLength(bytes, at)
  if (payloadLength < 0) return undefined
  const payloadStart = at + headSize(bytes[at]!)
  const payloadEnd = payloadStart + payloadLength
  if (payloadEnd > n) return undefined
  at = payloadEnd
  const signatureLength = byteStringLength(bytes, at)
  if (signatureLength < 0) return undefined
  const signatureStart = at + headSize(bytes[at]!)
  if (signatureStart + signatureLength !== n) return undefined
  return {
    protectedBytes: bytes.subarray(pStart, pEnd),
    payload: bytes.subarray(payloadStart, payloadEnd),
    signature: bytes.subarray(signatureStart, n),
    alg,
    kid: bytes.subarray(kidStart, pEnd),
    kidLocation: 'protected',
    tags: tagged ? [18] : [],
  }
}

// The length of the byte string whose head is at `at` (heads of 1, 2, 3 or 5 bytes, as CBOR
// readers take them), or -1 for anything else or a head cut short.
function byteStringLength(bytes: Uint8Array, at: number): number {
  const n = bytes.length
  if (at >= n) return -1
  const h = bytes[at]!
  if (h >= 0x40 && h <= 0x57) return h - 0x40
  if (h === 0x58) return at + 1 < n ? bytes[at + 1]! : -1
  if (h === 0x59) return at + 2 < n ? (bytes[at + 1]! << 8) | bytes[at + 2]! : -1
  if (h === 0x5a && at + 4 < n) {
    return (
      ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) >>>
      0
    )
  }
  return -1
}

function headSize(h: number): number {
  return h <= 0x57 ? 1 : h === 0x58 ? 2 : h === 0x59 ? 3 : 5
}
