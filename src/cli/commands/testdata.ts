import { readFileSync, readdirSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import type { Command } from 'commander'
import {
  checkDgcTestCase,
  type DgcKeyResult,
  type DgcTestCase,
} from '../../core/hc1/check-dgc-test-case.js'
import { CliExit } from '../cli-exit.js'

/** The result of one key in the `testdata` JSON output. */
export interface TestdataKeyResult extends DgcKeyResult {
  readonly known: boolean
}

/** The `vaxpass testdata --json` output. */
export interface TestdataRun {
  readonly summary: { files: number; checks: number; passed: number; failed: number; known: number }
  readonly files: Array<{ path: string; checks: Record<string, TestdataKeyResult>; error?: string }>
}

// known_issues.csv names the test functions of the test data's own Python suite.
const TEST_NAME_KEYS: Readonly<Record<string, string>> = {
  test_picture_decode: 'EXPECTEDPICTUREDECODE',
  test_unprefix: 'EXPECTEDUNPREFIX',
  test_b45decode: 'EXPECTEDB45DECODE',
  test_base45_decode: 'EXPECTEDB45DECODE',
  test_compression: 'EXPECTEDCOMPRESSION',
  test_decompression: 'EXPECTEDCOMPRESSION',
  test_cose_json: 'EXPECTEDDECODE',
  test_cbor_json: 'EXPECTEDVALIDJSON',
  test_cose_schema: 'EXPECTEDSCHEMAVALIDATION',
  test_verification_check: 'EXPECTEDVERIFY',
  test_expiration_check: 'EXPECTEDEXPIRATIONCHECK',
  test_expected_key_usage: 'EXPECTEDKEYUSAGE',
}

/** One line of known_issues.csv. */
export interface KnownIssue {
  readonly key: string | undefined
  readonly country: string
  readonly testSet: string
}

/**
 * The known issues of a dgc-testdata folder (its known_issues.csv), mapped to expected keys.
 *
 * @example
 * const issues = readKnownIssues(dir)
 */
export function readKnownIssues(dir: string): KnownIssue[] {
  let text: string
  try {
    text = readFileSync(join(dir, 'known_issues.csv'), 'utf8')
  } catch {
    return []
  }
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [name = '', country = '', testSet = ''] = l.split(',')
      return { key: TEST_NAME_KEYS[name.trim()], country: country.trim(), testSet: testSet.trim() }
    })
}

/**
 * True when known_issues.csv lists this key of this case (path relative to the folder).
 *
 * @example
 * isKnown(issues, 'NL/2DCode/raw/000-NL-test.json', 'EXPECTEDSCHEMAVALIDATION')
 */
export function isKnown(issues: readonly KnownIssue[], relPath: string, key: string): boolean {
  const parts = relPath.split(sep)
  const country = parts[0] ?? ''
  const testSet = basename(relPath, '.json')
  return issues.some(
    (i) => i.key === key && i.country === country && (i.testSet === '' || i.testSet === testSet),
  )
}

/**
 * Every `.json` case file under a folder, sorted.
 *
 * @example
 * listCaseFiles(dir).length
 */
export function listCaseFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else if (name.endsWith('.json')) out.push(p)
    }
  }
  walk(dir)
  return out
}

/**
 * Runs every case file under a folder laid out like dgc-testdata, each with its own
 * VALIDATIONCLOCK, and marks what known_issues.csv lists. Reads QR images when a reader is given.
 *
 * @example
 * const run = await runDgcTestdata('../shared/testdata/dgc-testdata', { readQr })
 */
export async function runDgcTestdata(
  dir: string,
  options: { readQr?: (png: Uint8Array) => Promise<string[]> } = {},
): Promise<TestdataRun> {
  const issues = readKnownIssues(dir)
  const summary = { files: 0, checks: 0, passed: 0, failed: 0, known: 0 }
  const files: TestdataRun['files'] = []
  for (const file of listCaseFiles(dir)) {
    const rel = relative(dir, file)
    summary.files++
    let tc: DgcTestCase
    try {
      tc = JSON.parse(readFileSync(file, 'utf8')) as DgcTestCase
    } catch {
      files.push({ path: rel, checks: {}, error: 'not a JSON file' })
      continue
    }
    if (typeof tc !== 'object' || tc === null || tc.EXPECTEDRESULTS === undefined) {
      files.push({ path: rel, checks: {}, error: 'no EXPECTEDRESULTS' })
      continue
    }
    const results = await checkDgcTestCase(tc, options.readQr === undefined ? {} : { readQr: options.readQr })
    const checks: Record<string, TestdataKeyResult> = {}
    for (const [key, r] of Object.entries(results)) {
      const known = isKnown(issues, rel, key)
      checks[key] = { ...r, known }
      summary.checks++
      if (known) summary.known++
      else if (r.pass) summary.passed++
      else summary.failed++
    }
    files.push({ path: rel, checks })
  }
  return { summary, files }
}

/**
 * `vaxpass testdata <dir> [--json]`: runs a dgc-testdata folder. Exit 1 when any check that is
 * not a known issue fails.
 *
 * @example
 * registerTestdata(program)
 */
export function registerTestdata(program: Command): void {
  program
    .command('testdata')
    .description('run every case of a folder laid out like eu-digital-green-certificates/dgc-testdata')
    .argument('<dir>', 'test data folder')
    .option('--json', 'print JSON')
    .option('--no-qr', 'skip reading the QR images')
    .action(async (dir: string, opts: { json?: boolean; qr: boolean }) => {
      try {
        if (!statSync(dir).isDirectory()) throw new Error('not a directory')
      } catch {
        process.stderr.write(`error: ${dir} is not a folder\n`)
        throw new CliExit(2)
      }
      let readQr: ((png: Uint8Array) => Promise<string[]>) | undefined
      if (opts.qr) {
        const { readQrCodes } = await import('../../core/qr/read-qr-codes.js')
        readQr = (png) => readQrCodes(png)
      }
      const run = await runDgcTestdata(dir, readQr === undefined ? {} : { readQr })
      if (opts.json === true) process.stdout.write(`${JSON.stringify(run)}\n`)
      else {
        for (const f of run.files) {
          process.stdout.write(`${f.path}${f.error === undefined ? '' : `  (${f.error})`}\n`)
          for (const [key, r] of Object.entries(f.checks)) {
            const mark = r.known ? 'KNOWN' : r.pass ? 'pass ' : 'FAIL '
            const why = r.reason === undefined ? '' : `  ${r.reason}`
            process.stdout.write(`  ${mark} ${key} expected=${r.expected} actual=${r.actual}${why}\n`)
          }
        }
        const s = run.summary
        process.stdout.write(
          `files ${s.files}  checks ${s.checks}  passed ${s.passed}  failed ${s.failed}  known ${s.known}\n`,
        )
      }
      if (run.summary.failed > 0) throw new CliExit(1)
    })
}
