import type { RegisterEntry } from '../identity/types.js'

/**
 * The national population register as linkage sees it: batch lookups by ID and by normalised
 * name (see `normaliseName`). Our own table implements it (`createRegisterLookup` in storage);
 * an adapter to a remote register service can implement it too.
 */
export interface RegisterLookup {
  /** Entries whose CCCD is one of `ids` (distinct; at most one entry each). */
  findByIds(ids: readonly string[]): Promise<RegisterEntry[]>
  /** Entries whose normalised name is one of `nameKeys`, with that key. */
  findByNameKeys(
    nameKeys: readonly string[],
  ): Promise<Array<{ readonly nameKey: string; readonly entry: RegisterEntry }>>
}
