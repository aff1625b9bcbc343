import { randomBytes } from 'node:crypto'
import type { Command } from 'commander'
import { createToken } from '../../domain/users/create-token.js'
import { hashPassword } from '../../domain/users/hash-password.js'
import { validateNewUser } from '../../domain/users/validate-new-user.js'
import { openDatabase } from '../../storage/open-database.js'
import { insertApiKey, listApiKeys } from '../../storage/users/api-key-store.js'
import { asAuthDb } from '../../storage/users/auth-tables.js'
import { insertUser, listUsers } from '../../storage/users/user-store.js'
import { CliExit } from '../cli-exit.js'

/**
 * A password for a new account: `VAXPASS_USER_PASSWORD` when set, else 144 random bits printed
 * once (never stored in clear).
 *
 * @example
 * const { password, generated } = newAccountPassword(process.env)
 */
export function newAccountPassword(env: Readonly<Record<string, string | undefined>>): {
  password: string
  generated: boolean
} {
  const fromEnv = env.VAXPASS_USER_PASSWORD
  if (fromEnv !== undefined && fromEnv !== '') return { password: fromEnv, generated: false }
  return { password: randomBytes(18).toString('base64url'), generated: true }
}

/**
 * `vaxpass users add --username u --role r [--site code]`, `vaxpass users list` and
 * `vaxpass users api-key --app name` (national-app key, printed once).
 *
 * @example
 * registerUsers(program)
 */
export function registerUsers(program: Command): void {
  const group = program.command('users').description('staff accounts and national-app API keys')
  group
    .command('add')
    .description('create a staff account (password from VAXPASS_USER_PASSWORD, else generated and printed once)')
    .requiredOption('--username <u>', 'sign-in name')
    .requiredOption('--role <r>', 'site_staff | reviewer | admin')
    .option('--site <code>', 'the site a site_staff account enters doses for')
    .option('--json', 'print the account as JSON')
    .action(async (opts: { username: string; role: string; site?: string; json?: boolean }) => {
      const { password, generated } = newAccountPassword(process.env)
      let user
      try {
        user = validateNewUser({ username: opts.username, role: opts.role, siteCode: opts.site ?? null }, password)
      } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n`)
        throw new CliExit(2)
      }
      const storage = await openDatabase(process.env)
      try {
        if (user.siteCode !== null) {
          const site = await storage.db
            .selectFrom('vaccination_sites')
            .select('code')
            .where('code', '=', user.siteCode)
            .executeTakeFirst()
          if (site === undefined) {
            process.stderr.write(`error: unknown site ${user.siteCode}\n`)
            throw new CliExit(2)
          }
        }
        const created = await insertUser(asAuthDb(storage.db), user, await hashPassword(password), new Date())
        const out = {
          username: created.username,
          role: created.role,
          siteCode: created.siteCode,
          ...(generated ? { password } : {}),
        }
        if (opts.json === true) process.stdout.write(JSON.stringify(out) + '\n')
        else {
          process.stdout.write(`created ${created.username} (${created.role}${created.siteCode ? `, site ${created.siteCode}` : ''})\n`)
          if (generated) process.stdout.write(`password (shown once): ${password}\n`)
        }
      } finally {
        await storage.close()
      }
    })
  group
    .command('list')
    .description('list staff accounts and API keys')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const storage = await openDatabase(process.env)
      try {
        const users = await listUsers(asAuthDb(storage.db))
        const keys = await listApiKeys(asAuthDb(storage.db))
        if (opts.json === true) {
          const list = users.map((u) => ({ username: u.username, role: u.role, siteCode: u.siteCode, disabled: u.disabled }))
          process.stdout.write(JSON.stringify({ users: list, apiKeys: keys.map((k) => ({ app: k.appName, scope: k.scope, revoked: k.revoked })) }) + '\n')
        } else {
          for (const u of users) {
            process.stdout.write(`${u.username.padEnd(24)} ${u.role.padEnd(11)} ${u.siteCode ?? ''}${u.disabled ? ' (disabled)' : ''}\n`)
          }
          for (const k of keys) process.stdout.write(`api-key ${k.appName.padEnd(16)} ${k.scope}${k.revoked ? ' (revoked)' : ''}\n`)
        }
      } finally {
        await storage.close()
      }
    })
  group
    .command('api-key')
    .description('create a national-app API key (certificate:read), printed once')
    .requiredOption('--app <name>', 'app name, e.g. pc-covid')
    .option('--json', 'print JSON')
    .action(async (opts: { app: string; json?: boolean }) => {
      if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(opts.app)) {
        process.stderr.write('error: --app must be 2-41 characters: a-z 0-9 -\n')
        throw new CliExit(2)
      }
      const storage = await openDatabase(process.env)
      try {
        const { token, hash } = createToken('vxk_')
        await insertApiKey(asAuthDb(storage.db), opts.app, hash, 'certificate:read', new Date())
        if (opts.json === true) process.stdout.write(JSON.stringify({ app: opts.app, apiKey: token }) + '\n')
        else process.stdout.write(`API key for ${opts.app} (shown once): ${token}\n`)
      } finally {
        await storage.close()
      }
    })
}
