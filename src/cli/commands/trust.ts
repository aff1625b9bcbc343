import { X509Certificate } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Command } from 'commander'
import { isVaxpassError } from '../../core/errors.js'
import { mergePartnerTrust } from '../../core/partner-trust/merge-partner-country.js'
import type {
  PartnerCountry,
  PartnerTrustStore,
} from '../../core/partner-trust/partner-trust-store.js'
import { readPartnerTrustDocument } from '../../core/partner-trust/read-partner-trust-document.js'
import { parseJsonBounded } from '../../core/jcs/parse-json-bounded.js'
import { loadTrustStore } from '../../core/trust/load-trust-store.js'
import type { TrustStore } from '../../core/trust/trust-store.js'
import type { EntryRule, EntryRuleSet } from '../../core/rules/entry-rule.js'
import { parseEntryRules } from '../../core/rules/parse-entry-rules.js'
import { vietnamEntryRules } from '../../core/rules/vietnam-entry-rules.js'
import {
  defaultPartnerTrustDir,
  loadPartnerTrustFolder,
  savePartnerTrustFolder,
} from '../../storage/partner-trust/partner-trust-folder.js'
import { CliExit } from '../cli-exit.js'

/** Largest trust file read. */
const MAX_FILE = 20 * 1024 * 1024
const TRUST_FILE = /\.(json|pem|crt|cer|der)$/i

interface ImportOptions {
  country?: string
  iss?: string
  store?: string
  json?: boolean
}

/** A file found under an import folder, or the file given. */
function listFiles(path: string, depth = 0): string[] {
  const st = statSync(path)
  if (st.isFile()) return [path]
  if (!st.isDirectory() || depth > 6) return []
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name)
      const s = statSync(child)
      if (s.isDirectory()) return listFiles(child, depth + 1)
      return TRUST_FILE.test(name) ? [child] : []
    })
}

/**
 * Imports trust documents into the partner trust folder and returns what was imported and what
 * was skipped. Used by `vaxpass trust import`.
 *
 * @example
 * importPartnerTrust('issuer/', { country: 'US', iss: 'https://issuer.example', store: dir })
 */
export function importPartnerTrust(
  path: string,
  options: { country?: string; iss?: string; store: string },
): {
  imported: Array<{ file: string; country: string; formats: string[] }>
  skipped: Array<{ file: string; code: string; message: string }>
  store: PartnerTrustStore
} {
  const single = statSync(path).isFile()
  const files = listFiles(path)
  const imported: Array<{ file: string; country: string; formats: string[] }> = []
  const skipped: Array<{ file: string; code: string; message: string }> = []
  const incoming: PartnerCountry[] = []
  for (const file of files) {
    const name = single ? file : relative(path, file) || file
    try {
      if (statSync(file).size > MAX_FILE) throw new Error(`larger than ${MAX_FILE} bytes`)
      const bytes = new Uint8Array(readFileSync(file))
      const partners = readPartnerTrustDocument(bytes, {
        name,
        ...(options.country === undefined ? {} : { country: options.country }),
        ...(options.iss === undefined ? {} : { iss: options.iss }),
      })
      for (const p of partners) {
        incoming.push(p)
        imported.push({ file: name, country: p.country, formats: [...p.formats] })
      }
    } catch (err) {
      // A single file must import; in a folder, other files (READMEs, sample passes) are skipped.
      if (single) throw err
      skipped.push({
        file: name,
        code: isVaxpassError(err) ? err.code : 'ERR_TRUST_LIST',
        message: err instanceof Error ? err.message : String(err),
      })
    }
  }
  const store = mergePartnerTrust(loadPartnerTrustFolder(options.store), incoming)
  if (incoming.length > 0) savePartnerTrustFolder(options.store, store)
  return { imported, skipped, store }
}

function describeCsca(certificate: string): string {
  try {
    return new X509Certificate(Buffer.from(certificate, 'base64')).subject.replace(/\n/g, ', ')
  } catch {
    return '(unreadable certificate)'
  }
}

/**
 * A plain-data summary of each partner (what `vaxpass trust list --json` prints).
 *
 * @example
 * summarizePartnerTrust(loadPartnerTrustFolder(dir))
 */
export function summarizePartnerTrust(store: PartnerTrustStore): Array<Record<string, unknown>> {
  return store.countries.map((p) => ({
    country: p.country,
    ...(p.name === undefined ? {} : { name: p.name }),
    formats: p.formats,
    dscs: (p.dscs ?? []).map((d) => d.kid),
    shcIssuers: (p.shcIssuers ?? []).map((i) => ({
      iss: i.iss,
      keys: i.keys.map((k) => k.kid ?? '(no kid)'),
      crls: (i.crls ?? []).map((c) => ({ kid: c.kid, ctr: c.ctr, rids: c.rids.length })),
    })),
    didDocuments: (p.didDocuments ?? []).map((d) => d.id),
    cscas: (p.cscas ?? []).map((c) => describeCsca(c.certificate)),
  }))
}

/**
 * `vaxpass trust import <file|dir> [--country CC] [--iss URL] [--store dir] [--json]` and
 * `vaxpass trust list [--store dir] [--json]`: the partner countries' keys and anchors.
 *
 * @example
 * registerTrust(program)
 */
export function registerTrust(program: Command): void {
  const trust = program
    .command('trust')
    .description('partner countries: formats, keys and trust anchors')
  trust
    .command('import')
    .description(
      'import or refresh trust documents: partner files, DCC gateway DSC lists, JWKS, SHC CRLs, DID documents, CSCA certificates',
    )
    .argument('<path>', 'a file, or a folder searched for .json/.pem/.crt/.cer/.der files')
    .option(
      '--country <CC>',
      'partner country (ISO 3166-1 alpha-2) for documents that do not name it',
    )
    .option('--iss <url>', 'SMART Health Cards issuer URL for JWKS and CRL documents')
    .option(
      '--store <dir>',
      'partner trust folder (default $VAXPASS_PARTNER_TRUST or ./data/partner-trust)',
    )
    .option('--json', 'print the result as JSON')
    .action((path: string, opts: ImportOptions) => {
      let st
      try {
        st = statSync(path)
      } catch {
        process.stderr.write(`error: cannot read ${path}\n`)
        throw new CliExit(2)
      }
      if (!st.isFile() && !st.isDirectory()) {
        process.stderr.write(`error: ${path} is not a file or folder\n`)
        throw new CliExit(2)
      }
      if (opts.country !== undefined && !/^[A-Za-z]{2}$/.test(opts.country)) {
        process.stderr.write('error: --country must be an ISO 3166-1 alpha-2 code\n')
        throw new CliExit(2)
      }
      const store = opts.store ?? defaultPartnerTrustDir()
      const result = importPartnerTrust(path, {
        store,
        ...(opts.country === undefined ? {} : { country: opts.country.toUpperCase() }),
        ...(opts.iss === undefined ? {} : { iss: opts.iss }),
      })
      if (opts.json === true) {
        const { imported, skipped } = result
        process.stdout.write(`${JSON.stringify({ store, imported, skipped }, null, 2)}\n`)
      } else {
        for (const i of result.imported)
          process.stdout.write(`imported ${i.file}: ${i.country} ${i.formats.join(',')}\n`)
        for (const s of result.skipped)
          process.stdout.write(`skipped  ${s.file}: [${s.code}] ${s.message}\n`)
        process.stdout.write(`${result.imported.length} imported into ${store}\n`)
      }
      if (result.imported.length === 0) throw new CliExit(1)
    })
  trust
    .command('list')
    .description('list partner countries, their formats and anchors')
    .option(
      '--store <dir>',
      'partner trust folder (default $VAXPASS_PARTNER_TRUST or ./data/partner-trust)',
    )
    .option('--json', 'print as JSON')
    .action((opts: { store?: string; json?: boolean }) => {
      const summary = summarizePartnerTrust(
        loadPartnerTrustFolder(opts.store ?? defaultPartnerTrustDir()),
      )
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify({ partners: summary }, null, 2)}\n`)
        return
      }
      if (summary.length === 0) process.stdout.write('no partner countries\n')
      for (const p of summary) {
        const issuers = p['shcIssuers'] as Array<{ iss: string; keys: string[]; crls: unknown[] }>
        process.stdout.write(
          `${String(p['country'])}  formats: ${(p['formats'] as string[]).join(', ')}\n`,
        )
        const dscs = p['dscs'] as string[]
        if (dscs.length > 0) process.stdout.write(`  DSCs: ${dscs.length}\n`)
        for (const i of issuers)
          process.stdout.write(
            `  SHC issuer ${i.iss}: ${i.keys.length} keys, ${i.crls.length} CRLs\n`,
          )
        for (const d of p['didDocuments'] as string[]) process.stdout.write(`  DID ${d}\n`)
        for (const c of p['cscas'] as string[]) process.stdout.write(`  CSCA ${c}\n`)
      }
    })
}

/**
 * Loads entry rules for `vaxpass verify --rules <file|dir>`: each `.json` file holds one rule,
 * an array of rules, or `{ rules, valueSets }`. Without a path, Vietnam's default rule set.
 * Vietnam's value sets are always available, so custom rules can refer to them.
 *
 * @example
 * const ruleSet = loadCliEntryRules('rules/')
 */
export function loadCliEntryRules(path?: string): EntryRuleSet {
  const defaults = vietnamEntryRules()
  if (path === undefined) return defaults
  let files: string[]
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(path, f))
      : [path]
  } catch {
    process.stderr.write(`error: cannot read ${path}\n`)
    throw new CliExit(2)
  }
  const rules: EntryRule[] = []
  const valueSets: Record<string, readonly string[]> = { ...defaults.valueSets }
  for (const file of files) {
    const doc = parseJsonBounded(readFileSync(file, 'utf8'), {
      maxLength: 10_000_000,
      maxDepth: 200,
    })
    const o = doc as { rules?: unknown; valueSets?: Record<string, readonly string[]> }
    if (o !== null && typeof o === 'object' && !Array.isArray(o) && 'rules' in o) {
      rules.push(...parseEntryRules(o.rules))
      Object.assign(valueSets, o.valueSets ?? {})
    } else rules.push(...parseEntryRules(doc))
  }
  return { rules, valueSets }
}

/**
 * The partner trust store for `vaxpass verify --partner-trust <dir>` (default folder otherwise).
 *
 * @example
 * const partnerTrust = loadCliPartnerTrust(opts.partnerTrust)
 */
export function loadCliPartnerTrust(dir?: string): PartnerTrustStore {
  return loadPartnerTrustFolder(dir ?? defaultPartnerTrustDir())
}

/**
 * Adds the DSCs of partners that issue EU DCC (DCC gateway shape in the partner folder) to the
 * EU DCC trust store used by `vaxpass verify`, indexed under their listed kids too.
 *
 * @example
 * await addPartnerDscs(trust, partnerTrust)
 */
export async function addPartnerDscs(
  trust: TrustStore,
  partnerTrust: PartnerTrustStore,
): Promise<number> {
  const entries = partnerTrust.countries
    .filter((p) => p.formats.includes('EU_DCC'))
    .flatMap((p) => (p.dscs ?? []).map((d) => ({ ...d, country: d.country || p.country })))
  if (entries.length === 0) return 0
  const extra = await loadTrustStore({ trustList: entries })
  for (const entry of entries) {
    for (const dsc of extra.find(entry.kid)) trust.add(dsc, normaliseKidText(entry.kid))
  }
  for (const dsc of extra.all()) trust.add(dsc)
  return entries.length
}

function normaliseKidText(kid: string): string {
  try {
    return Buffer.from(kid, 'base64').toString('base64')
  } catch {
    return kid
  }
}
