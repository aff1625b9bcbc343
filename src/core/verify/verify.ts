import { isNzcpInput, verifyNzcp } from '../nzcp/verify-nzcp.js'
import type { PartnerTrustStore } from '../partner-trust/partner-trust-store.js'
import type { Platform } from '../platform/platform.js'
import { applyEntryRules } from '../rules/apply-entry-rules.js'
import type { EntryRuleSet } from '../rules/entry-rule.js'
import { isShcInput } from '../shc/read-shc-input.js'
import { verifyShc } from '../shc/verify-shc.js'
import { isVdsNcInput, verifyVdsNc } from '../vds-nc/verify-vds-nc.js'
import type { TrustStore } from '../trust/trust-store.js'
import type { RevocationIndex } from '../revocation/revocation-index.js'
import { CheckRecorder } from './check-recorder.js'
import type { PassFormat, VerificationReport } from './report.js'
import { verifyHc1Now } from './verify-hc1.js'

/** Text inputs longer than this are refused before any decoding (a QR holds under 5 KB). */
export const MAX_TEXT_INPUT = 1024 * 1024
/** Image inputs larger than this are refused before decoding. */
export const MAX_IMAGE_INPUT = 20 * 1024 * 1024

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** Trusted DSCs for EU DCC. */
  readonly trust: TrustStore
  /** Verification time. */
  readonly now: Date
  readonly platform?: Platform
  /** Partner countries' keys and anchors for SHC (JWKS), NZCP (DID documents), VDS-NC (CSCAs). */
  readonly partnerTrust?: PartnerTrustStore
  /** Entry rules to evaluate for an arrival country; their outcomes go in `report.rules`. */
  readonly entryRules?: { readonly ruleSet: EntryRuleSet; readonly arrivalCountry: string }
  /** Revoked EU DCCs (`readRevocationList`); adds the `revocation` check (ERR_REVOKED). */
  readonly revocation?: Pick<RevocationIndex, 'isRevoked'>
}

/** One pass format the verifier knows: how to recognise its text and how to verify it. */
interface FormatHandler {
  readonly format: PassFormat
  readonly detect: (text: string) => boolean
  readonly verify: (
    text: string,
    options: VerifyOptions,
  ) => VerificationReport | Promise<VerificationReport>
}

// The formats, tried in order. Add a format with one line here.
const FORMATS: readonly FormatHandler[] = [
  {
    format: 'EU_DCC',
    detect: (t) => t.startsWith('HC1:') || /^HC\d:|^[A-Z]{2}\d:/i.test(t),
    verify: verifyHc1Now,
  },
  {
    format: 'NZCP',
    detect: isNzcpInput,
    verify: (t, o) => verifyNzcp(t, { trust: o.partnerTrust, now: o.now }),
  },
  {
    format: 'SHC',
    detect: isShcInput,
    verify: (t, o) =>
      verifyShc(t, {
        trust: o.partnerTrust,
        now: o.now,
        ...(o.platform ? { platform: o.platform } : {}),
      }),
  },
  {
    format: 'VDS_NC',
    detect: isVdsNcInput,
    verify: (t, o) => verifyVdsNc(t, { trust: o.partnerTrust, now: o.now }),
  },
]

/**
 * Verifies any pass: an `HC1:` string (other formats are added to the dispatch list), its bytes,
 * or a PNG/JPEG image holding its QR code. Never throws: every failure is a check with a stable
 * code in the returned report, and input size is bounded before any work.
 *
 * @example
 * const report = await verify('HC1:NCF...', { trust, now: new Date() })
 * if (!report.valid) console.log(report.checks.filter((c) => !c.ok))
 */
export function verify(
  input: string | Uint8Array,
  options: VerifyOptions,
): Promise<VerificationReport> {
  // Not async: a report known without an await (the usual HC1 pass on node) is handed back in
  // an already resolved promise, sparing an async frame; a rejection still becomes ERR_INTERNAL.
  try {
    const report =
      typeof input === 'string'
        ? verifyText(input, options)
        : isImage(input)
          ? verifyImage(input, options)
          : input.length > MAX_TEXT_INPUT
            ? tooLarge(input.length, MAX_TEXT_INPUT)
            : verifyText(new TextDecoder('utf-8', { fatal: false }).decode(input), options)
    return report instanceof Promise
      ? report.then(undefined, internalError)
      : Promise.resolve(report)
  } catch (err) {
    return Promise.resolve(internalError(err))
  }
}

function internalError(err: unknown): VerificationReport {
  const c = new CheckRecorder()
  c.failWith('internal', err, 'ERR_INTERNAL')
  return { valid: false, format: null, checks: c.checks, warnings: [] }
}

// Not async: the format's report, or its own promise, is handed straight to verify (one
// promise and one microtask fewer per pass), except where entry rules must be applied to it.
function verifyText(
  input: string,
  options: VerifyOptions,
): VerificationReport | Promise<VerificationReport> {
  if (input.length > MAX_TEXT_INPUT) return tooLarge(input.length, MAX_TEXT_INPUT)
  // Strip a byte order mark and surrounding whitespace (text files, scanners adding newlines).
  const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).trim()
  if (text === '') {
    const c = new CheckRecorder()
    c.fail('input', 'ERR_INPUT_EMPTY', 'input is empty')
    return { valid: false, format: null, checks: c.checks, warnings: [] }
  }
  for (const handler of FORMATS) {
    if (!handler.detect(text)) continue
    const report = handler.verify(text, options)
    if (options.entryRules === undefined) return report
    return report instanceof Promise
      ? report.then((r) => withEntryRules(r, options))
      : withEntryRules(report, options)
  }
  // A recorder only where this function reports (a recognised pass brings its own).
  const c = new CheckRecorder()
  c.fail('format', 'ERR_INPUT_FORMAT', 'input is not a recognised pass format')
  return { valid: false, format: null, checks: c.checks, warnings: [] }
}

async function verifyImage(image: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  if (image.length > MAX_IMAGE_INPUT) return tooLarge(image.length, MAX_IMAGE_INPUT)
  const c = new CheckRecorder()
  let texts: string[]
  try {
    // Loaded on demand: the QR reader brings a WebAssembly module.
    const { readQrCodes } = await import('../qr/read-qr-codes.js')
    texts = await readQrCodes(image)
  } catch (err) {
    c.failWith('qr', err, 'ERR_QR_IMAGE')
    return { valid: false, format: null, checks: c.checks, warnings: [] }
  }
  const first = texts[0]
  if (first === undefined) {
    c.fail('qr', 'ERR_QR_NOT_FOUND', 'no QR code found in the image')
    return { valid: false, format: null, checks: c.checks, warnings: [] }
  }
  const report = await verifyText(first, options)
  return {
    ...report,
    checks: [{ id: 'qr', ok: true, code: null, message: 'QR code read' }, ...report.checks],
  }
}

function withEntryRules(report: VerificationReport, options: VerifyOptions): VerificationReport {
  const rules = options.entryRules
  if (rules === undefined) return report
  return applyEntryRules(report, rules.ruleSet, {
    now: options.now,
    arrivalCountry: rules.arrivalCountry,
  })
}

function isImage(b: Uint8Array): boolean {
  const png = b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47
  const jpeg = b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
  return png || jpeg
}

function tooLarge(size: number, limit: number): VerificationReport {
  const c = new CheckRecorder()
  c.fail('input', 'ERR_INPUT_TOO_LARGE', `input of ${size} bytes exceeds the limit of ${limit}`)
  return { valid: false, format: null, checks: c.checks, warnings: [] }
}
