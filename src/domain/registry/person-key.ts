import { normaliseName } from '../identity/normalise-name.js'

/**
 * The person part of a dose's natural key: the ID when the record has one, otherwise the
 * normalised name and birth date (so a dose without an ID is still recognised on re-import).
 *
 * @example
 * personKey('001085012345', 'Nguyễn Văn An', '1985-03-02') // '001085012345'
 * personKey('', 'Nguyễn Văn An', '1985-03-02') // '~nguyen van an|1985-03-02'
 */
export function personKey(cccd: string, fullName: string, dob: string): string {
  return cccd !== '' ? cccd : `~${normaliseName(fullName)}|${dob}`
}
