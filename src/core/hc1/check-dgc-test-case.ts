import { decodeBase45 } from '../base45/base45.js'
import { decodeCbor, toJsonValue } from '../cbor/cbor.js'
import { buildSigStructure, decodeCoseSign1, requireAlgorithm, type CoseSign1 } from '../cose/cose-sign1.js'
import { parseCwtClaims } from '../cwt/cwt-claims.js'
import { validateDcc } from '../dcc/validate-dcc.js'
import { isKeyUsageAllowed, parseDsc, type DccCertificateType, type Dsc } from '../dsc/parse-dsc.js'
import { base64ToBytes, equalBytes, hexToBytes } from '../platform/bytes.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'
import { inflateZlib } from '../zlib/zlib.js'
import { HC1_PREFIX } from './hc1.js'

/** The expected-result keys of a dgc-testdata case that {@link checkDgcTestCase} evaluates. */
export const DGC_EXPECTED_KEYS = [
  'EXPECTEDPICTUREDECODE',
  'EXPECTEDUNPREFIX',
  'EXPECTEDB45DECODE',
  'EXPECTEDCOMPRESSION',
  'EXPECTEDDECODE',
  'EXPECTEDVALIDJSON',
  'EXPECTEDSCHEMAVALIDATION',
  'EXPECTEDVERIFY',
  'EXPECTEDEXPIRATIONCHECK',
  'EXPECTEDKEYUSAGE',
  'EXPECTEDVALIDOBJECT',
  'EXPECTEDENCODE',
] as const

export type DgcExpectedKey = (typeof DGC_EXPECTED_KEYS)[number]

/** One case file of eu-digital-green-certificates/dgc-testdata (keys may be missing). */
export interface DgcTestCase {
  readonly JSON?: unknown
  readonly CBOR?: string
  readonly COSE?: string
  readonly COMPRESSED?: string
  readonly BASE45?: string
  readonly PREFIX?: string
  readonly '2DCODE'?: string
  readonly TESTCTX?: {
    readonly CERTIFICATE?: string
    readonly VALIDATIONCLOCK?: string
    readonly DESCRIPTION?: string
    readonly SCHEMA?: string
  }
  readonly EXPECTEDRESULTS?: Readonly<Record<string, unknown>>
}

/** The outcome of one expected key. `actual` is what our code found. */
export interface DgcKeyResult {
  readonly expected: boolean
  readonly actual: boolean
  readonly pass: boolean
  /** Why `actual` is false, when it is. */
  readonly reason?: string
}

/** Options of {@link checkDgcTestCase}. */
export interface CheckDgcOptions {
  /** Reads QR texts from a PNG (the caller brings the QR reader); without it PICTUREDECODE is not run. */
  readonly readQr?: (png: Uint8Array) => Promise<string[]>
  readonly platform?: Platform
}

type Outcome = { ok: boolean; reason?: string }

/**
 * Evaluates every expected key of one dgc-testdata case with the semantics of the test data's
 * README, using the case's VALIDATIONCLOCK as "now". Informational keys (VALIDOBJECT, ENCODE)
 * are reported as their expected value. Never throws.
 *
 * @example
 * const results = await checkDgcTestCase(JSON.parse(text), { readQr })
 * results.EXPECTEDVERIFY // { expected: true, actual: true, pass: true }
 */
export async function checkDgcTestCase(
  testCase: DgcTestCase,
  options: CheckDgcOptions = {},
): Promise<Partial<Record<DgcExpectedKey, DgcKeyResult>>> {
  const platform = options.platform ?? getDefaultPlatform()
  const expected = testCase.EXPECTEDRESULTS ?? {}
  const out: Partial<Record<DgcExpectedKey, DgcKeyResult>> = {}
  const layers = new Layers(testCase, platform)
  for (const key of DGC_EXPECTED_KEYS) {
    const exp = expected[key]
    if (typeof exp !== 'boolean') continue
    let r: Outcome | undefined
    try {
      r = await evaluate(key, testCase, layers, options)
    } catch (err) {
      r = { ok: false, reason: reasonOf(err) }
    }
    if (r === undefined) continue
    out[key] = {
      expected: exp,
      actual: r.ok,
      pass: exp === r.ok,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
    }
  }
  return out
}

async function evaluate(
  key: DgcExpectedKey,
  tc: DgcTestCase,
  layers: Layers,
  options: CheckDgcOptions,
): Promise<Outcome | undefined> {
  switch (key) {
    case 'EXPECTEDPICTUREDECODE': {
      if (options.readQr === undefined || tc['2DCODE'] === undefined) return undefined
      const texts = await options.readQr(base64ToBytes(tc['2DCODE']))
      if (texts.length === 0) return { ok: false, reason: 'no QR code read' }
      return texts[0] === tc.PREFIX ? { ok: true } : { ok: false, reason: 'QR text differs from PREFIX' }
    }
    case 'EXPECTEDUNPREFIX': {
      const p = tc.PREFIX
      if (p === undefined) return { ok: false, reason: 'no PREFIX' }
      if (!p.startsWith(HC1_PREFIX)) return { ok: false, reason: 'ERR_HC1_PREFIX' }
      if (tc.BASE45 !== undefined && p.slice(HC1_PREFIX.length) !== tc.BASE45) {
        return { ok: false, reason: 'PREFIX does not hold BASE45' }
      }
      return { ok: true }
    }
    case 'EXPECTEDB45DECODE': {
      const b = layers.base45()
      const bytes = decodeBase45(b)
      if (tc.COMPRESSED !== undefined && !equalBytes(bytes, hexToBytes(tc.COMPRESSED))) {
        return { ok: false, reason: 'decoded bytes differ from COMPRESSED' }
      }
      return { ok: true }
    }
    case 'EXPECTEDCOMPRESSION': {
      const inflated = await inflateZlib(layers.compressed())
      if (tc.COSE !== undefined && !equalBytes(inflated, hexToBytes(tc.COSE))) {
        return { ok: false, reason: 'inflated bytes differ from COSE' }
      }
      return { ok: true }
    }
    case 'EXPECTEDDECODE': {
      const claims = parseCwtClaims((await layers.cose()).payload)
      if (tc.JSON === undefined) return { ok: true }
      return sameJson(claims.dcc, tc.JSON)
        ? { ok: true }
        : { ok: false, reason: 'CWT payload differs from JSON' }
    }
    case 'EXPECTEDVALIDJSON': {
      if (tc.CBOR === undefined) return { ok: false, reason: 'no CBOR' }
      // Some producers put the whole CWT claims map in CBOR, not only the DCC: read -260 / 1 then.
      const raw = decodeCbor(hexToBytes(tc.CBOR))
      const hcert = raw instanceof Map ? raw.get(-260) : undefined
      const dcc = hcert instanceof Map && hcert.has(1) ? hcert.get(1) : raw
      return sameJson(toJsonValue(dcc), tc.JSON)
        ? { ok: true }
        : { ok: false, reason: 'CBOR differs from JSON' }
    }
    case 'EXPECTEDSCHEMAVALIDATION': {
      const dcc = parseCwtClaims((await layers.cose()).payload).dcc
      // The test data accepts what a lenient reader accepts (date-times in `dt`, nulls) but
      // fails codes outside the value sets (PL 7-9): read mode plus value-set membership.
      const v = validateDcc(dcc, { mode: 'read' })
      const first = v.errors[0]
      if (first !== undefined) return { ok: false, reason: `${first.code} ${first.path}: ${first.message}` }
      const vs = v.warnings.find((w) => w.code === 'WARN_DCC_VALUE_SET')
      return vs === undefined ? { ok: true } : { ok: false, reason: `ERR_DCC_VALUE_SET ${vs.path ?? ''}: ${vs.message}` }
    }
    case 'EXPECTEDVERIFY': {
      const cose = await layers.cose()
      const dsc = await layers.dsc()
      if (cose.kid === undefined) return { ok: false, reason: 'ERR_COSE_KID' }
      if (!equalBytes(cose.kid, dsc.kid)) return { ok: false, reason: 'ERR_DSC_UNKNOWN_KID' }
      const alg = requireAlgorithm(cose.alg)
      const ok = await layers.platform.verifySignature(
        alg,
        dsc.publicKey,
        buildSigStructure(cose.protectedBytes, cose.payload),
        cose.signature,
      )
      return ok ? { ok: true } : { ok: false, reason: 'ERR_COSE_SIGNATURE' }
    }
    case 'EXPECTEDEXPIRATIONCHECK': {
      const claims = parseCwtClaims((await layers.cose()).payload)
      const dsc = await layers.dsc()
      const clock = tc.TESTCTX?.VALIDATIONCLOCK
      if (clock === undefined) return { ok: false, reason: 'no VALIDATIONCLOCK' }
      const now = Date.parse(clock) / 1000
      const { iat, exp } = claims
      if (iat === undefined || exp === undefined) return { ok: false, reason: 'iat or exp missing' }
      if (dsc.notBefore.getTime() / 1000 > iat) return { ok: false, reason: 'iat before DSC notBefore' }
      if (iat > now) return { ok: false, reason: 'ERR_CWT_NOT_YET_VALID' }
      if (now > exp) return { ok: false, reason: 'ERR_CERT_EXPIRED' }
      if (exp > dsc.notAfter.getTime() / 1000) return { ok: false, reason: 'exp after DSC notAfter' }
      return { ok: true }
    }
    case 'EXPECTEDKEYUSAGE': {
      const dcc = parseCwtClaims((await layers.cose()).payload).dcc as Record<string, unknown> | null
      const dsc = await layers.dsc()
      const types = (['t', 'v', 'r'] as DccCertificateType[]).filter(
        (t) => dcc !== null && typeof dcc === 'object' && dcc[t] !== undefined && dcc[t] !== null,
      )
      if (types.length === 0) return { ok: false, reason: 'no certificate type' }
      return types.every((t) => isKeyUsageAllowed(dsc, t))
        ? { ok: true }
        : { ok: false, reason: 'ERR_DSC_KEY_USAGE' }
    }
    case 'EXPECTEDVALIDOBJECT':
    case 'EXPECTEDENCODE': {
      // Informational: the JSON object exists / the producer could encode it.
      return { ok: tc.JSON !== undefined && tc.JSON !== null && typeof tc.JSON === 'object' }
    }
  }
}

/** Each layer from its own field when present, else derived from the layer above. */
class Layers {
  #cose: Promise<CoseSign1> | undefined
  #dsc: Promise<Dsc> | undefined
  constructor(
    readonly tc: DgcTestCase,
    readonly platform: Platform,
  ) {}

  base45(): string {
    if (this.tc.BASE45 !== undefined) return this.tc.BASE45
    const p = this.tc.PREFIX ?? ''
    return p.startsWith(HC1_PREFIX) ? p.slice(HC1_PREFIX.length) : p
  }

  compressed(): Uint8Array {
    return this.tc.COMPRESSED !== undefined ? hexToBytes(this.tc.COMPRESSED) : decodeBase45(this.base45())
  }

  cose(): Promise<CoseSign1> {
    this.#cose ??= (async () =>
      decodeCoseSign1(
        this.tc.COSE !== undefined ? hexToBytes(this.tc.COSE) : await inflateZlib(this.compressed()),
      ))()
    return this.#cose
  }

  dsc(): Promise<Dsc> {
    const cert = this.tc.TESTCTX?.CERTIFICATE
    this.#dsc ??= cert === undefined ? Promise.reject(new Error('no CERTIFICATE')) : parseDsc(cert)
    return this.#dsc
  }
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  const msg = err instanceof Error ? err.message : String(err)
  return typeof code === 'string' ? `${code}: ${msg}` : msg
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/

/** Deep equality of JSON data where date-time strings compare as instants. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'string' && typeof b === 'string') {
    return DATE_TIME.test(a) && DATE_TIME.test(b) && Date.parse(a) === Date.parse(b) && !Number.isNaN(Date.parse(a))
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    return ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return false
}
