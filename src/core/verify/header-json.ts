import { toJsonValue } from '../cbor/cbor.js'

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
