import type { VerificationReport } from '../verify/report.js'
import type { RuleContext } from './build-rule-data.js'
import type { EntryRuleSet } from './entry-rule.js'
import { evaluateEntryRules } from './evaluate-entry-rules.js'

/**
 * Evaluates the entry rules of the arrival country for a verified pass and returns the report
 * with each rule's outcome in `rules` and one more check, `rules`, which fails (ERR_RULE_FAILED)
 * when a rule failed or could not be evaluated, or (ERR_RULES) when the arrival country has no
 * rule in force. The caller's value sets are added to the rule set's own.
 *
 * @example
 * const withRules = applyEntryRules(report, vietnamEntryRules(), { now, arrivalCountry: 'VN' })
 */
export function applyEntryRules(
  report: VerificationReport,
  ruleSet: EntryRuleSet,
  context: RuleContext,
): VerificationReport {
  const outcomes = evaluateEntryRules(ruleSet.rules, report, {
    ...context,
    valueSets: { ...ruleSet.valueSets, ...(context.valueSets ?? {}) },
  })
  const bad = outcomes.filter((o) => o.result !== 'passed')
  const check =
    outcomes.length === 0
      ? {
          id: 'rules',
          ok: false,
          code: 'ERR_RULES' as const,
          message: `no entry rule of ${context.arrivalCountry} is in force`,
        }
      : bad.length > 0
        ? {
            id: 'rules',
            ok: false,
            code: 'ERR_RULE_FAILED' as const,
            message: `entry rules not met: ${bad.map((o) => `${o.identifier} ${o.result}`).join(', ')}`,
          }
        : {
            id: 'rules',
            ok: true,
            code: null,
            message: `${outcomes.length} entry rules of ${context.arrivalCountry} met`,
          }
  const checks = [...report.checks.filter((c) => c.id !== 'rules'), check]
  return { ...report, valid: report.valid && check.ok, checks, rules: outcomes }
}
