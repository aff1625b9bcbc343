import { VaxpassError } from '../errors.js'
import { parseJsonBounded } from '../jcs/parse-json-bounded.js'
import { computeJwkThumbprint, importEs256PublicJwk, verifyEs256 } from '../jws/jwk.js'
import { parseCompactJws, type CompactJws } from '../jws/parse-compact-jws.js'
import { findShcIssuer } from '../partner-trust/find-partner-anchor.js'
import type { PartnerTrustStore } from '../partner-trust/partner-trust-store.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'
import type { VerificationReport } from '../verify/report.js'
import { CheckRecorder } from '../verify/check-recorder.js'
import { normalizeFhirBundle } from './normalize-fhir-bundle.js'
import { readShcInput } from './read-shc-input.js'

/** Options of {@link verifyShc}. */
export interface VerifyShcOptions {
  /** Partner trust store holding the issuer's JWKS and CRLs. */
  readonly trust?: PartnerTrustStore
  readonly now: Date
  readonly platform?: Platform
}

/** Largest inflated SHC payload accepted (the spec's QR limit is far below this). */
export const MAX_SHC_PAYLOAD_BYTES = 256 * 1024

const STEPS = [
  'input',
  'jws',
  'header',
  'payload',
  'issuer',
  'key',
  'signature',
  'revocation',
  'not-before',
  'expiry',
] as const

const HEALTH_CARD_TYPE = 'https://smarthealth.cards#health-card'

type Json = Record<string, unknown>

/**
 * Verifies a SMART Health Card given as `shc:/` numeric QR content (one input, or several
 * `shc:/C/N/` chunks as inputs or lines), a compact JWS, or a `.smart-health-card` file. Issuer
 * keys and revocation lists come from the partner trust store. Never throws: every problem is a
 * check with a stable code.
 *
 * @example
 * const report = await verifyShc(qrText, { trust, now: new Date() })
 * report.valid // true when every check passed
 */
export async function verifyShc(
  input: string | readonly string[],
  options: VerifyShcOptions,
): Promise<VerificationReport> {
  const r = new CheckRecorder(STEPS)
  const platform = options.platform ?? getDefaultPlatform()
  let header: Json | undefined
  let payload: Json | undefined
  let issuerInfo: { id?: string; country?: string; trustAnchor?: string } | undefined
  let normalised: ReturnType<typeof normalizeFhirBundle> | undefined
  let validity: { issuedAt?: string; notBefore?: string; expiresAt?: string } | undefined
  try {
    // input and jws
    let jws: CompactJws
    try {
      const read = readShcInput(input)
      r.pass('input', `SMART Health Card given as ${read.form}`)
      if (read.more.length > 0) {
        r.warn(
          'SHC_MORE_CREDENTIALS',
          `file holds ${read.more.length + 1} cards; the first is verified`,
        )
      }
      jws = parseCompactJws(read.jws)
      header = jws.header as Json
      r.pass('jws', 'compact JWS')
    } catch (err) {
      if (r.checks.length === 0) r.failWith('input', err, 'ERR_SHC')
      else r.failWith('jws', err, 'ERR_JWS')
      r.skipRest('input not readable')
      return finish()
    }

    // header: only ES256 is allowed, whatever the JWS claims (no `none`, no HMAC).
    const alg = header['alg']
    const kid = header['kid']
    let headerOk = true
    if (alg !== 'ES256') {
      r.fail(
        'header',
        'ERR_JWS_ALG',
        `algorithm ${JSON.stringify(alg ?? null)} is not allowed (ES256 only)`,
      )
      headerOk = false
    } else if (typeof kid !== 'string' || kid === '') {
      r.fail('header', 'ERR_JWS', 'JWS header has no kid')
      headerOk = false
    } else if (header['zip'] !== undefined && header['zip'] !== 'DEF') {
      r.fail('header', 'ERR_JWS', `unsupported zip ${JSON.stringify(header['zip'])}`)
      headerOk = false
    } else {
      r.pass('header', 'alg ES256, kid present')
      if (header['zip'] !== 'DEF')
        r.warn('SHC_NOT_COMPRESSED', 'payload is not compressed (zip DEF)')
    }

    // payload
    try {
      let bytes = jws.payload
      if (header['zip'] === 'DEF') {
        try {
          bytes = await platform.inflateRaw(bytes, { maxOutputLength: MAX_SHC_PAYLOAD_BYTES })
        } catch (cause) {
          throw new VaxpassError('ERR_ZLIB', 'payload does not inflate within the limit', { cause })
        }
      }
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
      const parsed = parseJsonBounded(text, { maxLength: MAX_SHC_PAYLOAD_BYTES, maxDepth: 48 })
      payload = checkPayloadShape(parsed)
      r.pass('payload', 'health card payload')
    } catch (err) {
      r.failWith('payload', err, 'ERR_SHC')
      r.skipRest('payload not readable')
      return finish()
    }
    const iss = payload['iss'] as string
    const nbf = payload['nbf'] as number
    const exp = typeof payload['exp'] === 'number' ? payload['exp'] : undefined
    const vc = payload['vc'] as Json
    validity = {
      issuedAt: secondsToIso(nbf),
      notBefore: secondsToIso(nbf),
      ...(exp === undefined ? {} : { expiresAt: secondsToIso(exp) }),
    }
    normalised = normalizeFhirBundle((vc['credentialSubject'] as Json)['fhirBundle'])
    for (const w of normalised.warnings) r.warnings.push(w)

    // issuer
    const found = findShcIssuer(options.trust, iss)
    issuerInfo = { id: iss, ...(found === undefined ? {} : { country: found.partner.country }) }
    if (found === undefined)
      r.fail('issuer', 'ERR_UNTRUSTED', 'issuer is not in the partner trust store')
    else r.pass('issuer', `issuer trusted for ${found.partner.country}`)

    // key and signature
    if (found !== undefined && headerOk) {
      const jwk = found.issuer.keys.find((k) => k.kid === kid)
      let key: CryptoKey | undefined
      if (jwk === undefined) {
        r.fail('key', 'ERR_KEY_NOT_FOUND', 'no key of the issuer has this kid')
      } else {
        try {
          // SHC issuer keys are signing keys for ES256 only.
          if (
            (jwk.use !== undefined && jwk.use !== 'sig') ||
            (jwk.alg !== undefined && jwk.alg !== 'ES256')
          ) {
            throw new VaxpassError(
              'ERR_KEY_PARSE',
              'issuer key is not an ES256 signing key (use/alg)',
            )
          }
          key = await importEs256PublicJwk(jwk)
          if ((await computeJwkThumbprint(jwk)) !== kid) {
            key = undefined
            r.fail('key', 'ERR_KEY_PARSE', 'kid is not the RFC 7638 thumbprint of the key')
          } else r.pass('key', 'issuer key found; kid is its thumbprint')
        } catch (err) {
          r.failWith('key', err, 'ERR_KEY_PARSE')
        }
      }
      if (key !== undefined) {
        if (await verifyEs256(key, jws.signature, jws.signingInput)) {
          r.pass('signature', 'ES256 signature verified')
          issuerInfo = { ...issuerInfo, trustAnchor: `${iss}#${kid as string}` }
        } else r.fail('signature', 'ERR_JWS_SIGNATURE', 'signature does not verify')
      }
    }

    // revocation by rid, against the CRL of this kid
    const rid = vc['rid']
    const crl = found?.issuer.crls?.find((c) => c.kid === kid)
    if (typeof rid !== 'string') r.pass('revocation', 'card carries no rid')
    else if (found === undefined) {
      // no issuer, nothing to check against; skipped below
    } else if (crl === undefined) {
      r.pass('revocation', 'no revocation list for this key')
      const jwk = found.issuer.keys.find((k) => k.kid === kid)
      if (typeof jwk?.crlVersion === 'number') {
        r.warn(
          'SHC_CRL_MISSING',
          `issuer publishes CRL version ${jwk.crlVersion}, not in the trust store`,
        )
      }
    } else if (isRevoked(crl.rids, rid, nbf)) {
      r.fail('revocation', 'ERR_SHC_REVOKED', 'card is revoked by its issuer')
    } else {
      r.pass('revocation', `not in revocation list (version ${crl.ctr})`)
      const jwk = found.issuer.keys.find((k) => k.kid === kid)
      if (typeof jwk?.crlVersion === 'number' && crl.ctr < jwk.crlVersion) {
        r.warn(
          'SHC_CRL_STALE',
          `revocation list version ${crl.ctr} is older than the key's ${jwk.crlVersion}`,
        )
      }
    }

    // time
    const now = options.now.getTime() / 1000
    if (nbf > now) r.fail('not-before', 'ERR_NOT_YET_VALID', 'card is not valid yet (nbf)')
    else r.pass('not-before', 'nbf passed')
    if (exp === undefined) r.pass('expiry', 'card has no expiry')
    else if (exp <= now) r.fail('expiry', 'ERR_CERT_EXPIRED', 'card has expired')
    else r.pass('expiry', 'not expired')

    r.skipRest('an earlier check failed')
    return finish()
  } catch {
    // A bug of ours, not a property of the input: no message from it reaches the report.
    r.fail('input', 'ERR_INTERNAL', 'unexpected failure')
    r.skipRest('unexpected failure')
    return finish()
  }

  function finish(): VerificationReport {
    return r.report('SHC', {
      holder: normalised?.holder,
      events: normalised?.events,
      issuer: issuerInfo,
      validity,
      payload,
      headers: header,
    })
  }
}

function checkPayloadShape(parsed: unknown): Json {
  const p = parsed as Json
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new VaxpassError('ERR_SHC', 'payload is not a JSON object')
  }
  if (typeof p['iss'] !== 'string' || p['iss'] === '')
    throw new VaxpassError('ERR_SHC', 'payload has no iss')
  if (typeof p['nbf'] !== 'number' || !Number.isFinite(p['nbf'])) {
    throw new VaxpassError('ERR_SHC', 'payload has no numeric nbf')
  }
  if (p['exp'] !== undefined && (typeof p['exp'] !== 'number' || !Number.isFinite(p['exp']))) {
    throw new VaxpassError('ERR_SHC', 'payload exp is not a number')
  }
  const vc = p['vc'] as Json | undefined
  if (vc === null || typeof vc !== 'object') throw new VaxpassError('ERR_SHC', 'payload has no vc')
  if (!Array.isArray(vc['type']) || !vc['type'].includes(HEALTH_CARD_TYPE)) {
    throw new VaxpassError('ERR_SHC', `vc.type does not include ${HEALTH_CARD_TYPE}`)
  }
  const subject = vc['credentialSubject'] as Json | undefined
  const bundle = subject?.['fhirBundle'] as Json | undefined
  if (bundle === null || typeof bundle !== 'object' || bundle['resourceType'] !== 'Bundle') {
    throw new VaxpassError('ERR_SHC', 'vc.credentialSubject.fhirBundle is not a FHIR Bundle')
  }
  return p
}

/** `rid` entries may carry `.timestamp`: then only cards issued before it are revoked. */
function isRevoked(rids: readonly string[], rid: string, nbf: number): boolean {
  for (const entry of rids) {
    const dot = entry.indexOf('.')
    const id = dot < 0 ? entry : entry.slice(0, dot)
    if (id !== rid) continue
    if (dot < 0) return true
    const ts = Number(entry.slice(dot + 1))
    if (!Number.isFinite(ts) || nbf < ts) return true
  }
  return false
}

function secondsToIso(seconds: number): string {
  const d = new Date(seconds * 1000)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString()
}
