import type { CertLogicExpression } from 'certlogic-js'

/** A business rule in the EU DCC rule JSON format (as the DCC gateway distributes them). */
export interface EntryRule {
  readonly Identifier: string
  /** 'Acceptance' (arrival country rules) or 'Invalidation'. */
  readonly Type: string
  /** ISO 3166-1 alpha-2 country whose rule this is. */
  readonly Country: string
  readonly Version: string
  readonly SchemaVersion?: string
  readonly Engine?: string
  readonly EngineVersion?: string
  /** 'General', 'Vaccination', 'Test' or 'Recovery'. */
  readonly CertificateType: string
  readonly Description: ReadonlyArray<{ readonly lang: string; readonly desc: string }>
  /** ISO 8601 instants. */
  readonly ValidFrom: string
  readonly ValidTo: string
  readonly AffectedFields: readonly string[]
  readonly Logic: CertLogicExpression
}

/** The outcome of one rule for one pass. */
export interface RuleOutcome {
  readonly identifier: string
  readonly version: string
  readonly country: string
  readonly certificateType: string
  /** English description (or the first one). */
  readonly description: string
  /** 'passed', 'failed', or 'open' when the rule could not be evaluated. */
  readonly result: 'passed' | 'failed' | 'open'
  /** Why a rule is open (evaluation error). */
  readonly message?: string
}

/** A set of rules with the value sets they refer to (`external.valueSets.<name>`). */
export interface EntryRuleSet {
  readonly rules: readonly EntryRule[]
  readonly valueSets: Readonly<Record<string, readonly string[]>>
}
