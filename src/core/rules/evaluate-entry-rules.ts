import { evaluate } from 'certlogic-js'
import type { VerificationReport } from '../verify/report.js'
import { buildRuleData, type RuleContext } from './build-rule-data.js'
import type { EntryRule, RuleOutcome } from './entry-rule.js'

/** Certificate types whose rules apply to vaccination passes. */
const APPLICABLE_TYPES = new Set(['General', 'Vaccination'])

/**
 * Selects the rules of the arrival country that are in force at `now` (acceptance rules for
 * general or vaccination certificates, the highest version of each identifier) and evaluates
 * each with certlogic-js against the normalised pass. A rule that throws is `open`, not passed.
 *
 * @example
 * const outcomes = evaluateEntryRules(rules, report, { now, arrivalCountry: 'VN', valueSets })
 */
export function evaluateEntryRules(
  rules: readonly EntryRule[],
  report: VerificationReport,
  context: RuleContext,
): RuleOutcome[] {
  const now = context.now.getTime()
  const latest = new Map<string, EntryRule>()
  for (const rule of rules) {
    if (rule.Country !== context.arrivalCountry) continue
    if (rule.Type !== 'Acceptance' || !APPLICABLE_TYPES.has(rule.CertificateType)) continue
    if (!(Date.parse(rule.ValidFrom) <= now && now < Date.parse(rule.ValidTo))) continue
    const seen = latest.get(rule.Identifier)
    if (seen === undefined || compareVersions(rule.Version, seen.Version) > 0)
      latest.set(rule.Identifier, rule)
  }
  const data = buildRuleData(report, context)
  return [...latest.values()]
    .sort((a, b) => (a.Identifier < b.Identifier ? -1 : a.Identifier > b.Identifier ? 1 : 0))
    .map((rule) => {
      const base = {
        identifier: rule.Identifier,
        version: rule.Version,
        country: rule.Country,
        certificateType: rule.CertificateType,
        description:
          (rule.Description.find((d) => d.lang === 'en') ?? rule.Description[0])?.desc ?? '',
      }
      try {
        const result = evaluate(rule.Logic, data)
        return { ...base, result: isTruthy(result) ? 'passed' : 'failed' } as const
      } catch (err) {
        return {
          ...base,
          result: 'open',
          message: err instanceof Error ? err.message : String(err),
        } as const
      }
    })
}

// CertLogic truthiness: false, null, 0, '' and empty arrays/objects are falsy.
function isTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0
  return Boolean(v)
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
