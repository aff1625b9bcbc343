/**
 * True for a legacy 9-digit identity card number (CMND). The register holds CCCDs only, so
 * lookups by a CMND go by name and birth date instead.
 *
 * @example
 * isCmnd('012345678') // true
 * isCmnd('001090123456') // false: a 12-digit CCCD
 */
export function isCmnd(id: string): boolean {
  return id.length === 9 && /^\d{9}$/.test(id)
}
