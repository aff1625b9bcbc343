import type { Command } from 'commander'
import { toJsonValue } from '../../core/cbor/cbor.js'
import { VaxpassError } from '../../core/errors.js'
import { decodeHc1 } from '../../core/hc1/hc1.js'
import { bytesToBase64 } from '../../core/platform/bytes.js'
import { formatIsoSeconds } from '../../core/verify/format-iso-seconds.js'
import { readInput } from './verify.js'

/**
 * `vaxpass decode <input> [--json]`: payload and headers of an HC1 string, text file or QR image,
 * without a signature check.
 *
 * @example
 * registerDecode(program)
 */
export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode an HC1: pass (string, file, PNG/JPEG, or - for stdin) without verifying it')
    .argument('<input>', 'HC1: string, file path, or - for stdin')
    .option('--json', 'print JSON')
    .action(async (input: string, _opts: { json?: boolean }) => {
      // The output is JSON either way: a payload has no shorter human form.
      const text = await inputText(await readInput(input))
      const { cose, claims } = await decodeHc1(text)
      const out = {
        headers: {
          alg: cose.alg === -7 ? 'ES256' : cose.alg === -37 ? 'PS256' : (cose.alg ?? null),
          kid: cose.kid === undefined ? null : bytesToBase64(cose.kid),
          kidLocation: cose.kidLocation ?? null,
          protected: toJsonValue(cose.protectedHeader),
          unprotected: toJsonValue(cose.unprotectedHeader),
          tags: cose.tags,
        },
        claims: {
          iss: claims.iss ?? null,
          iat: claims.iat === undefined ? null : formatIsoSeconds(claims.iat),
          exp: claims.exp === undefined ? null : formatIsoSeconds(claims.exp),
        },
        payload: claims.dcc,
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
    })
}

/**
 * The pass text of an input: a QR image is read, bytes are UTF-8 text.
 *
 * @example
 * const text = await inputText(await readInput('pass.png'))
 */
export async function inputText(input: string | Uint8Array): Promise<string> {
  if (typeof input === 'string') return input
  const isPng = input[0] === 0x89 && input[1] === 0x50
  const isJpeg = input[0] === 0xff && input[1] === 0xd8
  if (isPng || isJpeg) {
    const { readQrCodes } = await import('../../core/qr/read-qr-codes.js')
    const [first] = await readQrCodes(input)
    if (first === undefined) throw new VaxpassError('ERR_QR_NOT_FOUND', 'no QR code found in the image')
    return first
  }
  return new TextDecoder().decode(input).trim()
}
