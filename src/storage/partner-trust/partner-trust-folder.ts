import {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
  existsSync,
} from 'node:fs'
import { join } from 'node:path'
import { VaxpassError } from '../../core/errors.js'
import { readPartnerTrustDocument } from '../../core/partner-trust/read-partner-trust-document.js'
import type { PartnerTrustStore } from '../../core/partner-trust/partner-trust-store.js'

/** Where the partner trust folder lives unless told: `$VAXPASS_PARTNER_TRUST` or ./data/partner-trust. */
export function defaultPartnerTrustDir(): string {
  return process.env['VAXPASS_PARTNER_TRUST'] ?? './data/partner-trust'
}

/**
 * Loads the partner trust folder: one `<CC>.json` partner file per country. A missing folder is
 * an empty store.
 *
 * @throws VaxpassError ERR_TRUST_LIST when a file in it is not a valid partner file
 * @example
 * const store = loadPartnerTrustFolder('./data/partner-trust')
 */
export function loadPartnerTrustFolder(dir: string): PartnerTrustStore {
  if (!existsSync(dir)) return { countries: [] }
  const countries = readdirSync(dir)
    .filter((f) => /^[A-Z]{2}\.json$/.test(f))
    .sort()
    .flatMap((f) => readPartnerTrustDocument(readFileSync(join(dir, f), 'utf8'), { name: f }))
  return { countries }
}

/**
 * Writes every partner of the store to the folder, one file per country, each replaced
 * atomically (write then rename) so a reader never sees half a file.
 *
 * @example
 * savePartnerTrustFolder('./data/partner-trust', store)
 */
export function savePartnerTrustFolder(dir: string, store: PartnerTrustStore): void {
  try {
    mkdirSync(dir, { recursive: true })
    for (const partner of store.countries) {
      const file = join(dir, `${partner.country}.json`)
      writeFileSync(`${file}.tmp`, `${JSON.stringify(partner, null, 2)}\n`, { mode: 0o644 })
      renameSync(`${file}.tmp`, file)
    }
  } catch (cause) {
    throw new VaxpassError('ERR_TRUST_LIST', `cannot write the partner trust folder ${dir}`, {
      cause,
    })
  }
}
