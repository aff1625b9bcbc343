import type { Migration } from './migration.js'
import * as registry from './0001-registry.js'
import * as auth from './0002-auth.js'
import * as certificates from './0003-certificates.js'
import * as declarations from './0004-declarations.js'
import * as certificatesIssuedBy from './0005-certificates-issued-by.js'
import * as declarationsFiledBy from './0006-declarations-filed-by.js'
import * as doseRecordsLinkedIndex from './0007-dose-records-linked-index.js'
import * as otpChallengeIndexes from './0008-otp-challenge-indexes.js'
import * as outboxAttempts from './0009-outbox-attempts.js'

export type { Migration } from './migration.js'

/**
 * Every migration, in order. Each area adds one file `NNNN-<area>.ts` exporting
 * `up(db: Kysely<any>)` and one line here; never reorder or rename an entry once released.
 */
export const migrations: readonly Migration[] = [
  { name: '0001-registry', up: registry.up },
  { name: '0002-auth', up: auth.up },
  { name: '0003-certificates', up: certificates.up },
  { name: '0004-declarations', up: declarations.up },
  { name: '0005-certificates-issued-by', up: certificatesIssuedBy.up },
  { name: '0006-declarations-filed-by', up: declarationsFiledBy.up },
  { name: '0007-dose-records-linked-index', up: doseRecordsLinkedIndex.up },
  { name: '0008-otp-challenge-indexes', up: otpChallengeIndexes.up },
  { name: '0009-outbox-attempts', up: outboxAttempts.up },
]
