import { setDefaultPlatform } from '../../core/platform/default-platform.js'
import { webPlatform } from '../../core/platform/web.js'
import { configureQrReader } from '../../core/qr/configure-qr-reader.js'
import { readQrCodes } from '../../core/qr/read-qr-codes.js'
import { readRevocationList, RevocationIndex } from '../../core/revocation/revocation-index.js'
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

export interface VerifierResult {
  valid: boolean
  /** Stable codes of the failed checks, in order. */
  reasons: string[]
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
  try {
    const [trustList, revocationList] = await Promise.all([
      fetch('/api/public/trust-list', { cache: 'no-store' }).then((r) => {
        if (!r.ok) throw new Error(String(r.status))
        return r.json() as Promise<unknown[]>
      }),
      fetch('/api/public/revocation-list', { cache: 'no-store' }).then((r) => {
        if (!r.ok) throw new Error(String(r.status))
        return r.json() as Promise<unknown>
      }),
    ])
    data = { fetchedAt: new Date().toISOString(), trustList, revocationList }
    localStorage.setItem(DATA_KEY, JSON.stringify(data))
  } catch {
    offline = true
  }
  if (data) {
    try {
      await useData(data)
    } catch {
      data = null
    }
  }
  return { fetchedAt: data?.fetchedAt ?? null, offline, keys: trust.size, revoked: revocation.size }
}

/** Verifies a scanned text against the saved trust and revocation lists, at the device's time. */
export async function verifyText(text: string): Promise<VerifierResult> {
  const report = await verify(text, { trust, now: new Date(), revocation } as Parameters<
    typeof verify
  >[1])
  const reasons = report.checks
    .filter((c) => !c.ok && !c.skipped && c.code)
    .map((c) => c.code as string)
  return {
    valid: report.valid,
    reasons: reasons.length > 0 || report.valid ? reasons : ['ERR_INTERNAL'],
    ...(report.holder ? { name: report.holder.name, dateOfBirth: report.holder.dateOfBirth } : {}),
    ...(report.validity?.expiresAt ? { expiresAt: report.validity.expiresAt } : {}),
    ...(report.format ? { format: report.format } : {}),
  }
}

/** Reads the QR codes in an image file or a camera frame. */
export async function decodeImage(input: Blob | ImageData): Promise<string[]> {
  if (input instanceof Blob) return readQrCodes(new Uint8Array(await input.arrayBuffer()))
  return readQrCodes({ width: input.width, height: input.height, data: input.data })
}
