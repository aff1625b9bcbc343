import { toJsonValue } from '../cbor/cbor.js'
import type { CoseSign1 } from '../cose/cose-sign1.js'
import type { CoseSign1Parts } from '../cose/read-usual-cose-sign1.js'
import { bytesToBase64 } from '../platform/bytes.js'

/**
 * A COSE header map as the report shows it: toJsonValue of the map, except that the value that
 * is the message's kid is given as `kidBase64` (written once per pass, not once per header).
 * The two shapes every HCERT has, `{}` and `{1: alg, 4: kid}`, are built as literals without
 * iterating the Map: the same object, since integer-like keys ("1", "4") enumerate in ascending
 * order whatever the order they were set in.
 *
 * @example
 * headerJson(new Map([[1, -7], [4, kid]]), kid, 'AAECAwQFBgc=') // { '1': -7, '4': 'AAECAwQFBgc=' }
 */
export function headerJson(
  header: ReadonlyMap<unknown, unknown>,
  kid: Uint8Array | undefined,
  kidBase64: string | null,
): Record<string, unknown> {
  const size = header.size
  if (size === 0) return {}
  if (size === 2 && kid !== undefined && header.get(4) === kid) {
    const alg = header.get(1)
    // Number keys 1 and 4 both present: those are the map's only two keys.
    if (typeof alg === 'number') return { 1: alg, 4: kidBase64 }
  }
  const o: Record<string, unknown> = {}
  for (const [k, v] of header)
    o[String(k)] = v === kid && kid !== undefined ? kidBase64 : toJsonValue(v)
  return o
}

// The last kid seen and its base64: a verifier sees the same few kids pass after pass, and
// btoa costs ~0.3 us (then the trust store hashes the fresh string again). A copy is kept, as
// the kid may be a view on a buffer the next pass overwrites.
let lastKid: Uint8Array | undefined
let lastKidBase64 = ''

/**
 * bytesToBase64 of a kid, remembered for the next call with the same bytes.
 *
 * @example
 * kidBase64(new Uint8Array([0, 1, 2])) // 'AAEC'
 */
export function kidBase64(kid: Uint8Array): string {
  const last = lastKid
  const n = kid.length
  if (last !== undefined && last.length === n) {
    let i = 0
    while (i < n && last[i] === kid[i]) i++
    if (i === n) return lastKidBase64
  }
  lastKidBase64 = bytesToBase64(kid)
  lastKid = kid.slice()
  return lastKidBase64
}

/**
 * {@link coseHeaders} of a COSE_Sign1 that readUsualCoseSign1 read (protected {1: alg, 4: kid},
 * unprotected {}), written as one literal: the same object.
 *
 * @example
 * report.headers = usualCoseHeaders(readUsualCoseSign1(bytes)!)
 */
export function usualCoseHeaders(cose: CoseSign1Parts): Record<string, unknown> {
  const kid = kidBase64(cose.kid!)
  return {
    alg: cose.alg === -7 ? 'ES256' : 'PS256',
    algId: cose.alg,
    kid,
    kidLocation: 'protected',
    protected: { 1: cose.alg, 4: kid },
    unprotected: {},
    tags: cose.tags,
  }
}

/**
 * The report's `headers` of a COSE_Sign1: algorithm, kid (base64) and where it was, both header
 * maps as JSON, the tags.
 *
 * @example
 * report.headers = coseHeaders(decodeCoseSign1(bytes)) // { alg: 'ES256', algId: -7, kid: '...', ... }
 */
export function coseHeaders(cose: CoseSign1): Record<string, unknown> {
  const kid = cose.kid === undefined ? null : kidBase64(cose.kid)
  return {
    alg: cose.alg === -7 ? 'ES256' : cose.alg === -37 ? 'PS256' : (cose.alg ?? null),
    algId: cose.alg ?? null,
    kid,
    kidLocation: cose.kidLocation ?? null,
    protected: headerJson(cose.protectedHeader, cose.kid, kid),
    unprotected: headerJson(cose.unprotectedHeader, cose.kid, kid),
    tags: cose.tags,
  }
}
