import { readFileSync } from 'node:fs'
import { VaxpassError } from '../../core/errors.js'

/**
 * Reads the key passphrase from `VAXPASS_KEY_PASSPHRASE`, or from the file named by
 * `VAXPASS_KEY_PASSPHRASE_FILE` (one trailing newline dropped). Throws ERR_KEY_PASSPHRASE
 * when neither gives a passphrase of at least 8 characters.
 *
 * @example
 * const passphrase = readKeyPassphrase(process.env)
 */
export function readKeyPassphrase(env: NodeJS.ProcessEnv = process.env): string {
  let passphrase = env.VAXPASS_KEY_PASSPHRASE
  const file = env.VAXPASS_KEY_PASSPHRASE_FILE
  if ((passphrase === undefined || passphrase === '') && file) {
    try {
      passphrase = readFileSync(file, 'utf8').replace(/\r?\n$/, '')
    } catch (cause) {
      throw new VaxpassError(
        'ERR_KEY_PASSPHRASE',
        'cannot read the key passphrase file named by VAXPASS_KEY_PASSPHRASE_FILE',
        { cause },
      )
    }
  }
  if (passphrase === undefined || passphrase === '') {
    throw new VaxpassError(
      'ERR_KEY_PASSPHRASE',
      'no key passphrase: set VAXPASS_KEY_PASSPHRASE or VAXPASS_KEY_PASSPHRASE_FILE',
    )
  }
  if (passphrase.length < 8) {
    throw new VaxpassError('ERR_KEY_PASSPHRASE', 'the key passphrase must be at least 8 characters')
  }
  return passphrase
}
