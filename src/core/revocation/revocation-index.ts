import { VaxpassError } from '../errors.js'
import type { RevocationHashType } from './revocation-hashes.js'

const HASH_TYPES: readonly RevocationHashType[] = ['UCI', 'COUNTRYCODEUCI', 'SIGNATURE']

/**
 * Revoked certificates as a set of hashes, for fast offline checks. Built from a revocation list
 * in the EU DCC shape: batches `{ hashType, entries: [{ hash }] }` (as an array, or under
 * `batches`), or flat entries `{ hashType, hash }` (under `entries`).
 *
 * @example
 * const index = readRevocationList(await (await fetch('/api/public/revocation-list')).json())
 * index.isRevoked(await computeRevocationHashes(subject))
 */
export class RevocationIndex {
  readonly #hashes = new Set<string>()

  add(type: RevocationHashType, hash: string): void {
    this.#hashes.add(`${type}:${hash}`)
  }

  /** True when any of the certificate's hashes is listed under its own type. */
  isRevoked(hashes: Partial<Record<RevocationHashType, string>>): boolean {
    for (const type of HASH_TYPES) {
      const hash = hashes[type]
      if (hash !== undefined && this.#hashes.has(`${type}:${hash}`)) return true
    }
    return false
  }

  get size(): number {
    return this.#hashes.size
  }
}

/**
 * Reads a revocation list (see {@link RevocationIndex}). Errors: `ERR_REVOCATION_LIST` when the
 * shape is not recognised or a hash type is unknown.
 */
export function readRevocationList(list: unknown): RevocationIndex {
  const index = new RevocationIndex()
  const obj = list as { batches?: unknown; entries?: unknown; hashType?: unknown } | null
  const batches: unknown[] = Array.isArray(list)
    ? list
    : obj && Array.isArray(obj.batches)
      ? obj.batches
      : obj && typeof obj === 'object' && (obj.hashType !== undefined || Array.isArray(obj.entries))
        ? [obj]
        : []
  if (batches.length === 0 && !(obj && typeof obj === 'object')) {
    throw new VaxpassError('ERR_REVOCATION_LIST', 'revocation list is not an object or array')
  }
  for (const batch of batches) {
    const b = batch as { hashType?: unknown; entries?: unknown; hash?: unknown }
    const entries = Array.isArray(b.entries) ? b.entries : [b]
    for (const entry of entries) {
      const e = entry as { hashType?: unknown; hash?: unknown }
      const type = (e.hashType ?? b.hashType) as RevocationHashType
      if (!HASH_TYPES.includes(type) || typeof e.hash !== 'string') {
        throw new VaxpassError(
          'ERR_REVOCATION_LIST',
          'revocation entry needs a known hashType and a hash',
        )
      }
      index.add(type, e.hash)
    }
  }
  return index
}
