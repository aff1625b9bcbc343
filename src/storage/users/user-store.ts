import { randomUUID } from 'node:crypto'
import { VaxpassError } from '../../core/errors.js'
import type { NewUser } from '../../domain/users/validate-new-user.js'
import type { Role } from '../../domain/users/roles.js'
import type { AuthDb } from './auth-tables.js'

/** A staff account without its password hash. */
export interface StaffUser {
  readonly id: string
  readonly username: string
  readonly role: Role
  readonly siteCode: string | null
  readonly disabled: boolean
  readonly createdAt: Date
}

function toUser(row: {
  id: string
  username: string
  role: string
  site_code: string | null
  disabled: number
  created_at: number | string
}): StaffUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role as Role,
    siteCode: row.site_code,
    disabled: Number(row.disabled) !== 0,
    createdAt: new Date(Number(row.created_at)),
  }
}

/**
 * Stores a validated staff account with its password hash; `ERR_USER_EXISTS` when the username
 * is taken.
 *
 * @example
 * await insertUser(db, validateNewUser(input, pw), await hashPassword(pw), now)
 */
export async function insertUser(
  db: AuthDb,
  user: NewUser,
  passwordHash: string,
  now: Date,
): Promise<StaffUser> {
  const existing = await db
    .selectFrom('auth_users')
    .select('id')
    .where('username', '=', user.username)
    .executeTakeFirst()
  if (existing) throw new VaxpassError('ERR_USER_EXISTS', `user ${user.username} already exists`)
  const row = {
    id: randomUUID(),
    username: user.username,
    password_hash: passwordHash,
    role: user.role,
    site_code: user.siteCode,
    disabled: 0,
    created_at: now.getTime(),
  }
  await db.insertInto('auth_users').values(row).execute()
  return toUser(row)
}

/**
 * Every staff account, by username.
 *
 * @example
 * for (const u of await listUsers(db)) console.log(u.username, u.role)
 */
export async function listUsers(db: AuthDb): Promise<StaffUser[]> {
  const rows = await db
    .selectFrom('auth_users')
    .select(['id', 'username', 'role', 'site_code', 'disabled', 'created_at'])
    .orderBy('username')
    .execute()
  return rows.map(toUser)
}

/**
 * One account with its password hash, for sign-in; undefined when unknown.
 *
 * @example
 * const found = await findUserForSignIn(db, 'lan')
 */
export async function findUserForSignIn(
  db: AuthDb,
  username: string,
): Promise<{ user: StaffUser; passwordHash: string } | undefined> {
  const row = await db
    .selectFrom('auth_users')
    .selectAll()
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst()
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined
}

/**
 * One account by id; undefined when unknown.
 *
 * @example
 * const user = await findUserById(db, session.userId)
 */
export async function findUserById(db: AuthDb, id: string): Promise<StaffUser | undefined> {
  const row = await db
    .selectFrom('auth_users')
    .select(['id', 'username', 'role', 'site_code', 'disabled', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toUser(row) : undefined
}

/**
 * Number of staff accounts (the demo creates its sign-ins only when there are none).
 *
 * @example
 * if ((await countUsers(db)) === 0) await createDemoUsers()
 */
export async function countUsers(db: AuthDb): Promise<number> {
  const row = await db
    .selectFrom('auth_users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
