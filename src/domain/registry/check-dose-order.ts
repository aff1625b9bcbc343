import type { RejectReason } from './reject-reason.js'

/** A dose already known for a person (stored, or accepted earlier in the same batch). */
export interface KnownDose {
  readonly doseNumber: number
  readonly date: string
  readonly product: string
}

/**
 * Checks a new dose against the person's known doses: a higher dose number must come on a later
 * date, a lower one on an earlier date, and the same number cannot be given twice on different
 * dates or with different products. Exact duplicates are found earlier, by the natural key.
 *
 * @example
 * checkDoseOrder(
 *   [{ doseNumber: 1, date: '2021-08-01', product: 'EU/1/20/1528' }],
 *   { doseNumber: 2, date: '2021-07-01', product: 'EU/1/20/1528' },
 * )
 * // 'dose_out_of_order'
 */
export function checkDoseOrder(
  known: readonly KnownDose[],
  dose: KnownDose,
): 'ok' | Extract<RejectReason, 'dose_out_of_order' | 'dose_number_conflict'> {
  for (const k of known) {
    // The very same dose again: a duplicate, which the natural key deals with.
    if (k.doseNumber === dose.doseNumber && k.date === dose.date && k.product === dose.product) {
      continue
    }
    if (k.doseNumber === dose.doseNumber) return 'dose_number_conflict'
    if (k.doseNumber < dose.doseNumber ? k.date >= dose.date : k.date <= dose.date) {
      return 'dose_out_of_order'
    }
  }
  return 'ok'
}
