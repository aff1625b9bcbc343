import { VaxpassError } from '../errors.js'
import { canonicalizeJson } from '../jcs/canonicalize-json.js'
import { parseJsonBounded } from '../jcs/parse-json-bounded.js'
import { decodeBase64url } from '../jws/base64url.js'
import { listCscaAnchors } from '../partner-trust/find-partner-anchor.js'
import type { PartnerTrustStore } from '../partner-trust/partner-trust-store.js'
import { CheckRecorder } from '../verify/check-recorder.js'
import type { VerificationReport } from '../verify/report.js'
import { convertAlpha3ToAlpha2 } from './alpha3-to-alpha2.js'
import { normalizeVdsNcMessage } from './normalize-vds-nc-message.js'
import {
  selectSealX509,
  type SealAlgorithm,
  type SealCertificate,
  type SealX509,
} from './seal-x509.js'

/** Options of {@link verifyVdsNc}. */
export interface VerifyVdsNcOptions {
  /** Partner trust store holding the CSCA certificates of VDS-NC issuers. */
  readonly trust?: PartnerTrustStore
  readonly now: Date
  /** X.509 implementation: node:crypto on Node (default there), WebCrypto elsewhere. */
  readonly x509?: 'node' | 'web'
}

/** Largest VDS-NC JSON accepted (a QR code holds at most ~3 kB). */
export const MAX_VDS_NC_LENGTH = 64 * 1024

const STEPS = ['input', 'structure', 'certificate', 'signature', 'chain', 'validity'] as const

/** Hash and signature size of each VDS-NC signature algorithm we accept. */
const ALGS: Readonly<Record<string, SealAlgorithm>> = {
  ES256: { hash: 'SHA-256', ecBytes: 32, kind: 'ec' },
  ES384: { hash: 'SHA-384', ecBytes: 48, kind: 'ec' },
  ES512: { hash: 'SHA-512', ecBytes: 66, kind: 'ec' },
  PS256: { hash: 'SHA-256', kind: 'rsa-pss' },
  RS256: { hash: 'SHA-256', kind: 'rsa' },
}

type Json = Record<string, unknown>

/**
 * True when text looks like an ICAO VDS-NC (a JSON object with `data` and `sig`).
 *
 * @example
 * isVdsNcInput('{"data":{...},"sig":{...}}') // true
 */
export function isVdsNcInput(text: string): boolean {
  const t = text.trim()
  return t.startsWith('{') && t.includes('"data"') && t.includes('"sig"')
}

/**
 * Verifies an ICAO VDS-NC (Visible Digital Seal for non-constrained environments): the
 * signature in `sig.sigvl` over the RFC 8785 canonical form of `data`, made with the key of the
 * barcode signer certificate `sig.cer`, which must chain to a CSCA of a partner trusted for
 * VDS-NC. A good signature under an untrusted certificate is reported as exactly that: the
 * signature check passes and the chain check fails with ERR_UNTRUSTED. Never throws.
 *
 * @example
 * const report = await verifyVdsNc(jsonText, { trust, now: new Date() })
 */
export async function verifyVdsNc(
  input: string,
  options: VerifyVdsNcOptions,
): Promise<VerificationReport> {
  const r = new CheckRecorder(STEPS)
  let doc: Json | undefined
  let normalised: ReturnType<typeof normalizeVdsNcMessage> | undefined
  let issuer: { id?: string; country?: string; trustAnchor?: string } | undefined
  let validity: { notBefore?: string; expiresAt?: string } | undefined
  let headers: Json | undefined
  try {
    try {
      const parsed = parseJsonBounded(input.trim(), { maxLength: MAX_VDS_NC_LENGTH, maxDepth: 16 })
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new VaxpassError('ERR_VDS', 'VDS-NC is not a JSON object')
      }
      doc = parsed as Json
      r.pass('input', 'JSON document')
    } catch (err) {
      r.failWith('input', err, 'ERR_VDS')
      r.skipRest('input not readable')
      return finish()
    }

    let data: Json
    let sig: { alg: string; cer: string; sigvl: string }
    try {
      ;({ data, sig } = checkStructure(doc))
      const hdr = data['hdr'] as Json
      headers = { ...hdr, alg: sig.alg }
      const country = convertAlpha3ToAlpha2(hdr['is'] as string)
      issuer = { id: hdr['is'] as string, ...(country === undefined ? {} : { country }) }
      normalised = normalizeVdsNcMessage(data['msg'])
      for (const w of normalised.warnings) r.warnings.push(w)
      if (hdr['t'] !== 'icao.vacc')
        r.warn('VDS_NOT_VACCINATION', `seal type ${String(hdr['t'])} holds no vaccination`)
      r.pass(
        'structure',
        `VDS-NC ${String(hdr['t'])} v${String(hdr['v'])} from ${String(hdr['is'])}`,
      )
    } catch (err) {
      r.failWith('structure', err, 'ERR_VDS')
      r.skipRest('structure invalid')
      return finish()
    }

    const x509 = await selectSealX509(options.x509)
    let cert: SealCertificate
    try {
      cert = await parseCertificate(x509, sig.cer)
      validity = {
        notBefore: new Date(cert.notBefore).toISOString(),
        expiresAt: new Date(cert.notAfter).toISOString(),
      }
      r.pass('certificate', 'barcode signer certificate parsed')
    } catch (err) {
      r.failWith('certificate', err, 'ERR_VDS_CERT')
      r.skipRest('certificate not readable')
      return finish()
    }

    // The signature check stands on its own: it tells whether the data matches the certificate,
    // whoever issued the certificate.
    const spec = ALGS[sig.alg]!
    const signed = new TextEncoder().encode(canonicalizeJson(data))
    let signature: Uint8Array | undefined
    try {
      signature = decodeBase64Lenient(sig.sigvl)
    } catch {
      signature = undefined
    }
    if (signature !== undefined && (await x509.verifyData(cert, spec, signed, signature))) {
      r.pass('signature', `${sig.alg} signature over the canonical data verified`)
    } else r.fail('signature', 'ERR_VDS_SIGNATURE', 'signature does not verify')

    const anchor = await findIssuingCsca(x509, cert, options.trust)
    if (anchor === undefined) {
      r.fail('chain', 'ERR_UNTRUSTED', 'signer certificate does not chain to a trusted CSCA')
    } else {
      r.pass('chain', `issued by trusted CSCA of ${anchor.partner}`)
      if (issuer?.country !== undefined && issuer.country !== anchor.partner) {
        r.warn(
          'VDS_ISSUER_COUNTRY',
          `seal names ${issuer.id} but its CSCA belongs to ${anchor.partner}`,
        )
      }
      if (r.checks.find((c) => c.id === 'signature')?.ok === true) {
        issuer = { ...issuer, country: anchor.partner, trustAnchor: anchor.csca.subject }
      }
    }

    const now = options.now.getTime()
    if (now < cert.notBefore) {
      r.fail('validity', 'ERR_NOT_YET_VALID', 'signer certificate not valid yet')
    } else if (now > cert.notAfter) {
      r.fail('validity', 'ERR_CERT_EXPIRED', 'signer certificate expired')
    } else if (
      anchor !== undefined &&
      (now < anchor.csca.notBefore || now > anchor.csca.notAfter)
    ) {
      r.fail('validity', 'ERR_CERT_EXPIRED', 'CSCA certificate outside its validity')
    } else r.pass('validity', 'signer certificate within its validity')

    r.skipRest('an earlier check failed')
    return finish()
  } catch {
    // A bug of ours, not a property of the input: no message from it reaches the report.
    r.fail('input', 'ERR_INTERNAL', 'unexpected failure')
    r.skipRest('unexpected failure')
    return finish()
  }

  function finish(): VerificationReport {
    return r.report('VDS_NC', {
      holder: normalised?.holder,
      events: normalised?.events,
      issuer,
      validity,
      payload: doc?.['data'],
      headers,
    })
  }
}

function checkStructure(doc: Json): {
  data: Json
  sig: { alg: string; cer: string; sigvl: string }
} {
  const data = doc['data'] as Json | undefined
  const sig = doc['sig'] as Json | undefined
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new VaxpassError('ERR_VDS', 'VDS-NC has no data object')
  }
  if (sig === null || typeof sig !== 'object' || Array.isArray(sig)) {
    throw new VaxpassError('ERR_VDS', 'VDS-NC has no sig object')
  }
  const hdr = data['hdr'] as Json | undefined
  if (hdr === null || typeof hdr !== 'object') throw new VaxpassError('ERR_VDS', 'data.hdr missing')
  if (typeof hdr['t'] !== 'string' || !/^icao\./.test(hdr['t'])) {
    throw new VaxpassError('ERR_VDS', 'data.hdr.t is not an icao type')
  }
  if (hdr['v'] !== 1)
    throw new VaxpassError('ERR_VDS', `unsupported data.hdr.v ${String(hdr['v'])}`)
  if (typeof hdr['is'] !== 'string' || !/^[A-Z]{1,3}$/.test(hdr['is'])) {
    throw new VaxpassError('ERR_VDS', 'data.hdr.is is not a country code')
  }
  if (data['msg'] === null || typeof data['msg'] !== 'object') {
    throw new VaxpassError('ERR_VDS', 'data.msg missing')
  }
  const { alg, cer, sigvl } = sig
  if (typeof alg !== 'string' || ALGS[alg] === undefined) {
    throw new VaxpassError(
      'ERR_VDS',
      `unsupported signature algorithm ${JSON.stringify(alg ?? null)}`,
    )
  }
  if (typeof cer !== 'string' || typeof sigvl !== 'string') {
    throw new VaxpassError('ERR_VDS', 'sig.cer and sig.sigvl must be strings')
  }
  return { data, sig: { alg, cer, sigvl } }
}

function decodeBase64Lenient(text: string): Uint8Array {
  // The guideline says base64url; some issuers write standard base64 with padding.
  const url = text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  return decodeBase64url(url)
}

async function parseCertificate(x509: SealX509, cer: string): Promise<SealCertificate> {
  try {
    const der = decodeBase64Lenient(cer)
    if (der.length === 0 || der.length > 16_384) throw new Error('certificate size')
    return await x509.parse(der)
  } catch (cause) {
    throw new VaxpassError('ERR_VDS_CERT', 'sig.cer is not a DER X.509 certificate', { cause })
  }
}

// CSCAs are parsed once per trust store entry (by object identity) and X.509 implementation.
const parsedCscas = new WeakMap<SealX509, WeakMap<object, SealCertificate>>()

async function findIssuingCsca(
  x509: SealX509,
  cert: SealCertificate,
  trust: PartnerTrustStore | undefined,
): Promise<{ partner: string; csca: SealCertificate } | undefined> {
  let parsed = parsedCscas.get(x509)
  if (parsed === undefined) {
    parsed = new WeakMap()
    parsedCscas.set(x509, parsed)
  }
  for (const { csca, partner } of listCscaAnchors(trust)) {
    let ca = parsed.get(csca)
    if (ca === undefined) {
      try {
        ca = await x509.parse(decodeBase64Lenient(csca.certificate))
      } catch {
        continue
      }
      parsed.set(csca, ca)
    }
    if (await x509.isIssuedBy(cert, ca)) return { partner: partner.country, csca: ca }
  }
  return undefined
}
