import { VACCINE_ENCODING } from './vaccine-encoding.js'

/** The outcome of {@link checkVaccineConsistency}: `problems` explains each mismatch in English. */
export interface VaccineConsistency {
  readonly ok: boolean
  readonly problems: readonly string[]
}

/**
 * Checks that a vaccination's product (`mp`), manufacturer (`ma`) and vaccine type (`vp`) belong
 * together, per the eHealth Network's encoding instructions. An unknown `mp` is a problem too,
 * since nothing can be checked against it.
 *
 * @example
 * checkVaccineConsistency('EU/1/21/1529', 'ORG-100030215', '29061000087103')
 * // { ok: false, problems: ['ma ORG-100030215 does not match mp EU/1/21/1529 (expected ORG-100001699)'] }
 */
export function checkVaccineConsistency(mp: string, ma: string, vp: string): VaccineConsistency {
  const rule = Object.hasOwn(VACCINE_ENCODING, mp) ? VACCINE_ENCODING[mp] : undefined
  if (rule === undefined) {
    return { ok: false, problems: [`mp ${mp} has no encoding rule`] }
  }
  const problems: string[] = []
  if (ma !== rule.ma) problems.push(`ma ${ma} does not match mp ${mp} (expected ${rule.ma})`)
  if (!rule.vp.includes(vp)) {
    problems.push(`vp ${vp} does not match mp ${mp} (expected one of ${rule.vp.join(', ')})`)
  }
  return { ok: problems.length === 0, problems }
}
