import { decodeBase45, decodeBase45Into } from '../base45/base45.js'
import {
  buildSigStructure,
  decodeCoseSign1,
  requireAlgorithm,
  type CoseSign1,
} from '../cose/cose-sign1.js'
import { readUsualCoseSign1, type CoseSign1Parts } from '../cose/read-usual-cose-sign1.js'
import { parseCwtClaims, type CwtClaims } from '../cwt/cwt-claims.js'
import { dccToEvents } from '../dcc/dcc-to-events.js'
import { dccToHolder } from '../dcc/dcc-to-holder.js'
import { validateDcc } from '../dcc/validate-dcc.js'
import { isKeyUsageAllowed, type DccCertificateType, type Dsc } from '../dsc/parse-dsc.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform, SignatureAlgorithm } from '../platform/platform.js'
import type { TrustStore } from '../trust/trust-store.js'
import { DEFAULT_MAX_INFLATE, inflateZlib } from '../zlib/zlib.js'
import { FAST_MAX_OUTPUT, inflateZlibFast, inflateZlibFastView } from '../zlib/inflate-fast.js'
import { HC1_PREFIX } from '../hc1/hc1.js'
import { computeRevocationHashes } from '../revocation/revocation-hashes.js'
import type { RevocationIndex } from '../revocation/revocation-index.js'
import { CheckRecorder, passed } from './check-recorder.js'
import { formatIsoSeconds } from './format-iso-seconds.js'
import { coseHeaders, usualCoseHeaders } from './header-json.js'
import { issuerOfClaims, issuerWithDsc } from './report-issuer.js'
import type { Check, VerificationReport, Warning } from './report.js'

/** The check ids of an EU DCC report, in order. */
export const HC1_CHECK_IDS = [
  'prefix',
  'base45',
  'zlib',
  'cose',
  'cwt',
  'schema',
  'kid',
  'signature',
  'keyUsage',
  'validity',
] as const

/*
 * Scratch buffers of the synchronous path (a platform with verifySignatureSync, node's): a pass
 * is Base45-decoded, inflated (inflateZlibFastView's own buffer) and its Sig_structure written
 * into memory reused from pass to pass, and everything that reads them runs before any await,
 * so no other verification can write them in between. Fresh buffers cost an allocation outside
 * V8's heap each (malloc, then a free after the next scavenge), three per pass. Allocated on
 * first use, so that a bundle loading the verifier does not hold them before it verifies.
 */
let base45Scratch: Uint8Array | undefined
let sigScratch: Uint8Array | undefined

/*
 * Passing checks whose text is the same from pass to pass, shared by every report (frozen by
 * `passed`): check objects are not made per pass. Texts that depend on the pass's kid or DCC
 * version keep the last one made, as a verifier sees the same few over and over.
 */
const PREFIX_OK = passed('prefix', 'HC1: prefix present')
const BASE45_OK = passed('base45', 'Base45 decoded')
const ZLIB_OK = passed('zlib', 'zlib inflated')
const COSE_OK = passed('cose', 'COSE_Sign1 structure read')
const CWT_OK = passed('cwt', 'CWT claims read')
const SIGNATURE_OK = {
  ES256: passed('signature', 'ES256 signature verified'),
  PS256: passed('signature', 'PS256 signature verified'),
}
const KEY_USAGE_OK = {
  v: passed('keyUsage', 'DSC may sign type v'),
  t: passed('keyUsage', 'DSC may sign type t'),
  r: passed('keyUsage', 'DSC may sign type r'),
}
const KEY_USAGE_UNRESTRICTED = passed('keyUsage', 'DSC has no DCC key usage restriction')
let lastSchemaVersion: string | null = null
let lastSchemaOk = passed('schema', 'DCC ? valid')
let lastKidCount = -1
let lastKidBase64: string | undefined
let lastKidOk = passed('kid', '')

/** Options of {@link verifyHc1}. */
export interface VerifyHc1Options {
  readonly trust: TrustStore
  /** The verification time (never the real clock inside core). */
  readonly now: Date
  readonly platform?: Platform
  /** Largest decompressed COSE accepted (bytes). */
  readonly maxInflate?: number
  /**
   * Revoked certificates (an EU DCC revocation list read by `readRevocationList`). When given, a
   * last check `revocation` fails with ERR_REVOKED for a listed certificate; without it the
   * check is not in the report.
   */
  readonly revocation?: Pick<RevocationIndex, 'isRevoked'>
}

type MutableReport = { -readonly [K in keyof VerificationReport]: VerificationReport[K] }

/**
 * Verifies an `HC1:` string: decodes every layer, validates the DCC (lenient read mode), finds
 * the DSCs of its kid and tries each, checks key usage and the validity window
 * (DSC notBefore <= iat <= now <= exp <= DSC notAfter). Never throws: each failure is a check.
 *
 * @example
 * const report = await verifyHc1('HC1:NCF...', { trust, now: new Date() })
 * report.valid // true
 */
export function verifyHc1(text: string, options: VerifyHc1Options): Promise<VerificationReport> {
  try {
    const report = verifyHc1Now(text, options)
    return report instanceof Promise ? report : Promise.resolve(report)
  } catch (err) {
    return Promise.reject(err)
  }
}

/**
 * {@link verifyHc1}, with the report itself rather than a promise of it when the pass could be
 * checked without an await (node's platform, a QR-sized pass, no revocation list): the usual
 * case, spared an async frame and its promise. The same report either way.
 *
 * @example
 * const report = await verifyHc1Now('HC1:NCF...', { trust, now: new Date() })
 */
export function verifyHc1Now(
  text: string,
  options: VerifyHc1Options,
): VerificationReport | Promise<VerificationReport> {
  const platform = options.platform ?? getDefaultPlatform()
  if (platform.verifySignatureSync !== undefined && options.revocation === undefined) {
    const report = verifyHc1Sync(text, options, platform)
    if (report !== undefined) return report
  }
  return verifyHc1Async(text, options, platform)
}

/*
 * The synchronous path: every step of verifyHc1Async, none awaiting. Undefined (nothing
 * recorded anywhere) when the fast inflater declines the stream: then the async path runs from
 * the start, with the platform's inflate.
 */
function verifyHc1Sync(
  text: string,
  options: VerifyHc1Options,
  platform: Platform,
): VerificationReport | undefined {
  const c = new CheckRecorder()
  // The recorder's own list (unused by HC1 otherwise) is the report's: one array fewer.
  const warnings = c.warnings
  const report: MutableReport = { valid: false, format: 'EU_DCC', checks: c.checks, warnings }

  const trimmed = text.trim()
  if (!trimmed.startsWith(HC1_PREFIX)) return failPrefix(c, report)
  c.add(PREFIX_OK)

  // Valid ASCII Base45 is written into the scratch with no view on it; anything else gets
  // decodeBase45's bytes or error.
  let compressed = (base45Scratch ??= new Uint8Array(FAST_MAX_OUTPUT))
  let compressedLength = decodeBase45Into(trimmed, HC1_PREFIX.length, compressed)
  if (compressedLength < 0) {
    try {
      compressed = decodeBase45(trimmed, HC1_PREFIX.length, compressed)
      compressedLength = compressed.length
    } catch (err) {
      c.failWith('base45', err, 'ERR_BASE45')
      return skipChecksFrom(c, 'zlib', report)
    }
  }
  c.add(BASE45_OK)

  // A view on the inflater's buffer: nothing below awaits before the last read of the COSE.
  const coseBytes = inflateZlibFastView(
    compressed,
    options.maxInflate ?? DEFAULT_MAX_INFLATE,
    compressedLength,
  )
  if (coseBytes === undefined) return undefined
  c.add(ZLIB_OK)

  const cose = readCose(c, report, coseBytes)
  if (cose === undefined) return skipChecksFrom(c, 'cwt', report)
  const claims = readClaims(c, cose)
  const type = claims === undefined ? skipSchema(c) : readDcc(c, report, warnings, claims)

  // kid and signature: every DSC of the kid is tried
  let dsc: Dsc | undefined
  const candidates = findCandidates(c, report, cose, options.trust)
  if (candidates !== undefined) {
    try {
      const alg = requireAlgorithm(cose.alg)
      const toBeSigned = buildSigStructure(
        cose.protectedBytes,
        cose.payload,
        (sigScratch ??= new Uint8Array(FAST_MAX_OUTPUT + 64)),
      )
      const verifySync = platform.verifySignatureSync!
      for (const candidate of candidates) {
        if (verifySync(alg, candidate.publicKey, toBeSigned, cose.signature)) {
          dsc = candidate
          break
        }
      }
      recordSignature(c, alg, dsc)
    } catch (err) {
      c.failWith('signature', err, 'ERR_COSE_SIGNATURE')
    }
  }
  finishChecks(c, report, claims, type, dsc, options.now)
  report.valid = c.valid
  return report
}

async function verifyHc1Async(
  text: string,
  options: VerifyHc1Options,
  platform: Platform,
): Promise<VerificationReport> {
  const sync = platform.verifySignatureSync !== undefined
  const c = new CheckRecorder()
  // The recorder's own list (unused by HC1 otherwise) is the report's: one array fewer.
  const warnings = c.warnings
  const report: MutableReport = { valid: false, format: 'EU_DCC', checks: c.checks, warnings }

  // prefix
  const trimmed = text.trim()
  if (!trimmed.startsWith(HC1_PREFIX)) return failPrefix(c, report)
  c.add(PREFIX_OK)

  let compressed: Uint8Array
  try {
    // Read only by the synchronous inflate below (the fallback gets a copy).
    compressed = decodeBase45(
      trimmed,
      HC1_PREFIX.length,
      (base45Scratch ??= new Uint8Array(FAST_MAX_OUTPUT)),
    )
    c.add(BASE45_OK)
  } catch (err) {
    c.failWith('base45', err, 'ERR_BASE45')
    return skipChecksFrom(c, 'zlib', report)
  }

  let coseBytes: Uint8Array
  try {
    const maxOutputLength = options.maxInflate ?? DEFAULT_MAX_INFLATE
    // Synchronous for QR-sized streams (no await); the platform's inflate for the rest. A view
    // on the inflater's buffer only when nothing awaits before the last read of the COSE.
    coseBytes =
      (sync
        ? inflateZlibFastView(compressed, maxOutputLength)
        : inflateZlibFast(compressed, maxOutputLength)) ??
      (await inflateZlib(compressed.slice(), { maxOutputLength, platform }))
    c.add(ZLIB_OK)
  } catch (err) {
    c.failWith('zlib', err, 'ERR_ZLIB')
    return skipChecksFrom(c, 'cose', report)
  }

  const cose = readCose(c, report, coseBytes)
  if (cose === undefined) return skipChecksFrom(c, 'cwt', report)
  const claims = readClaims(c, cose)
  const type = claims === undefined ? skipSchema(c) : readDcc(c, report, warnings, claims)

  // kid and signature: every DSC of the kid is tried
  let dsc: Dsc | undefined
  const candidates = findCandidates(c, report, cose, options.trust)
  if (candidates !== undefined) {
    try {
      const alg = requireAlgorithm(cose.alg)
      const toBeSigned = buildSigStructure(
        cose.protectedBytes,
        cose.payload,
        sync ? (sigScratch ??= new Uint8Array(FAST_MAX_OUTPUT + 64)) : undefined,
      )
      for (const candidate of candidates) {
        const ok = sync
          ? platform.verifySignatureSync!(alg, candidate.publicKey, toBeSigned, cose.signature)
          : await platform.verifySignature(alg, candidate.publicKey, toBeSigned, cose.signature)
        if (ok) {
          dsc = candidate
          break
        }
      }
      recordSignature(c, alg, dsc)
    } catch (err) {
      c.failWith('signature', err, 'ERR_COSE_SIGNATURE')
    }
  }
  finishChecks(c, report, claims, type, dsc, options.now)

  if (options.revocation !== undefined) {
    await checkRevocation(c, cose, claims, options.revocation, platform)
  }

  report.valid = c.valid
  return report
}

function failPrefix(c: CheckRecorder, report: VerificationReport): VerificationReport {
  c.fail('prefix', 'ERR_HC1_PREFIX', 'input does not start with HC1:')
  return skipChecksFrom(c, 'base45', report)
}

// The COSE_Sign1 and the report's headers; undefined (cose check failed) when unreadable.
function readCose(
  c: CheckRecorder,
  report: MutableReport,
  coseBytes: Uint8Array,
): CoseSign1Parts | undefined {
  // The usual shape by offsets, its headers as one literal (what coseHeaders makes of it).
  const usual = readUsualCoseSign1(coseBytes)
  if (usual !== undefined) {
    c.add(COSE_OK)
    report.headers = usualCoseHeaders(usual)
    return usual
  }
  let cose: CoseSign1
  try {
    cose = decodeCoseSign1(coseBytes)
    c.add(COSE_OK)
  } catch (err) {
    c.failWith('cose', err, 'ERR_COSE_STRUCTURE')
    return undefined
  }
  report.headers = coseHeaders(cose)
  return cose
}

function readClaims(c: CheckRecorder, cose: CoseSign1Parts): CwtClaims | undefined {
  try {
    const claims = parseCwtClaims(cose.payload)
    c.add(CWT_OK)
    return claims
  } catch (err) {
    c.failWith('cwt', err, 'ERR_CWT_CLAIMS')
    return undefined
  }
}

function skipSchema(c: CheckRecorder): null {
  c.skip('schema')
  return null
}

// The trusted DSCs of the pass's kid, with the kid check recorded; undefined when there are
// none to try (kid and signature checks then recorded).
function findCandidates(
  c: CheckRecorder,
  report: MutableReport,
  cose: CoseSign1Parts,
  trust: TrustStore,
): readonly Dsc[] | undefined {
  const kid = report.headers!['kid']
  const kidB64 = typeof kid === 'string' ? kid : undefined
  const candidates = kidB64 === undefined ? [] : trust.find(kidB64)
  if (cose.kid === undefined) {
    c.fail('kid', 'ERR_COSE_KID', 'no kid in the protected or unprotected header')
    c.skip('signature')
    return undefined
  }
  if (candidates.length === 0) {
    c.fail('kid', 'ERR_DSC_UNKNOWN_KID', `no trusted DSC has kid ${kidB64}`)
    c.skip('signature')
    return undefined
  }
  c.add(kidOk(candidates.length, kidB64))
  return candidates
}

function recordSignature(c: CheckRecorder, alg: SignatureAlgorithm, dsc: Dsc | undefined): void {
  if (dsc !== undefined) c.add(SIGNATURE_OK[alg])
  else
    c.fail(
      'signature',
      'ERR_COSE_SIGNATURE',
      `${alg} signature does not verify with any DSC of the kid`,
    )
}

// The issuer with its DSC, then the key usage and validity checks.
function finishChecks(
  c: CheckRecorder,
  report: MutableReport,
  claims: CwtClaims | undefined,
  type: DccCertificateType | null,
  dsc: Dsc | undefined,
  now: Date,
): void {
  // readDcc wrote the issuer from the claims' iss (only it does): now with the DSC.
  if (dsc !== undefined) report.issuer = issuerWithDsc(claims?.iss, dsc)

  // key usage
  if (dsc === undefined) c.skip('keyUsage', 'not run: no DSC verified the signature')
  else if (type === null) {
    if (dsc.allowedTypes.length === 0) c.add(KEY_USAGE_UNRESTRICTED)
    else
      c.fail('keyUsage', 'ERR_DSC_KEY_USAGE', 'certificate type unknown; the DSC restricts types')
  } else if (isKeyUsageAllowed(dsc, type)) {
    c.add(KEY_USAGE_OK[type])
  } else {
    c.fail(
      'keyUsage',
      'ERR_DSC_KEY_USAGE',
      `DSC may not sign type ${type} (allows ${dsc.allowedTypes.join(', ')})`,
    )
  }

  // validity window
  if (claims === undefined) c.skip('validity')
  else checkValidity(c, claims, report.validity ?? {}, dsc, now)
}

// The DCC's parts of the report and the schema check (synchronous: kept out of verifyHc1's
// async frame, whose locals are allocated on every call). Returns the certificate type.
function readDcc(
  c: CheckRecorder,
  report: MutableReport,
  warnings: Warning[],
  claims: CwtClaims,
): DccCertificateType | null {
  const dcc = claims.dcc
  report.payload = dcc
  report.holder = dccToHolder(dcc)
  report.events = dccToEvents(dcc)
  report.issuer = issuerOfClaims(claims.iss)
  const validity: { issuedAt?: string; expiresAt?: string } = {}
  if (claims.iat !== undefined) validity.issuedAt = formatIsoSeconds(claims.iat)
  if (claims.exp !== undefined) validity.expiresAt = formatIsoSeconds(claims.exp)
  report.validity = validity
  const v = validateDcc(dcc, { mode: 'read' })
  for (const w of v.warnings) warnings.push(w)
  const first = v.errors[0]
  if (v.ok) c.add(schemaOk(v.version))
  else if (first !== undefined) {
    c.fail('schema', first.code, `${first.path === '' ? '' : `${first.path}: `}${first.message}`)
  } else c.fail('schema', 'ERR_DCC_SCHEMA', 'DCC payload invalid')
  return v.type
}

function checkValidity(
  c: CheckRecorder,
  claims: CwtClaims,
  iso: { issuedAt?: string; expiresAt?: string },
  dsc: Dsc | undefined,
  now: Date,
): void {
  // Times as numbers: comparing Dates (now < notBefore) goes through ToPrimitive, a call each.
  const nowMs = now.getTime()
  const t = nowMs / 1000
  const { iat, exp } = claims
  if (iat === undefined || exp === undefined) {
    c.fail('validity', 'ERR_CWT_CLAIMS', 'iat or exp claim missing')
  } else if (t < iat) {
    c.fail(
      'validity',
      'ERR_CWT_NOT_YET_VALID',
      `issued at ${iso.issuedAt}, after the verification time`,
    )
  } else if (t > exp) {
    c.fail('validity', 'ERR_CERT_EXPIRED', `expired at ${iso.expiresAt}`)
  } else if (dsc !== undefined && iat < dsc.notBefore.getTime() / 1000) {
    c.fail('validity', 'ERR_DSC_VALIDITY', 'issued before the DSC became valid')
  } else if (dsc !== undefined && exp > dsc.notAfter.getTime() / 1000) {
    c.fail('validity', 'ERR_DSC_VALIDITY', 'expires after the DSC does')
  } else if (
    dsc !== undefined &&
    (nowMs < dsc.notBefore.getTime() || nowMs > dsc.notAfter.getTime())
  ) {
    c.fail('validity', 'ERR_DSC_VALIDITY', 'the DSC is not valid at the verification time')
  } else {
    c.pass('validity', `valid from ${iso.issuedAt} to ${iso.expiresAt}`)
  }
}

async function checkRevocation(
  c: CheckRecorder,
  cose: CoseSign1Parts,
  claims: CwtClaims | undefined,
  revocation: Pick<RevocationIndex, 'isRevoked'>,
  platform: Platform,
): Promise<void> {
  // The certificate identifier of the (single) vaccination, test or recovery entry.
  const dcc = (claims?.dcc ?? {}) as Record<string, unknown>
  let entry: { ci?: unknown; co?: unknown } | undefined
  for (const group of ['v', 't', 'r']) {
    const list = dcc[group]
    if (Array.isArray(list) && list.length > 0) entry = list[0] as { ci?: unknown; co?: unknown }
  }
  const uci = typeof entry?.ci === 'string' ? entry.ci : undefined
  const country = claims?.iss ?? (typeof entry?.co === 'string' ? entry.co : '')
  if (uci === undefined) {
    c.skip('revocation', 'not run: no certificate identifier')
    return
  }
  const alg = cose.alg === -37 ? 'PS256' : 'ES256'
  // A copy: on the synchronous path the signature is a view on a buffer the next pass reuses.
  const hashes = await computeRevocationHashes(
    { uci, country, signature: cose.signature.slice(), alg },
    platform,
  )
  if (revocation.isRevoked(hashes))
    c.fail('revocation', 'ERR_REVOKED', 'the certificate is on the revocation list')
  else c.pass('revocation', 'not on the revocation list')
}

function kidOk(count: number, kidB64: string | undefined): Check {
  if (count !== lastKidCount || kidB64 !== lastKidBase64) {
    lastKidOk = passed('kid', `${count} trusted DSC(s) for kid ${kidB64}`)
    lastKidCount = count
    lastKidBase64 = kidB64
  }
  return lastKidOk
}

function schemaOk(version: string | null): Check {
  // Starts as the text of a null version ('DCC ? valid').
  if (version !== lastSchemaVersion) {
    lastSchemaOk = passed('schema', `DCC ${version ?? '?'} valid`)
    lastSchemaVersion = version
  }
  return lastSchemaOk
}

function skipChecksFrom(
  c: CheckRecorder,
  id: (typeof HC1_CHECK_IDS)[number],
  report: VerificationReport,
): VerificationReport {
  for (let i = HC1_CHECK_IDS.indexOf(id); i < HC1_CHECK_IDS.length; i++) c.skip(HC1_CHECK_IDS[i]!)
  return report
}
