import { checkDoseOrder, type KnownDose } from '../../domain/registry/check-dose-order.js'
import type { RegisterLookup } from '../../domain/registry/register-lookup.js'
import type { RejectReason } from '../../domain/registry/reject-reason.js'
import { readDoseRow, type DoseRowContext } from '../../domain/registry/validate-dose-row.js'
import { linkIdentityColumns } from '../registry/link-dose-records.js'
import type { DoseInsert } from './bulk-loader.js'
import type { CsvRecord } from './read-csv-records.js'
import type { RowVerdict } from './run-import.js'

/** What a dose batch is checked against, wherever the check runs (main thread or worker). */
export interface DoseBatchCheck {
  readonly ctx: DoseRowContext
  /** Sites the uploader may enter doses for; absent, every known site. */
  readonly allowedSites?: ReadonlySet<string>
  /** The doses already stored (or about to be) for these people, by person key. */
  knownDoses(personKeys: readonly string[]): Promise<Map<string, KnownDose[]>>
  /** When given, accepted rows are linked to the register as they are checked. */
  readonly lookup?: RegisterLookup
}

/**
 * Checks a batch of readable dose records: row validation, the uploader's sites, duplicates
 * (within the batch or already known) and dose order per person, then, with a lookup, identity
 * linkage of the accepted rows. Shared by the in-thread import and the import worker, so both
 * give exactly the same verdicts.
 *
 * @example
 * const verdict = await checkDoseBatch(records, { ctx, knownDoses: loader.knownDoses })
 */
export async function checkDoseBatch(
  records: readonly CsvRecord[],
  check: DoseBatchCheck,
): Promise<RowVerdict<DoseInsert>> {
  const valid: DoseInsert[] = []
  const validRecords: CsvRecord[] = []
  const rejected: Array<{ record: CsvRecord; reason: RejectReason }> = []
  const repeated: CsvRecord[] = []
  const people = new Set<string>()
  const { ctx, allowedSites } = check
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as CsvRecord
    // The row as the import keeps it, in one object (validateDoseRow's checks).
    const v = readDoseRow(record.fields as string[], ctx, record.row)
    if (typeof v === 'string') rejected.push({ record, reason: v })
    else if (allowedSites !== undefined && !allowedSites.has(v.siteCode)) {
      rejected.push({ record, reason: 'site_not_allowed' })
    } else {
      // `link: undefined` from the start keeps one object shape when the linkage is set below.
      const row = v as DoseInsert
      valid.push(row)
      validRecords.push(record)
      people.add(row.personKey)
    }
  }
  // One query for the batch: the doses already stored for its people.
  const known = await check.knownDoses([...people])
  const accepted: DoseInsert[] = []
  for (let i = 0; i < valid.length; i++) {
    const r = valid[i] as DoseInsert
    const list = known.get(r.personKey)
    if (list === undefined) {
      known.set(r.personKey, [r])
      accepted.push(r)
      continue
    }
    let same = false
    for (let j = 0; j < list.length; j++) {
      const k = list[j] as KnownDose
      if (k.doseNumber === r.doseNumber && k.date === r.date && k.product === r.product) {
        same = true
        break
      }
    }
    if (same) {
      // Repeated in this file, or already stored: a duplicate either way, and knowing it
      // now lets the loader send only new rows (PostgreSQL then COPYs them directly).
      repeated.push(validRecords[i] as CsvRecord)
      continue
    }
    const verdict = checkDoseOrder(list, r)
    if (verdict !== 'ok') {
      rejected.push({ record: validRecords[i] as CsvRecord, reason: verdict })
      continue
    }
    list.push(r)
    accepted.push(r)
  }
  const n = accepted.length
  if (check.lookup !== undefined && n > 0) {
    const cccds = new Array<string>(n)
    const names = new Array<string>(n)
    const dobs = new Array<string>(n)
    const sexes = new Array<string>(n)
    for (let i = 0; i < n; i++) {
      const r = accepted[i] as DoseInsert
      cccds[i] = r.cccd
      names[i] = r.fullName
      dobs[i] = r.dob
      sexes[i] = r.sex
    }
    const outcomes = await linkIdentityColumns(check.lookup, cccds, names, dobs, sexes)
    for (let i = 0; i < n; i++) (accepted[i] as DoseInsert).link = outcomes[i]
  }
  return { accepted, rejected, repeated }
}
