import type { Command } from 'commander'
import { buildTrustList } from '../../domain/trust/build-trust-list.js'
import { readKeyPassphrase } from '../../storage/keystore/read-key-passphrase.js'
import {
  initKeystore,
  listKeys,
  listPublishedDscs,
  resolveKeysDir,
  rotateDsc,
} from '../../storage/keystore/keystore.js'
import { CliExit } from '../cli-exit.js'

function parseAlg(value: string | undefined): 'ES256' | 'PS256' | undefined {
  if (value === undefined) return undefined
  const alg = value.toUpperCase()
  if (alg !== 'ES256' && alg !== 'PS256') {
    process.stderr.write(`error: --alg must be ES256 or PS256\n`)
    throw new CliExit(2)
  }
  return alg
}

/**
 * `vaxpass keys init|rotate|list|trust-list`: the CSCA and DSC keystore in VAXPASS_KEYS_DIR
 * (default ./data/keys), private keys encrypted under VAXPASS_KEY_PASSPHRASE(_FILE).
 *
 * @example
 * registerKeys(program)
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('signing keys: CSCA and DSC (VAXPASS_KEYS_DIR)')
  keys
    .command('init')
    .description('create a CSCA and a DSC it signs (ES256 by default)')
    .option('--alg <alg>', 'ES256 or PS256')
    .option('--json', 'print JSON')
    .action(async (opts: { alg?: string; json?: boolean }) => {
      const alg = parseAlg(opts.alg)
      const passphrase = readKeyPassphrase(process.env)
      const dir = resolveKeysDir(process.env)
      const index = await initKeystore({
        dir,
        passphrase,
        now: new Date(),
        ...(alg === undefined ? {} : { alg }),
        ...(process.env.VAXPASS_COUNTRY ? { country: process.env.VAXPASS_COUNTRY } : {}),
      })
      const csca = index.entries.find((e) => e.role === 'csca')!
      const dsc = index.entries.find((e) => e.role === 'dsc')!
      if (opts.json === true) {
        process.stdout.write(JSON.stringify({ dir, csca: csca.kid, dsc: dsc.kid, alg: dsc.alg }) + '\n')
      } else {
        process.stdout.write(
          `keystore created in ${dir}\nCSCA kid ${csca.kid} (until ${csca.notAfter})\n` +
            `DSC  kid ${dsc.kid} ${dsc.alg} (until ${dsc.notAfter}), active\n`,
        )
      }
    })
  keys
    .command('rotate')
    .description('add a new DSC and make it the active signer (older DSCs stay published)')
    .option('--alg <alg>', 'ES256 or PS256 (default: that of the CSCA)')
    .option('--json', 'print JSON')
    .action(async (opts: { alg?: string; json?: boolean }) => {
      const alg = parseAlg(opts.alg)
      const dsc = await rotateDsc({
        dir: resolveKeysDir(process.env),
        passphrase: readKeyPassphrase(process.env),
        now: new Date(),
        ...(alg === undefined ? {} : { alg }),
      })
      if (opts.json === true) {
        process.stdout.write(JSON.stringify({ dsc: dsc.kid, alg: dsc.alg, notAfter: dsc.notAfter }) + '\n')
      } else {
        process.stdout.write(`new DSC kid ${dsc.kid} ${dsc.alg} (until ${dsc.notAfter}), active\n`)
      }
    })
  keys
    .command('list')
    .description('list the CSCA and DSCs with their status')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const rows = listKeys(resolveKeysDir(process.env), new Date()).map((k) => ({
        role: k.role,
        kid: k.kid,
        alg: k.alg,
        status: k.status,
        subject: k.subject,
        notBefore: k.notBefore,
        notAfter: k.notAfter,
      }))
      if (opts.json === true) {
        process.stdout.write(JSON.stringify(rows) + '\n')
        return
      }
      for (const r of rows) {
        process.stdout.write(
          `${r.role.padEnd(4)} ${r.kid} ${r.alg} ${r.status.padEnd(9)} ${r.notAfter} ${r.subject}\n`,
        )
      }
    })
  keys
    .command('trust-list')
    .description('print the published DSCs as a DCC gateway trust list (JSON)')
    .option('--json', 'print JSON (the default)')
    .action(() => {
      const now = new Date()
      const dscs = listPublishedDscs(resolveKeysDir(process.env), now)
      const list = buildTrustList(
        dscs.map((d) => ({ kid: d.kid, der: d.der, timestamp: d.createdAt, signature: d.signature })),
        { country: process.env.VAXPASS_COUNTRY || 'VN' },
      )
      process.stdout.write(JSON.stringify(list) + '\n')
    })
}
