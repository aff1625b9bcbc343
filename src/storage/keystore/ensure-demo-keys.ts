import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initKeystore, keystoreExists } from './keystore.js'

/** Where the demo keys live and how to unlock them. */
export interface DemoKeys {
  readonly dir: string
  readonly passphraseFile: string
  readonly passphrase: string
  /** True when this call created the keystore. */
  readonly created: boolean
}

/**
 * Demo mode (`npm start`): makes sure a keystore exists. Uses VAXPASS_KEYS_DIR and the
 * passphrase from the environment when set; otherwise keys in `<dataDir>/keys` unlocked by a
 * random passphrase written once to `<dataDir>/key-passphrase` (0600). A second call reuses both.
 *
 * @example
 * const keys = await ensureDemoKeys({ dataDir: 'data', now: new Date() })
 * process.env.VAXPASS_KEY_PASSPHRASE_FILE ??= keys.passphraseFile
 */
export async function ensureDemoKeys(options: {
  dataDir: string
  now: Date
  env?: NodeJS.ProcessEnv
}): Promise<DemoKeys> {
  const env = options.env ?? process.env
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const dir = resolve(env.VAXPASS_KEYS_DIR || join(dataDir, 'keys'))
  let passphraseFile = env.VAXPASS_KEY_PASSPHRASE_FILE
    ? resolve(env.VAXPASS_KEY_PASSPHRASE_FILE)
    : join(dataDir, 'key-passphrase')
  let passphrase = env.VAXPASS_KEY_PASSPHRASE
  if (!passphrase) {
    if (!existsSync(passphraseFile)) {
      writeFileSync(passphraseFile, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 })
    }
    passphrase = readFileSync(passphraseFile, 'utf8').replace(/\r?\n$/, '')
  } else {
    passphraseFile = ''
  }
  let created = false
  if (!keystoreExists(dir)) {
    await initKeystore({ dir, passphrase, now: options.now, organization: 'Ministry of Health' })
    created = true
  }
  return { dir, passphraseFile, passphrase, created }
}
