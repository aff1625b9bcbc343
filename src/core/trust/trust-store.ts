import type { Dsc } from '../dsc/parse-dsc.js'
import { bytesToBase64 } from '../platform/bytes.js'

/**
 * The DSCs a verifier trusts, indexed by kid. Several DSCs may share a kid (8 bytes collide,
 * and countries re-issue certificates over the same key): {@link TrustStore.find} returns all,
 * and the verifier tries each.
 *
 * @example
 * const trust = new TrustStore([dsc])
 * trust.find(kid) // [dsc]
 */
export class TrustStore {
  readonly #byKid = new Map<string, Dsc[]>()

  constructor(dscs: Iterable<Dsc> = []) {
    for (const d of dscs) this.add(d)
  }

  /** Adds a DSC under its own kid (and under `kidBase64` when a trust list names another one). */
  add(dsc: Dsc, kidBase64: string = dsc.kidBase64): void {
    const list = this.#byKid.get(kidBase64)
    if (list === undefined) this.#byKid.set(kidBase64, [dsc])
    else if (!list.includes(dsc)) list.push(dsc)
  }

  /** Every DSC under this kid (bytes or base64); empty when none. */
  find(kid: Uint8Array | string): readonly Dsc[] {
    const key = typeof kid === 'string' ? kid : bytesToBase64(kid)
    return this.#byKid.get(key) ?? []
  }

  /** Number of DSC entries. */
  get size(): number {
    let n = 0
    for (const l of this.#byKid.values()) n += l.length
    return n
  }

  /** All DSCs. */
  all(): Dsc[] {
    return [...new Set([...this.#byKid.values()].flat())]
  }
}
