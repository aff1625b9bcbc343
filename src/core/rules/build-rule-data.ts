import type { VerificationReport } from '../verify/report.js'
import { normalizeProductCode } from './normalize-product-code.js'

/** Inputs of a rule evaluation besides the pass. */
export interface RuleContext {
  readonly now: Date
  /** ISO 3166-1 alpha-2 arrival country. */
  readonly arrivalCountry: string
  readonly valueSets?: Readonly<Record<string, readonly string[]>>
}

/**
 * Builds the CertLogic data object from the NORMALISED report, so one rule works for every pass
 * format: `payload` holds `format`, `holder`, `events` (each with `productCode`, its EU DCC
 * product code), `vaccination` (the event with the highest dose number, latest on ties),
 * `validity` and `issuer`; `external` holds `validationClock`, `arrivalCountry` and `valueSets`.
 *
 * @example
 * evaluate(rule.Logic, buildRuleData(report, { now, arrivalCountry: 'VN' }))
 */
export function buildRuleData(
  report: VerificationReport,
  context: RuleContext,
): Record<string, unknown> {
  const events = (report.events ?? []).map((e) => ({
    ...e,
    productCode: normalizeProductCode(e, report.format),
    doseNumber: e.doseNumber ?? null,
    seriesDoses: e.seriesDoses ?? null,
  }))
  let vaccination: (typeof events)[number] | null = null
  for (const e of events) {
    if (
      vaccination === null ||
      (e.doseNumber ?? 0) > (vaccination.doseNumber ?? 0) ||
      ((e.doseNumber ?? 0) === (vaccination.doseNumber ?? 0) && e.date > vaccination.date)
    ) {
      vaccination = e
    }
  }
  return {
    payload: {
      format: report.format,
      holder: report.holder ?? null,
      events,
      vaccination,
      validity: report.validity ?? {},
      issuer: report.issuer ?? {},
    },
    external: {
      validationClock: context.now.toISOString(),
      arrivalCountry: context.arrivalCountry,
      valueSets: context.valueSets ?? {},
    },
  }
}
