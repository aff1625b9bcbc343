import { setDefaultPlatform } from '../../core/platform/default-platform.js'
import { webPlatform } from '../../core/platform/web.js'
import { configureQrReader } from '../../core/qr/configure-qr-reader.js'
import { readQrCodes } from '../../core/qr/read-qr-codes.js'
import { readRevocationList, RevocationIndex } from '../../core/revocation/revocation-index.js'
import type { EntryRuleSet } from '../../core/rules/entry-rule.js'
import { vietnamEntryRules } from '../../core/rules/vietnam-entry-rules.js'
import { loadTrustStore } from '../../core/trust/load-trust-store.js'
import { TrustStore } from '../../core/trust/trust-store.js'
import { verify } from '../../core/verify/verify.js'

/*
 * The verifier's offline engine. The trust list and the revocation list are fetched when online
 * and kept in localStorage with the time they were fetched; verification itself never touches
 * the network. The QR reader's WebAssembly is served by the app (never from a CDN).
 */

setDefaultPlatform(webPlatform)
configureQrReader({ wasmUrl: '/assets/zxing_reader.wasm' })

const DATA_KEY = 'vaxpass.verifier.data'

/** The officer checks arrivals in Vietnam: its rule set is bundled, so it works offline too. */
export const ARRIVAL_COUNTRY = 'VN'
const ENTRY_RULES: EntryRuleSet = vietnamEntryRules()

interface StoredData {
  fetchedAt: string
  trustList: unknown[]
  revocationList: unknown
}

export interface VerifierDataStatus {
  fetchedAt: string | null
  offline: boolean
  keys: number
  revoked: number
}

/** An entry rule the pass did not meet (or that could not be evaluated), in both languages. */
export interface FailedRule {
  identifier: string
  description: { vi: string; en: string }
}

export interface VerifierResult {
  /** Signature, validity and revocation checks passed AND every entry rule was met. */
  valid: boolean
  /** Stable codes of the failed technical checks, in order (entry rules are in `failedRules`). */
  reasons: string[]
  /** Entry rules of Vietnam not met, when the pass content could be read. */
  failedRules?: FailedRule[]
  name?: string
  dateOfBirth?: string
  expiresAt?: string
  format?: string
}

let trust = new TrustStore()
let revocation = new RevocationIndex()

function readStored(): StoredData | null {
  try {
    const raw = localStorage.getItem(DATA_KEY)
    return raw ? (JSON.parse(raw) as StoredData) : null
  } catch {
    return null
  }
}

async function useData(data: StoredData): Promise<void> {
  trust = await loadTrustStore({ trustList: data.trustList, platform: webPlatform })
  revocation = readRevocationList(data.revocationList)
}

/**
 * Fetches fresh lists when the network allows, else uses the saved ones. Never throws.
 */
export async function loadVerifierData(): Promise<VerifierDataStatus> {
  let offline = false
  let data = readStored()
  const getJson = async (url: string): Promise<unknown> => {
    const r = await fetch(url, { cache: 'no-store' })
    // A copy the service worker kept is no fresher than ours: treat it as offline.
    if (!r.ok || r.headers.get('x-vaxpass-cached') === 'true') throw new Error(String(r.status))
    return r.json() as Promise<unknown>
  }
  if (navigator.onLine === false) offline = true
  else {
    try {
      const [trustList, revocationList] = await Promise.all([
        getJson('/api/public/trust-list'),
        getJson('/api/public/revocation-list'),
      ])
      if (!Array.isArray(trustList)) throw new Error('trust list is not an array')
      data = { fetchedAt: new Date().toISOString(), trustList, revocationList }
      localStorage.setItem(DATA_KEY, JSON.stringify(data))
    } catch {
      offline = true
    }
  }
  if (data) {
    try {
      await useData(data)
    } catch {
      data = null
    }
  }
  return {
    fetchedAt: data?.fetchedAt ?? null,
    offline,
    keys: trust.size,
    revoked: data ? countRevoked(data.revocationList) : 0,
  }
}

/** Certificates on the list: each is listed once per hash type, so the largest type count. */
function countRevoked(list: unknown): number {
  const batches = (list as { batches?: unknown } | null)?.batches
  if (!Array.isArray(batches)) return revocation.size
  const byType = new Map<string, number>()
  for (const b of batches as Array<{ hashType?: string; entries?: unknown[] }>) {
    const type = String(b.hashType)
    byType.set(type, (byType.get(type) ?? 0) + (Array.isArray(b.entries) ? b.entries.length : 0))
  }
  return Math.max(0, ...byType.values())
}

/**
 * Verifies a scanned text against the saved trust and revocation lists and Vietnam's entry rules,
 * at the device's time. Green needs both the checks and every rule.
 *
 * @example
 * const result = await verifyText('HC1:...') // { valid: false, failedRules: [{ identifier: 'VR-VN-0002', ... }] }
 */
export async function verifyText(text: string): Promise<VerifierResult> {
  const report = await verify(text, {
    trust,
    now: new Date(),
    revocation,
    entryRules: { ruleSet: ENTRY_RULES, arrivalCountry: ARRIVAL_COUNTRY },
  })
  // Rules judged on content that could not be read would only repeat the technical reason.
  const read = (report.events?.length ?? 0) > 0 || report.holder !== undefined
  const failedRules = read
    ? (report.rules ?? []).filter((r) => r.result !== 'passed').map((r) => describeRule(r))
    : []
  const reasons = report.checks
    .filter((c) => !c.ok && !c.skipped && c.code)
    .map((c) => c.code as string)
    .filter((code) => !(code === 'ERR_RULE_FAILED' && failedRules.length > 0))
  return {
    valid: report.valid,
    reasons:
      reasons.length > 0 || failedRules.length > 0 || report.valid ? reasons : ['ERR_INTERNAL'],
    ...(failedRules.length > 0 ? { failedRules } : {}),
    ...(report.holder
      ? { name: displayName(report.holder), dateOfBirth: report.holder.dateOfBirth }
      : {}),
    ...(report.validity?.expiresAt ? { expiresAt: report.validity.expiresAt } : {}),
    ...(report.format ? { format: report.format } : {}),
  }
}

/** The rule's own descriptions (EU rule format `Description [{lang, desc}]`), English as fallback. */
function describeRule(outcome: {
  identifier: string
  version: string
  description: string
}): FailedRule {
  const rule =
    ENTRY_RULES.rules.find(
      (r) => r.Identifier === outcome.identifier && r.Version === outcome.version,
    ) ?? ENTRY_RULES.rules.find((r) => r.Identifier === outcome.identifier)
  const pick = (lang: string): string | undefined =>
    rule?.Description.find((d) => d.lang === lang)?.desc
  const en = pick('en') ?? outcome.description
  return { identifier: outcome.identifier, description: { vi: pick('vi') ?? en, en } }
}

/** Family name first, as Vietnamese names are written (and as the passport shows them). */
function displayName(holder: { name: string; familyName?: string; givenName?: string }): string {
  const full = [holder.familyName, holder.givenName].filter((x) => x).join(' ')
  return full || holder.name
}

/** Reads the QR codes in an image file or a camera frame. */
export async function decodeImage(input: Blob | ImageData): Promise<string[]> {
  if (input instanceof Blob) return readQrCodes(new Uint8Array(await input.arrayBuffer()))
  return readQrCodes({ width: input.width, height: input.height, data: input.data })
}
