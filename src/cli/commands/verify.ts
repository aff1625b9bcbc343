import { existsSync, readFileSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { loadTrustStore } from '../../core/trust/load-trust-store.js'
import type { TrustStore } from '../../core/trust/trust-store.js'
import { verify } from '../../core/verify/verify.js'
import type { VerificationReport } from '../../core/verify/report.js'
import { CliExit } from '../cli-exit.js'
import { addPartnerDscs, loadCliEntryRules, loadCliPartnerTrust } from './trust.js'

/** Largest file or stdin read by the CLI; the verifier applies its own, smaller limits. */
const MAX_READ = 25 * 1024 * 1024

/**
 * Reads a command input: `-` is stdin, an existing path is read as bytes, anything else is the
 * text itself (an `HC1:` string).
 *
 * @example
 * const bytes = await readInput('pass.png')
 */
export async function readInput(input: string): Promise<string | Uint8Array> {
  if (input === '-') return readStdin()
  if (input.length < 4096 && existsSync(input) && statSync(input).isFile()) {
    if (statSync(input).size > MAX_READ) {
      process.stderr.write(`error [ERR_INPUT_TOO_LARGE]: ${input} is larger than ${MAX_READ} bytes\n`)
      throw new CliExit(1)
    }
    return new Uint8Array(readFileSync(input))
  }
  return input
}

/**
 * Reads one input, or several (the chunks of a SMART Health Card, as strings or text files),
 * which are joined one per line for the verifier.
 *
 * @example
 * const text = await readInputs(['shc:/1/2/56...', 'shc:/2/2/60...'])
 */
export async function readInputs(inputs: readonly string[]): Promise<string | Uint8Array> {
  if (inputs.length === 1) return readInput(inputs[0]!)
  const parts: string[] = []
  for (const i of inputs) {
    const raw = await readInput(i)
    parts.push(typeof raw === 'string' ? raw : new TextDecoder().decode(raw))
  }
  return parts.join('\n')
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer
    size += b.length
    // Keep reading past the limit only to count; the verifier reports the oversize input.
    if (size <= MAX_READ) chunks.push(b)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * Builds the trust store from `--dsc` files (PEM, DER or base64 each) and a `--trust` file
 * (a DCC gateway trust list JSON array, or a PEM bundle). With `--csca` files (PEM bundles or
 * DER), a trust list DSC counts only if one of those CSCAs issued it; each entry left out is
 * named on stderr.
 *
 * @example
 * const trust = await loadCliTrust(['dsc.pem'], 'trust-list.json', ['csca-vn.pem'])
 */
export async function loadCliTrust(
  dscFiles: readonly string[],
  trustFile?: string,
  cscaFiles: readonly string[] = [],
): Promise<TrustStore> {
  const certificates: Array<Uint8Array | string> = dscFiles.map((f) => new Uint8Array(readFile(f)))
  let trustList: string | undefined
  if (trustFile !== undefined) {
    const text = readFile(trustFile).toString('utf8')
    if (text.trimStart().startsWith('[')) trustList = text
    else {
      certificates.push(...pemCertificates(text))
    }
  }
  const cscas = cscaFiles.flatMap((f): Array<Uint8Array | string> => {
    const bytes = readFile(f)
    const pems = pemCertificates(bytes.toString('latin1'))
    return pems.length === 0 ? [new Uint8Array(bytes)] : pems
  })
  return loadTrustStore({
    certificates,
    ...(trustList === undefined ? {} : { trustList }),
    ...(cscaFiles.length === 0 ? {} : { cscas }),
    onRejected: (r) => {
      process.stderr.write(`warning: trust list entry ${r.kid} (${r.country ?? '??'}) left out: ${r.message} [${r.code}]\n`)
    },
  })
}

/** The PEM certificates of a bundle, in order. */
function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch {
    process.stderr.write(`error: cannot read ${path}\n`)
    throw new CliExit(2)
  }
}

/**
 * Parses `--at`; a usage error (exit 2) when it is not an ISO 8601 time.
 *
 * @example
 * parseTimeOption('2022-01-01T00:00:00Z', '--at')
 */
export function parseTimeOption(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) {
    process.stderr.write(`error: ${name} must be an ISO 8601 time\n`)
    throw new CliExit(2)
  }
  return d
}

/**
 * The passes of a `--batch` text: one a line, except that the consecutive `shc:/C/N/` chunk
 * lines of a multi-part SMART Health Card (1/N first, up to N/N) make one pass, joined by newlines
 * as when given as several arguments. A chunk run that breaks off is one (failing) pass as it is.
 *
 * @example
 * batchPasses('HC1:A\nshc:/1/2/56\nshc:/2/2/78\n') // ['HC1:A', 'shc:/1/2/56\nshc:/2/2/78']
 */
export function batchPasses(text: string): string[] {
  const passes: string[] = []
  let chunks: string[] = []
  let expected = 0
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '') continue
    const chunk = /^shc:\/(\d+)\/(\d+)\//i.exec(line)
    const index = chunk ? Number(chunk[1]) : 0
    const total = chunk ? Number(chunk[2]) : 0
    if (chunks.length > 0 && (index !== chunks.length + 1 || total !== expected)) {
      passes.push(chunks.join('\n'))
      chunks = []
    }
    if (chunk && total > 1 && (chunks.length > 0 || index === 1)) {
      chunks.push(line)
      expected = total
      if (chunks.length === total) {
        passes.push(chunks.join('\n'))
        chunks = []
      }
      continue
    }
    passes.push(line)
  }
  if (chunks.length > 0) passes.push(chunks.join('\n'))
  return passes
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

interface VerifyCliOptions {
  dsc: string[]
  csca: string[]
  trust?: string
  at?: string
  json?: boolean
  batch?: string
  partnerTrust?: string
  rules?: string
  arrival?: string
}

/**
 * `vaxpass verify <input> [--dsc <file>]... [--trust <file>] [--at <ISO>] [--json] [--batch <file>]`
 *
 * @example
 * registerVerify(program)
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a pass: an HC1: string, a text file, a PNG/JPEG image, or - for stdin')
    .argument('[input...]', 'pass text, file path, or - for stdin; several for SHC chunks (shc:/C/N/...)')
    .option('--dsc <file>', 'trusted DSC (PEM, DER or base64); repeatable', collect, [])
    .option('--trust <file>', 'trust list: DCC gateway JSON array or a PEM bundle')
    .option('--csca <file>', 'CSCA (PEM bundle or DER) that trust list DSCs must chain to; repeatable', collect, [])
    .option('--at <time>', 'verification time (ISO 8601), default now')
    .option('--batch <file>', 'verify one input per line (- for stdin), print JSON Lines')
    .option('--json', 'print the report as JSON')
    .option('--partner-trust <dir>', 'partner trust folder for SHC, NZCP and VDS-NC (default ./data/partner-trust)')
    .option('--rules <file|dir>', 'entry rules (EU rule JSON); default Vietnam rules when --arrival is given')
    .option('--arrival <CC>', 'arrival country: evaluate its entry rules (ISO 3166-1 alpha-2)')
    .action(async (inputs: string[], opts: VerifyCliOptions) => {
      const input = inputs.length === 0 ? undefined : inputs
      if ((input === undefined) === (opts.batch === undefined)) {
        process.stderr.write('error: give one input or --batch <file>\n')
        throw new CliExit(2)
      }
      const now = parseTimeOption(opts.at, '--at') ?? new Date()
      const trust = await loadCliTrust(opts.dsc, opts.trust, opts.csca)
      if (opts.arrival !== undefined && !/^[A-Za-z]{2}$/.test(opts.arrival)) {
        process.stderr.write('error: --arrival must be an ISO 3166-1 alpha-2 code\n')
        throw new CliExit(2)
      }
      if (opts.rules !== undefined && opts.arrival === undefined) {
        process.stderr.write('error: --rules needs --arrival <CC>\n')
        throw new CliExit(2)
      }
      const partnerTrust = loadCliPartnerTrust(opts.partnerTrust)
      await addPartnerDscs(trust, partnerTrust)
      const entryRules =
        opts.arrival === undefined
          ? undefined
          : { ruleSet: loadCliEntryRules(opts.rules), arrivalCountry: opts.arrival.toUpperCase() }
      const extra = { partnerTrust, ...(entryRules === undefined ? {} : { entryRules }) }
      if (opts.batch !== undefined) {
        const raw = await readInput(opts.batch === '-' ? '-' : opts.batch)
        const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw)
        let allValid = true
        for (const pass of batchPasses(text)) {
          const report = await verify(pass, { trust, now, ...extra })
          allValid &&= report.valid
          process.stdout.write(`${JSON.stringify(report)}\n`)
        }
        if (!allValid) throw new CliExit(1)
        return
      }
      const report = await verify(await readInputs(input ?? []), { trust, now, ...extra })
      if (opts.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      else process.stdout.write(formatReport(report))
      if (!report.valid) throw new CliExit(1)
    })
}

/**
 * Human-readable report: verdict, holder, then one line per check.
 *
 * @example
 * process.stdout.write(formatReport(report))
 */
export function formatReport(report: VerificationReport): string {
  const lines = [`${report.valid ? 'VALID' : 'INVALID'}  format: ${report.format ?? 'unknown'}`]
  if (report.holder !== undefined) {
    lines.push(`holder: ${report.holder.name}  born: ${report.holder.dateOfBirth}`)
  }
  for (const e of report.events ?? []) {
    lines.push(
      `dose ${e.doseNumber ?? '?'}/${e.seriesDoses ?? '?'}  ${e.productName ?? e.product}  ${e.date}  ${e.country ?? ''}`,
    )
  }
  if (report.issuer?.id !== undefined) lines.push(`issuer: ${report.issuer.id}`)
  if (report.validity?.expiresAt !== undefined) lines.push(`expires: ${report.validity.expiresAt}`)
  for (const c of report.checks) {
    const mark = c.ok ? 'ok  ' : c.skipped === true ? 'skip' : 'FAIL'
    lines.push(`  ${mark} ${c.id.padEnd(10)} ${c.code === null ? '' : `[${c.code}] `}${c.message}`)
  }
  for (const w of report.warnings) lines.push(`  warn ${w.code} ${w.path ?? ''} ${w.message}`)
  for (const r of report.rules ?? []) lines.push(`  rule ${r.result.padEnd(6)} ${r.identifier} ${r.description}`)
  return `${lines.join('\n')}\n`
}
