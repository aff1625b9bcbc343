import type { Kysely } from 'kysely'
import type { CitizenDirectory } from '../../domain/users/citizen-record.js'
import type { RegistryTables } from '../registry/registry-tables.js'

/**
 * The citizen lookup's view of the registry: the register entry of an ID number and the date of
 * the last dose linked to it. The person id is the register's key (the CCCD).
 *
 * @example
 * const directory = createRegistryCitizenDirectory(storage.db)
 * const person = await directory.findByIdNumber('001090001234')
 */
export function createRegistryCitizenDirectory(db: Kysely<any>): CitizenDirectory {
  const rdb = db as Kysely<RegistryTables>
  return {
    async findByIdNumber(idNumber) {
      const person = await rdb
        .selectFrom('register_people')
        .select(['cccd', 'full_name', 'dob', 'sex', 'phone', 'email'])
        .where('cccd', '=', idNumber)
        .executeTakeFirst()
      if (person === undefined) return undefined
      const last = await rdb
        .selectFrom('dose_records')
        .select((eb) => eb.fn.max('date').as('last'))
        .where('linked_cccd', '=', idNumber)
        // Implied (only linked records carry linked_cccd); it lets the partial index answer.
        .where('link_status', '=', 'linked')
        .executeTakeFirst()
      return {
        personId: person.cccd,
        fullName: person.full_name,
        dateOfBirth: person.dob,
        sex: person.sex,
        idNumber: person.cccd,
        lastDoseDate: (last?.last as string | null | undefined) ?? null,
        phone: person.phone,
        email: person.email,
      }
    },
  }
}
