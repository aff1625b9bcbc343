import { VaxpassError } from '../errors.js'
import { certificateToDer } from '../dsc/parse-dsc.js'
import { parseJsonBounded } from '../jcs/parse-json-bounded.js'
import { encodeBase64url } from '../jws/base64url.js'
import type { Jwk } from '../jws/jwk.js'
import type { PassFormat } from '../verify/report.js'
import type { GatewayDscEntry, PartnerCountry, ShcCrl } from './partner-trust-store.js'

/** What the importer needs to know that a bare document does not say. */
export interface PartnerDocumentHints {
  /** ISO 3166-1 alpha-2 country for JWKS, CRL, DID and CSCA documents. */
  readonly country?: string
  /** SMART Health Cards issuer URL (`iss`) for JWKS and CRL documents. */
  readonly iss?: string
  /** File name, for messages. */
  readonly name?: string
}

const FORMATS: readonly PassFormat[] = ['EU_DCC', 'SHC', 'NZCP', 'VDS_NC']
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

function fail(message: string, hints: PartnerDocumentHints): never {
  throw new VaxpassError(
    'ERR_TRUST_LIST',
    hints.name === undefined ? message : `${hints.name}: ${message}`,
  )
}

function requireCountry(hints: PartnerDocumentHints): string {
  const c = hints.country?.toUpperCase()
  if (c === undefined || !/^[A-Z]{2}$/.test(c))
    fail('give the partner country (ISO 3166-1 alpha-2)', hints)
  return c
}

function requireIss(hints: PartnerDocumentHints): string {
  if (hints.iss === undefined || !/^https:\/\/\S+$/.test(hints.iss) || hints.iss.endsWith('/')) {
    fail('give the SMART Health Cards issuer URL (https://..., no trailing slash)', hints)
  }
  return hints.iss
}

/**
 * Recognises one trust document and turns it into partner entries: a partner file
 * (`{ country, formats, ... }`), a DCC gateway DSC list (`[{ kid, country, rawData }]`), a JWKS
 * (`{ keys }`), an SHC revocation list (`{ kid, method: 'rid', rids }`), a DID document
 * (`{ id: 'did:web:...' }`), or a CSCA certificate (PEM, or DER bytes). Private key material is
 * refused.
 *
 * @throws VaxpassError ERR_TRUST_LIST
 * @example
 * readPartnerTrustDocument(jwksText, { country: 'US', iss: 'https://issuer.example' })
 */
export function readPartnerTrustDocument(
  content: string | Uint8Array,
  hints: PartnerDocumentHints = {},
): PartnerCountry[] {
  if (content instanceof Uint8Array) {
    if (content[0] === 0x30) return [csca(content, hints)]
    content = new TextDecoder('utf-8', { fatal: false }).decode(content)
  }
  const text = content.replace(/^\uFEFF/, '').trim()
  if (text.startsWith('-----BEGIN')) {
    const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
    if (pems.length === 0 || /PRIVATE KEY/.test(text))
      fail('only certificates are accepted in PEM files', hints)
    return pems.map((pem) => csca(certificateToDer(pem), hints))
  }
  let doc: unknown
  try {
    doc = parseJsonBounded(text, { maxLength: 20_000_000, maxDepth: 32 })
  } catch (cause) {
    throw new VaxpassError(
      'ERR_TRUST_LIST',
      `${hints.name ?? 'document'} is not JSON, PEM or DER`,
      { cause },
    )
  }
  if (Array.isArray(doc)) return gatewayList(doc, hints)
  if (doc === null || typeof doc !== 'object') fail('not a trust document', hints)
  const o = doc as Record<string, unknown>
  if (typeof o['country'] === 'string' && Array.isArray(o['formats']))
    return [partnerFile(o, hints)]
  if (Array.isArray(o['keys'])) {
    const keys = o['keys'] as Jwk[]
    for (const k of keys) {
      if (k === null || typeof k !== 'object' || typeof k.kty !== 'string')
        fail('JWKS holds a non-JWK entry', hints)
      if (PRIVATE_JWK_MEMBERS.some((m) => m in k)) fail('JWKS holds private key material', hints)
    }
    return [
      {
        country: requireCountry(hints),
        formats: ['SHC'],
        shcIssuers: [{ iss: requireIss(hints), keys }],
      },
    ]
  }
  if (o['method'] === 'rid' && typeof o['kid'] === 'string' && Array.isArray(o['rids'])) {
    const crl: ShcCrl = {
      kid: o['kid'],
      method: 'rid',
      ctr: typeof o['ctr'] === 'number' ? o['ctr'] : 0,
      rids: (o['rids'] as unknown[]).filter((r): r is string => typeof r === 'string'),
    }
    return [
      {
        country: requireCountry(hints),
        formats: ['SHC'],
        shcIssuers: [{ iss: requireIss(hints), keys: [], crls: [crl] }],
      },
    ]
  }
  if (typeof o['id'] === 'string' && o['id'].startsWith('did:')) {
    for (const vm of Array.isArray(o['verificationMethod']) ? o['verificationMethod'] : []) {
      const jwk = (vm as { publicKeyJwk?: Record<string, unknown> })?.publicKeyJwk
      if (jwk !== undefined && PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
        fail('DID document holds private key material', hints)
      }
    }
    return [
      { country: requireCountry(hints), formats: ['NZCP'], didDocuments: [o as { id: string }] },
    ]
  }
  return fail('unrecognised trust document', hints)
}

function partnerFile(o: Record<string, unknown>, hints: PartnerDocumentHints): PartnerCountry {
  const country = String(o['country']).toUpperCase()
  if (!/^[A-Z]{2}$/.test(country)) fail('partner country must be ISO 3166-1 alpha-2', hints)
  const formats = o['formats'] as unknown[]
  if (!formats.every((f): f is PassFormat => FORMATS.includes(f as PassFormat))) {
    fail(`formats must be among ${FORMATS.join(', ')}`, hints)
  }
  const text = JSON.stringify(o)
  if (/"(d|p|q|dp|dq|qi|k)"\s*:/.test(text) || /PRIVATE KEY/.test(text)) {
    fail('partner file holds private key material', hints)
  }
  return { ...(o as unknown as PartnerCountry), country, formats }
}

function gatewayList(list: unknown[], hints: PartnerDocumentHints): PartnerCountry[] {
  const byCountry = new Map<string, GatewayDscEntry[]>()
  for (const e of list) {
    const entry = e as GatewayDscEntry
    if (
      entry === null ||
      typeof entry !== 'object' ||
      typeof entry.kid !== 'string' ||
      typeof entry.country !== 'string' ||
      typeof entry.rawData !== 'string'
    ) {
      fail('DSC list entries need kid, country and rawData', hints)
    }
    const c = entry.country.toUpperCase()
    byCountry.set(c, [...(byCountry.get(c) ?? []), entry])
  }
  return [...byCountry].map(([country, dscs]) => ({ country, formats: ['EU_DCC'], dscs }))
}

function csca(der: Uint8Array, hints: PartnerDocumentHints): PartnerCountry {
  // Stored as base64 DER; the verifier parses it and ignores anchors that do not parse.
  const b64 = encodeBase64url(der).replace(/-/g, '+').replace(/_/g, '/')
  const certificate = b64 + '='.repeat((4 - (b64.length % 4)) % 4)
  return {
    country: requireCountry(hints),
    formats: ['VDS_NC'],
    cscas: [{ certificate, ...(hints.name === undefined ? {} : { label: hints.name }) }],
  }
}
