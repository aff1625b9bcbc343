import type { CoreErrorCode } from '../errors.js'
import { isVaxpassError } from '../errors.js'
import type { Check, PassFormat, VerificationReport, Warning } from './report.js'

/** What a verifier learnt about the pass; undefined parts are left out of the report. */
export type ReportParts = {
  readonly [K in 'holder' | 'events' | 'issuer' | 'validity' | 'payload' | 'headers']?:
    VerificationReport[K] | undefined
}

// The default step list, shared (an empty array made per recorder was one allocation per pass).
const NO_STEPS: readonly string[] = Object.freeze([])

/**
 * Collects the checks of one verification (shared by the HC1, SHC, NZCP and VDS-NC verifiers).
 * Steps that cannot run after a failure are listed as skipped, so every report names every step
 * of its format: one at a time with `skip`, or every declared step not yet recorded with
 * `skipRest`.
 *
 * @example
 * const r = new CheckRecorder(['jws', 'signature'])
 * r.pass('jws', 'compact JWS'); r.skipRest('jws failed')
 */
export class CheckRecorder {
  readonly checks: Check[] = []
  readonly warnings: Warning[] = []
  readonly #steps: readonly string[]

  /** `steps` is the format's step order, used by `skipRest` and `ordered`. */
  constructor(steps: readonly string[] = NO_STEPS) {
    this.#steps = steps
  }

  pass(id: string, message: string): void {
    this.checks.push({ id, ok: true, code: null, message })
  }

  /** Records a check made beforehand (a frozen one shared by many reports, see {@link passed}). */
  add(check: Check): void {
    this.checks.push(check)
  }

  fail(id: string, code: CoreErrorCode, message: string): void {
    this.checks.push({ id, ok: false, code, message })
  }

  /** Records a failure from a caught error, keeping its code when it is one of ours. */
  failWith(id: string, err: unknown, fallback: CoreErrorCode): void {
    if (isVaxpassError(err)) this.fail(id, err.code as CoreErrorCode, err.message)
    else this.fail(id, fallback, err instanceof Error ? err.message : String(err))
  }

  warn(code: string, message: string, path?: string): void {
    this.warnings.push(path === undefined ? { code, message } : { code, message, path })
  }

  /** Records one step as not run. */
  skip(id: string, message = 'not run: an earlier step failed'): void {
    this.checks.push({ id, ok: false, code: null, message, skipped: true })
  }

  /** Marks every declared step not yet recorded as skipped. */
  skipRest(reason: string): void {
    const seen = new Set(this.checks.map((c) => c.id))
    for (const id of this.#steps) if (!seen.has(id)) this.skip(id, `not run: ${reason}`)
  }

  /** True when at least one check ran and none failed. */
  get valid(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok)
  }

  /**
   * The report of this verification: validity from the checks, the checks in step order, and
   * the parts that are known (an undefined part leaves no key).
   */
  report(format: PassFormat, parts: ReportParts): VerificationReport {
    const known: Record<string, unknown> = {}
    for (const key of ['holder', 'events', 'issuer', 'validity', 'payload', 'headers'] as const) {
      if (parts[key] !== undefined) known[key] = parts[key]
    }
    return { valid: this.valid, format, ...known, checks: this.ordered(), warnings: this.warnings }
  }

  /** Checks in the declared step order. */
  ordered(): Check[] {
    const rank = (id: string) => {
      const i = this.#steps.indexOf(id)
      return i < 0 ? this.#steps.length : i
    }
    return [...this.checks].sort((a, b) => rank(a.id) - rank(b.id))
  }
}

/**
 * A passing check, frozen, for a verifier to record in every report that passes the step with
 * the same text (one object instead of one per report; frozen, so no report can change another's).
 *
 * @example
 * const PREFIX_OK = passed('prefix', 'HC1: prefix present') // then c.add(PREFIX_OK) per pass
 */
export function passed(id: string, message: string): Check {
  return Object.freeze({ id, ok: true, code: null, message })
}
