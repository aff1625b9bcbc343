import { parseDsc, type Dsc } from '../dsc/parse-dsc.js'
import { VaxpassError } from '../errors.js'
import { base64ToBytes, bytesToBase64 } from '../platform/bytes.js'
import type { Platform } from '../platform/platform.js'
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
  readonly platform?: Platform
}

/**
 * Builds a {@link TrustStore} from certificates and/or a DCC gateway trust list JSON
 * (`[{ kid, timestamp, country, certificateType, thumbprint, signature, rawData }]`).
 * The gateway's own signature over entries is not checked here (that needs the gateway's
 * trust anchor). Errors: `ERR_TRUST_LIST` (malformed list), `ERR_DSC_PARSE`.
 *
 * @example
 * const trust = await loadTrustStore({ certificates: [pem], trustList: json })
 */
export async function loadTrustStore(sources: TrustSources): Promise<TrustStore> {
  const store = new TrustStore()
  const options = sources.platform === undefined ? {} : { platform: sources.platform }
  for (const c of sources.certificates ?? []) store.add(await parseDsc(c, options))
  if (sources.trustList !== undefined) {
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
