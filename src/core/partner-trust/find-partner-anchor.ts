import type {
  CscaAnchor,
  DidDocument,
  PartnerCountry,
  PartnerTrustStore,
  ShcIssuer,
} from './partner-trust-store.js'

/**
 * The SMART Health Cards issuer with this `iss`, from a partner that issues SHC.
 *
 * @example
 * const found = findShcIssuer(store, 'https://spec.smarthealth.cards/examples/issuer')
 */
export function findShcIssuer(
  store: PartnerTrustStore | undefined,
  iss: string,
): { issuer: ShcIssuer; partner: PartnerCountry } | undefined {
  for (const partner of store?.countries ?? []) {
    if (!partner.formats.includes('SHC')) continue
    for (const issuer of partner.shcIssuers ?? []) {
      if (issuer.iss === iss) return { issuer, partner }
    }
  }
  return undefined
}

/**
 * The DID document with this id (`did:web:...`), from a partner that issues NZCP.
 *
 * @example
 * const found = findDidDocument(store, 'did:web:nzcp.identity.health.nz')
 */
export function findDidDocument(
  store: PartnerTrustStore | undefined,
  did: string,
): { document: DidDocument; partner: PartnerCountry } | undefined {
  for (const partner of store?.countries ?? []) {
    if (!partner.formats.includes('NZCP')) continue
    for (const document of partner.didDocuments ?? []) {
      if (document.id === did) return { document, partner }
    }
  }
  return undefined
}

/**
 * Every CSCA of partners that issue VDS-NC, each with its partner.
 *
 * @example
 * for (const { csca, partner } of listCscaAnchors(store)) ...
 */
export function listCscaAnchors(
  store: PartnerTrustStore | undefined,
): Array<{ csca: CscaAnchor; partner: PartnerCountry }> {
  const out: Array<{ csca: CscaAnchor; partner: PartnerCountry }> = []
  for (const partner of store?.countries ?? []) {
    if (!partner.formats.includes('VDS_NC')) continue
    for (const csca of partner.cscas ?? []) out.push({ csca, partner })
  }
  return out
}
