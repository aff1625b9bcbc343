import { readFileSync, writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { createNodeSigner } from '../../core/cose/node-signer.js'
import { validateDcc } from '../../core/dcc/validate-dcc.js'
import { parseDsc } from '../../core/dsc/parse-dsc.js'
import { signHc1 } from '../../core/hc1/hc1.js'
import { CliExit } from '../cli-exit.js'
import { parseTimeOption } from './verify.js'

interface SignCliOptions {
  payload: string
  key: string
  cert: string
  alg?: string
  iat?: string
  exp?: string
  issuer?: string
  qr?: string
  passphraseEnv?: string
  json?: boolean
}

/**
 * `vaxpass sign --payload <dcc.json> --key <pkcs8.pem> --cert <dsc.pem> [--alg ES256|PS256]
 * [--iat <ISO>] [--exp <ISO>] [--issuer <CC>] [--qr <out.svg|out.png>]`: prints the HC1 string.
 * The payload is validated strictly (issue mode) first.
 *
 * @example
 * registerSign(program)
 */
export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('sign a DCC payload and print the HC1: string')
    .requiredOption('--payload <file>', 'DCC JSON payload')
    .requiredOption('--key <file>', 'PKCS#8 private key (PEM)')
    .requiredOption('--cert <file>', 'DSC certificate (PEM, DER or base64)')
    .option('--alg <alg>', 'ES256 or PS256 (default: from the key)')
    .option('--iat <time>', 'issued-at (ISO 8601), default now')
    .option('--exp <time>', 'expiry (ISO 8601), default iat + 12 months')
    .option('--issuer <country>', 'CWT iss, default the payload country or VN')
    .option('--qr <file>', 'also write the QR code (.svg or .png)')
    .option('--passphrase-env <name>', 'environment variable holding the key passphrase')
    .option('--json', 'print JSON')
    .action(async (opts: SignCliOptions) => {
      if (opts.alg !== undefined && opts.alg !== 'ES256' && opts.alg !== 'PS256') {
        process.stderr.write('error: --alg must be ES256 or PS256\n')
        throw new CliExit(2)
      }
      if (opts.qr !== undefined && !/\.(svg|png)$/i.test(opts.qr)) {
        process.stderr.write('error: --qr must end in .svg or .png\n')
        throw new CliExit(2)
      }
      const iat = parseTimeOption(opts.iat, '--iat') ?? new Date()
      const exp = parseTimeOption(opts.exp, '--exp') ?? addTwelveMonths(iat)
      let payload: unknown
      try {
        payload = JSON.parse(readFileSync(opts.payload, 'utf8'))
      } catch {
        process.stderr.write(`error: ${opts.payload} is not a readable JSON file\n`)
        throw new CliExit(2)
      }
      const validation = validateDcc(payload, { mode: 'issue' })
      if (!validation.ok) {
        for (const e of validation.errors) process.stderr.write(`error [${e.code}]: ${e.path} ${e.message}\n`)
        throw new CliExit(1)
      }
      const dsc = await parseDsc(new Uint8Array(readFileSync(opts.cert)))
      const passphrase =
        opts.passphraseEnv === undefined ? undefined : process.env[opts.passphraseEnv]
      const signer = createNodeSigner({
        privateKey: readFileSync(opts.key, 'utf8'),
        kid: dsc.kid,
        ...(opts.alg === undefined ? {} : { alg: opts.alg as 'ES256' | 'PS256' }),
        ...(passphrase === undefined ? {} : { passphrase }),
      })
      const issuer = opts.issuer ?? countryOf(payload) ?? 'VN'
      const hc1 = signHc1(payload, { signer, issuer, iat, exp })
      if (opts.qr !== undefined) {
        if (opts.qr.toLowerCase().endsWith('.svg')) {
          const { renderQrSvg } = await import('../../core/qr/render-qr-svg.js')
          writeFileSync(opts.qr, renderQrSvg(hc1))
        } else {
          const { renderQrPng } = await import('../../core/qr/render-qr-png.js')
          writeFileSync(opts.qr, await renderQrPng(hc1))
        }
      }
      if (opts.json === true) {
        const out = { hc1, kid: dsc.kidBase64, alg: signer.alg, iat: iat.toISOString(), exp: exp.toISOString() }
        process.stdout.write(`${JSON.stringify(out)}\n`)
      } else process.stdout.write(`${hc1}\n`)
    })
}

function addTwelveMonths(d: Date): Date {
  const e = new Date(d.getTime())
  e.setUTCFullYear(e.getUTCFullYear() + 1)
  return e
}

function countryOf(payload: unknown): string | undefined {
  const p = payload as { v?: Array<{ co?: unknown }>; t?: Array<{ co?: unknown }>; r?: Array<{ co?: unknown }> }
  const entry = p.v?.[0] ?? p.t?.[0] ?? p.r?.[0]
  return typeof entry?.co === 'string' ? entry.co : undefined
}
