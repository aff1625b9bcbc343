import type { RegistryTables } from './registry/registry-tables.js'
import type { AuthTables } from './users/auth-tables.js'
import type { CertificateTables } from './certificates/certificate-tables.js'
import type { DeclarationTables } from './declarations/declaration-tables.js'

/**
 * The whole database as Kysely sees it. Each area declares its tables in its own file and adds
 * its interface to this extends list (one name per area).
 */
export interface Database
  extends RegistryTables, AuthTables, CertificateTables, DeclarationTables {}
