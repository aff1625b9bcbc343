import { decodeCbor, toJsonValue } from '../cbor/cbor.js'
import { buildSigStructure, decodeCoseSign1, type CoseSign1 } from '../cose/cose-sign1.js'
import { VaxpassError } from '../errors.js'
import { importEs256PublicJwk, verifyEs256 } from '../jws/jwk.js'
import { bytesToHex } from '../platform/bytes.js'
import { findDidDocument } from '../partner-trust/find-partner-anchor.js'
import type { PartnerTrustStore } from '../partner-trust/partner-trust-store.js'
import { CheckRecorder } from '../verify/check-recorder.js'
import type { Holder, VerificationReport } from '../verify/report.js'
import { decodeBase32 } from './decode-base32.js'

/** Options of {@link verifyNzcp}. */
export interface VerifyNzcpOptions {
  /** Partner trust store: its DID documents are the trusted NZCP issuers. */
  readonly trust?: PartnerTrustStore
  readonly now: Date
}

/** Longest NZCP text read (a QR code holds at most ~4,300 alphanumeric characters). */
export const MAX_NZCP_LENGTH = 8192

const STEPS = [
  'prefix',
  'base32',
  'cose',
  'headers',
  'claims',
  'issuer',
  'key',
  'signature',
  'not-before',
  'expiry',
] as const

const PREFIX = /^NZCP:\/(\d+)\/(.*)$/s
const CREDENTIALS_V1 = 'https://www.w3.org/2018/credentials/v1'

/** Claims of an NZ COVID Pass after mapping CWT keys to their JWT names. */
export interface NzcpClaims {
  readonly iss: string
  readonly nbf: number
  readonly exp: number
  readonly jti: string
  readonly vc: Record<string, unknown>
}

/**
 * True when text is an NZ COVID Pass QR content (`NZCP:/...`).
 *
 * @example
 * isNzcpInput('NZCP:/1/2KCE...') // true
 */
export function isNzcpInput(text: string): boolean {
  return /^NZCP:\//i.test(text.trim())
}

/**
 * Verifies an NZ COVID Pass (`NZCP:/1/` + base32 COSE_Sign1) against the rules of the NZ COVID
 * Pass technical specification v1: tagged COSE_Sign1, ES256 and kid in the protected header,
 * every required CWT claim with its type, an issuer trusted through a `did:web` DID document in
 * the partner store whose `assertionMethod` lists `iss#kid`, the signature, `nbf` and `exp`.
 * Never throws.
 *
 * @example
 * const report = await verifyNzcp(qrText, { trust, now: new Date() })
 */
export async function verifyNzcp(
  input: string,
  options: VerifyNzcpOptions,
): Promise<VerificationReport> {
  const r = new CheckRecorder(STEPS)
  let headers: Record<string, unknown> | undefined
  let claims: NzcpClaims | undefined
  let holder: Holder | undefined
  let issuer: { id?: string; country?: string; trustAnchor?: string } | undefined
  try {
    const text = input.trim()
    const m = text.length <= MAX_NZCP_LENGTH ? PREFIX.exec(text) : null
    if (text.length > MAX_NZCP_LENGTH) {
      r.fail('prefix', 'ERR_INPUT_TOO_LARGE', `input longer than ${MAX_NZCP_LENGTH} characters`)
      return stop('input too large')
    }
    if (m === null) {
      r.fail('prefix', 'ERR_NZCP', 'input does not start with NZCP:/<version>/')
      return stop('prefix invalid')
    }
    if (m[1] !== '1') {
      r.fail('prefix', 'ERR_NZCP', `unsupported NZCP version ${m[1]!}`)
      return stop('prefix invalid')
    }
    r.pass('prefix', 'NZCP:/1/')

    let bytes: Uint8Array
    try {
      bytes = decodeBase32(m[2]!)
      r.pass('base32', `${bytes.length} bytes`)
    } catch (err) {
      r.failWith('base32', err, 'ERR_NZCP')
      return stop('base32 invalid')
    }

    let cose: CoseSign1
    try {
      cose = decodeCoseSign1(bytes)
      if (cose.tags.length !== 1 || cose.tags[0] !== 18) {
        throw new VaxpassError(
          'ERR_COSE_STRUCTURE',
          'NZCP requires a COSE_Sign1 tagged 18 (and no other tag)',
        )
      }
      r.pass('cose', 'tagged COSE_Sign1')
    } catch (err) {
      r.failWith('cose', err, 'ERR_COSE_STRUCTURE')
      return stop('COSE invalid')
    }

    // Headers: alg -7 and kid, both in the protected header.
    const rawKid = cose.protectedHeader.get(4)
    const kid =
      typeof rawKid === 'string'
        ? rawKid
        : rawKid instanceof Uint8Array
          ? decodeUtf8OrUndefined(rawKid)
          : undefined
    headers = { alg: cose.protectedHeader.get(1) ?? null, kid: kid ?? null }
    let headersOk = false
    if (cose.protectedHeader.get(1) !== -7) {
      r.fail('headers', 'ERR_COSE_ALG', 'protected header alg must be ES256 (-7)')
    } else if (kid === undefined || kid === '') {
      r.fail('headers', 'ERR_COSE_KID', 'protected header has no kid')
    } else {
      headersOk = true
      r.pass('headers', `alg ES256, kid ${kid}`)
      if (rawKid instanceof Uint8Array) {
        r.warn('NZCP_KID_BYTES', 'kid is a byte string; the specification asks for a text string')
      }
    }

    try {
      claims = parseNzcpClaims(cose.payload)
      const subject = claims.vc['credentialSubject'] as Record<string, string>
      holder = {
        name: [subject['givenName'], subject['familyName']]
          .filter((s) => s !== undefined)
          .join(' '),
        givenName: subject['givenName']!,
        ...(subject['familyName'] === undefined ? {} : { familyName: subject['familyName'] }),
        dateOfBirth: subject['dob']!,
      }
      issuer = { id: claims.iss }
      r.pass('claims', 'CWT claims and credential as specified')
    } catch (err) {
      r.failWith('claims', err, 'ERR_CWT_CLAIMS')
      return stop('claims invalid')
    }

    const found = findDidDocument(options.trust, claims.iss)
    if (found === undefined) {
      r.fail('issuer', 'ERR_UNTRUSTED', 'issuer DID is not in the partner trust store')
    } else {
      issuer = { ...issuer, country: found.partner.country }
      r.pass('issuer', `issuer trusted for ${found.partner.country}`)
    }

    if (found !== undefined && headersOk) {
      const ref = `${claims.iss}#${kid!}`
      let key: CryptoKey | undefined
      try {
        key = await resolveKey(found.document, ref)
        r.pass('key', `key ${ref} listed under assertionMethod`)
      } catch (err) {
        r.failWith('key', err, 'ERR_KEY_NOT_FOUND')
      }
      if (key !== undefined) {
        const ok = await verifyEs256(
          key,
          cose.signature,
          buildSigStructure(cose.protectedBytes, cose.payload),
        )
        if (ok) {
          r.pass('signature', 'ES256 signature verified')
          issuer = { ...issuer, trustAnchor: ref }
        } else r.fail('signature', 'ERR_COSE_SIGNATURE', 'signature does not verify')
      }
    }

    const now = options.now.getTime() / 1000
    if (now < claims.nbf) r.fail('not-before', 'ERR_NOT_YET_VALID', 'pass is not active yet (nbf)')
    else r.pass('not-before', 'pass is active')
    if (now >= claims.exp) r.fail('expiry', 'ERR_CERT_EXPIRED', 'pass has expired (exp)')
    else r.pass('expiry', 'not expired')
    return stop('an earlier check failed')
  } catch {
    // A bug of ours, not a property of the input: no message from it reaches the report.
    r.fail('prefix', 'ERR_INTERNAL', 'unexpected failure')
    return stop('unexpected failure')
  }

  function stop(reason: string): VerificationReport {
    r.skipRest(reason)
    return r.report('NZCP', {
      holder,
      // An NZ COVID Pass states that its holder meets NZ's policy; it lists no vaccination.
      events: [],
      issuer,
      validity:
        claims === undefined
          ? undefined
          : {
              issuedAt: new Date(claims.nbf * 1000).toISOString(),
              notBefore: new Date(claims.nbf * 1000).toISOString(),
              expiresAt: new Date(claims.exp * 1000).toISOString(),
            },
      payload: claims,
      headers,
    })
  }
}

/** Seconds since 1970 as an integer that a `Date` can hold (at most 100 million days either way). */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 8.64e12
}

function decodeUtf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

function claimError(message: string): VaxpassError<'ERR_CWT_CLAIMS'> {
  return new VaxpassError('ERR_CWT_CLAIMS', message)
}

/**
 * Decodes and checks the CWT claims of an NZ COVID Pass: `iss` (1) a did:web DID, `nbf` (5) and
 * `exp` (4) integers, `cti` (7) a 16-byte UUID mapped to `jti` `urn:uuid:...`, and `vc` with
 * its context, type, version 1.0.0 and a PublicCovidPass subject.
 *
 * @throws VaxpassError ERR_CWT_CLAIMS, ERR_CBOR, ERR_CBOR_TOO_DEEP
 * @example
 * parseNzcpClaims(cose.payload).jti // 'urn:uuid:60a4f54d-...'
 */
export function parseNzcpClaims(payload: Uint8Array): NzcpClaims {
  const map = decodeCbor(payload, { maxDepth: 16 })
  if (!(map instanceof Map)) throw claimError('CWT payload is not a map')
  const iss = map.get(1)
  const exp = map.get(4)
  const nbf = map.get(5)
  const cti = map.get(7)
  const vcRaw = map.get('vc')
  if (typeof iss !== 'string' || !/^did:web:[^#?/\s]+$/.test(iss)) {
    throw claimError('iss (1) must be a did:web DID')
  }
  if (!isNumericDate(nbf))
    throw claimError('nbf (5) must be an integer time within the range of dates')
  if (!isNumericDate(exp))
    throw claimError('exp (4) must be an integer time within the range of dates')
  if (!(cti instanceof Uint8Array) || cti.length !== 16) {
    throw claimError('cti (7) must be a 16-byte UUID')
  }
  if (!(vcRaw instanceof Map)) throw claimError('vc must be a map under a text key')
  const vc = toJsonValue(vcRaw) as Record<string, unknown>
  const context = vc['@context']
  if (
    !Array.isArray(context) ||
    context[0] !== CREDENTIALS_V1 ||
    !context.every((c) => typeof c === 'string')
  ) {
    throw claimError(`vc.@context must be an array of strings starting with ${CREDENTIALS_V1}`)
  }
  const type = vc['type']
  if (
    !Array.isArray(type) ||
    type.length !== 2 ||
    type[0] !== 'VerifiableCredential' ||
    type[1] !== 'PublicCovidPass'
  ) {
    throw claimError('vc.type must be ["VerifiableCredential", "PublicCovidPass"]')
  }
  if (vc['version'] !== '1.0.0') throw claimError('vc.version must be 1.0.0')
  const subject = vc['credentialSubject'] as Record<string, unknown> | undefined
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) {
    throw claimError('vc.credentialSubject must be an object')
  }
  const { givenName, familyName, dob } = subject
  if (typeof givenName !== 'string' || givenName === '' || givenName.length > 100) {
    throw claimError('credentialSubject.givenName is required (at most 100 characters)')
  }
  if (familyName !== undefined && (typeof familyName !== 'string' || familyName.length > 100)) {
    throw claimError('credentialSubject.familyName must be a string of at most 100 characters')
  }
  if (typeof dob !== 'string' || !isIsoDate(dob)) {
    throw claimError('credentialSubject.dob must be a YYYY-MM-DD date')
  }
  const hex = bytesToHex(cti)
  const jti = `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  return { iss, nbf, exp, jti, vc }
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}

async function resolveKey(
  document: import('../partner-trust/partner-trust-store.js').DidDocument,
  ref: string,
): Promise<CryptoKey> {
  const assertion = Array.isArray(document.assertionMethod) ? document.assertionMethod : []
  // Entries may be references (strings) or embedded verification methods.
  const listed = assertion.some(
    (a) => a === ref || (typeof a === 'object' && a !== null && (a as { id?: unknown }).id === ref),
  )
  if (!listed) {
    throw new VaxpassError('ERR_KEY_NOT_FOUND', `${ref} is not listed under assertionMethod`)
  }
  const methods = [
    ...(Array.isArray(document.verificationMethod) ? document.verificationMethod : []),
    ...assertion.filter((a): a is { id: string } => typeof a === 'object' && a !== null),
  ]
  const method = methods.find((vm) => (vm as { id?: unknown }).id === ref) as
    { type?: unknown; publicKeyJwk?: unknown } | undefined
  if (method === undefined) {
    throw new VaxpassError('ERR_KEY_NOT_FOUND', `no verificationMethod ${ref} in the DID document`)
  }
  if (method.type !== 'JsonWebKey2020') {
    throw new VaxpassError('ERR_KEY_PARSE', 'verificationMethod type must be JsonWebKey2020')
  }
  if (method.publicKeyJwk === null || typeof method.publicKeyJwk !== 'object') {
    throw new VaxpassError('ERR_KEY_PARSE', 'verificationMethod has no publicKeyJwk')
  }
  return importEs256PublicJwk(method.publicKeyJwk as import('../jws/jwk.js').Jwk)
}
