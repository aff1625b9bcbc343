import type { CoreErrorCode } from '../errors.js'
import { isVaxpassError } from '../errors.js'
import type { Check } from './report.js'

/**
 * Collects the checks of one verification in order. Formats list every step they know, so a
 * step that cannot run is recorded as skipped.
 *
 * @example
 * const c = new CheckList(); c.pass('prefix', 'HC1: prefix present')
 */
export class CheckList {
  readonly checks: Check[] = []

  pass(id: string, message: string): void {
    this.checks.push({ id, ok: true, code: null, message })
  }

  fail(id: string, code: CoreErrorCode, message: string): void {
    this.checks.push({ id, ok: false, code, message })
  }

  /** Records a thrown error as a failed check (VaxpassError keeps its code). */
  failWith(id: string, err: unknown, fallback: CoreErrorCode): void {
    if (isVaxpassError(err)) this.fail(id, err.code as CoreErrorCode, err.message)
    else this.fail(id, fallback, err instanceof Error ? err.message : String(err))
  }

  skip(id: string, message = 'not run: an earlier step failed'): void {
    this.checks.push({ id, ok: false, code: null, message, skipped: true })
  }

  get allPassed(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok)
  }
}
