import { certificateToDer, parseDsc, type Dsc } from '../dsc/parse-dsc.js'
import { VaxpassError } from '../errors.js'
import { base64ToBytes, bytesToBase64, bytesToHex } from '../platform/bytes.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'
import { selectSealX509, type SealCertificate, type SealX509 } from '../vds-nc/seal-x509.js'
import { TrustStore } from './trust-store.js'

/** One entry of the DCC gateway trust list. */
export interface TrustListEntry {
  readonly kid: string
  readonly timestamp?: string
  readonly country?: string
  readonly certificateType?: string
  readonly thumbprint?: string
  readonly signature?: string
  /** base64 DER of the certificate. */
  readonly rawData: string
}

/** Sources of {@link loadTrustStore}. */
export interface TrustSources {
  /** Certificates as DER bytes, PEM or base64 text. */
  readonly certificates?: ReadonlyArray<Uint8Array | string>
  /** DCC gateway trust list: JSON text or the parsed array. Only `certificateType: "DSC"` (or none) is used. */
  readonly trustList?: string | readonly unknown[]
  /**
   * Country signing CAs (DER, PEM or base64). When given, a trust list DSC is kept only if one
   * of them issued it (names match, its signature verifies) and was valid when the DSC began.
   * Certificates given in `certificates` are trusted as they are.
   */
  readonly cscas?: ReadonlyArray<Uint8Array | string>
  /** Hears each trust list entry left out, and why (never throws for one). */
  readonly onRejected?: (entry: RejectedTrustEntry) => void
  readonly platform?: Platform
}

/** A trust list entry {@link loadTrustStore} left out. */
export interface RejectedTrustEntry {
  readonly kid: string
  readonly country: string | undefined
  /** `ERR_TRUST_THUMBPRINT`: the listed SHA-256 is not the certificate's; `ERR_TRUST_CHAIN`: no CSCA issued it. */
  readonly code: 'ERR_TRUST_THUMBPRINT' | 'ERR_TRUST_CHAIN'
  readonly message: string
}

/**
 * Builds a {@link TrustStore} from certificates and/or a DCC gateway trust list JSON
 * (`[{ kid, timestamp, country, certificateType, thumbprint, signature, rawData }]`).
 * An entry whose listed `thumbprint` (hex SHA-256 of the DER) is not its certificate's is left
 * out; with `cscas`, so is a DSC that none of them issued (see {@link TrustSources.cscas}).
 * The gateway's CMS `signature` over entries is not checked here (that needs the gateway's
 * trust anchor): anchor a list on CSCAs instead. Errors: `ERR_TRUST_LIST` (malformed list),
 * `ERR_DSC_PARSE`.
 *
 * @example
 * const trust = await loadTrustStore({ certificates: [pem], trustList: json })
 */
export async function loadTrustStore(sources: TrustSources): Promise<TrustStore> {
  const store = new TrustStore()
  const options = sources.platform === undefined ? {} : { platform: sources.platform }
  for (const c of sources.certificates ?? []) store.add(await parseDsc(c, options))
  if (sources.trustList !== undefined) {
    const anchors = sources.cscas === undefined ? undefined : await readAnchors(sources.cscas)
    const reject = (entry: TrustListEntry, code: RejectedTrustEntry['code'], message: string): void =>
      sources.onRejected?.({ kid: entry.kid, country: entry.country, code, message })
    for (const entry of readTrustList(sources.trustList)) {
      if (entry.certificateType !== undefined && entry.certificateType !== 'DSC') continue
      let der: Uint8Array
      try {
        der = base64ToBytes(entry.rawData)
      } catch (err) {
        throw new VaxpassError('ERR_TRUST_LIST', 'trust list entry rawData is not base64', {
          cause: err,
          details: { kid: entry.kid },
        })
      }
      if (entry.thumbprint !== undefined && /^[0-9a-f]{64}$/i.test(entry.thumbprint)) {
        const digest = await (sources.platform ?? getDefaultPlatform()).sha256(der)
        if (bytesToHex(digest) !== entry.thumbprint.toLowerCase()) {
          reject(entry, 'ERR_TRUST_THUMBPRINT', 'the listed thumbprint is not the SHA-256 of the certificate')
          continue
        }
      }
      if (anchors !== undefined && !(await isIssuedByAnchor(anchors, der))) {
        reject(entry, 'ERR_TRUST_CHAIN', 'no trusted CSCA issued this DSC')
        continue
      }
      const dsc: Dsc = await parseDsc(der, {
        ...options,
        ...(entry.country === undefined ? {} : { country: entry.country }),
      })
      store.add(dsc)
      // A list may name a kid that differs from the computed one; index under both.
      const listed = normaliseKid(entry.kid)
      if (listed !== dsc.kidBase64) store.add(dsc, listed)
    }
  }
  return store
}

interface Anchors {
  readonly x509: SealX509
  readonly cscas: readonly SealCertificate[]
}

async function readAnchors(cscas: ReadonlyArray<Uint8Array | string>): Promise<Anchors> {
  const x509 = await selectSealX509()
  const parsed: SealCertificate[] = []
  for (const c of cscas) {
    try {
      parsed.push(await x509.parse(certificateToDer(c)))
    } catch (err) {
      throw new VaxpassError('ERR_TRUST_LIST', 'a CSCA is not an X.509 certificate', { cause: err })
    }
  }
  return { x509, cscas: parsed }
}

// A CSCA anchors a DSC it issued while it was itself valid (a DSC outlives no CSCA's start).
async function isIssuedByAnchor(anchors: Anchors, der: Uint8Array): Promise<boolean> {
  let dsc: SealCertificate
  try {
    dsc = await anchors.x509.parse(der)
  } catch {
    return false
  }
  for (const csca of anchors.cscas) {
    if (dsc.notBefore < csca.notBefore || dsc.notBefore > csca.notAfter) continue
    if (await anchors.x509.isIssuedBy(dsc, csca)) return true
  }
  return false
}

function normaliseKid(kid: string): string {
  try {
    return bytesToBase64(base64ToBytes(kid))
  } catch {
    return kid
  }
}

function readTrustList(input: string | readonly unknown[]): TrustListEntry[] {
  let list: unknown = input
  if (typeof input === 'string') {
    try {
      list = JSON.parse(input)
    } catch (err) {
      throw new VaxpassError('ERR_TRUST_LIST', 'trust list is not JSON', { cause: err })
    }
  }
  if (!Array.isArray(list)) throw new VaxpassError('ERR_TRUST_LIST', 'trust list must be an array')
  return list.map((e, i) => {
    const entry = e as Partial<TrustListEntry> | null
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.kid !== 'string' ||
      typeof entry.rawData !== 'string'
    ) {
      throw new VaxpassError('ERR_TRUST_LIST', 'trust list entry needs kid and rawData', {
        details: { index: i },
      })
    }
    return entry as TrustListEntry
  })
}
