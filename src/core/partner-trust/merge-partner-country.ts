import type { PartnerCountry, PartnerTrustStore, ShcIssuer } from './partner-trust-store.js'

function mergeBy<T>(
  old: readonly T[] | undefined,
  add: readonly T[] | undefined,
  key: (t: T) => string,
): T[] | undefined {
  if (old === undefined && add === undefined) return undefined
  const map = new Map<string, T>()
  for (const t of old ?? []) map.set(key(t), t)
  for (const t of add ?? []) map.set(key(t), t)
  return [...map.values()]
}

function mergeIssuer(a: ShcIssuer, b: ShcIssuer): ShcIssuer {
  const keys = mergeBy(a.keys, b.keys, (k) => k.kid ?? JSON.stringify(k)) ?? []
  const crls = mergeBy(a.crls, b.crls, (c) => c.kid)
  return { ...a, ...b, keys, ...(crls === undefined ? {} : { crls }) }
}

/**
 * Merges newly imported entries of a partner into what is stored: formats are joined, and each
 * DSC (by kid), SHC issuer (by iss; its keys by kid, its CRLs by kid), DID document (by id) and
 * CSCA (by certificate) is added or replaced, so importing a newer file refreshes it.
 *
 * @example
 * const updated = mergePartnerCountry(stored, imported)
 */
export function mergePartnerCountry(
  stored: PartnerCountry | undefined,
  incoming: PartnerCountry,
): PartnerCountry {
  if (stored === undefined) return incoming
  const issuers = new Map<string, ShcIssuer>()
  for (const i of stored.shcIssuers ?? []) issuers.set(i.iss, i)
  for (const i of incoming.shcIssuers ?? []) {
    const old = issuers.get(i.iss)
    issuers.set(i.iss, old === undefined ? i : mergeIssuer(old, i))
  }
  const dscs = mergeBy(stored.dscs, incoming.dscs, (d) => d.kid + d.rawData)
  const didDocuments = mergeBy(stored.didDocuments, incoming.didDocuments, (d) => d.id)
  const cscas = mergeBy(stored.cscas, incoming.cscas, (c) => c.certificate)
  const name = incoming.name ?? stored.name
  return {
    country: stored.country,
    ...(name === undefined ? {} : { name }),
    formats: [...new Set([...stored.formats, ...incoming.formats])],
    ...(dscs === undefined ? {} : { dscs }),
    ...(issuers.size === 0 ? {} : { shcIssuers: [...issuers.values()] }),
    ...(didDocuments === undefined ? {} : { didDocuments }),
    ...(cscas === undefined ? {} : { cscas }),
  }
}

/**
 * Adds partner entries to a store, merging per country.
 *
 * @example
 * const store2 = mergePartnerTrust(store, readPartnerTrustDocument(text, hints))
 */
export function mergePartnerTrust(
  store: PartnerTrustStore,
  incoming: readonly PartnerCountry[],
): PartnerTrustStore {
  const map = new Map(store.countries.map((c) => [c.country, c]))
  for (const p of incoming) map.set(p.country, mergePartnerCountry(map.get(p.country), p))
  return { countries: [...map.values()].sort((a, b) => (a.country < b.country ? -1 : 1)) }
}
