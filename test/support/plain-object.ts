/**
 * A deep copy of `v` whose objects are plain (Object.prototype). fast-check builds records
 * without a prototype; payloads are plain objects, and the direct CBOR writer leaves the
 * former to cbor-x, so property tests compare on plain copies.
 *
 * @example
 * fc.record({ a: fc.string() }).map(plainObject)
 */
export function plainObject(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plainObject)
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainObject(x)]))
  }
  return v
}
