import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { PartnerTrustStore } from '../../../src/core/partner-trust/partner-trust-store.js'

/** Absolute path inside ../shared/testdata (relative to the project root). */
export function testdataPath(rel: string): string {
  return fileURLToPath(new URL(`../../../../shared/testdata/${rel}`, import.meta.url))
}

export function readTestdata(rel: string): string {
  return readFileSync(testdataPath(rel), 'utf8')
}

export function listTestdata(rel: string): string[] {
  return readdirSync(testdataPath(rel)).sort()
}

export const SHC_ISSUER = 'https://spec.smarthealth.cards/examples/issuer'
export const NZCP_ISSUER = 'did:web:nzcp.covid19.health.nz'

/** A partner store trusting the SMART example issuer (US) and the NZ example DID (NZ). */
export function exampleStore(): PartnerTrustStore {
  const jwks = JSON.parse(readTestdata('smart-health-cards/issuer/.well-known/jwks.json'))
  const crlDir = 'smart-health-cards/issuer/.well-known/crl'
  const crls = listTestdata(crlDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readTestdata(`${crlDir}/${f}`)))
  const did = JSON.parse(readTestdata('nzcp/valid/did.json'))
  return {
    countries: [
      { country: 'US', formats: ['SHC'], shcIssuers: [{ iss: SHC_ISSUER, keys: jwks.keys, crls }] },
      { country: 'NZ', formats: ['NZCP'], didDocuments: [did] },
    ],
  }
}
