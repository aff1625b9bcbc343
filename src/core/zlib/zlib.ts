import { VaxpassError } from '../errors.js'
import { getDefaultPlatform } from '../platform/default-platform.js'
import type { Platform } from '../platform/platform.js'
import { inflateZlibFast } from './inflate-fast.js'

/** Default inflate limit: a QR holds under 3 KB, so 1 MiB of output is far above any real pass. */
export const DEFAULT_MAX_INFLATE = 1024 * 1024

/** Options of {@link inflateZlib} and {@link inflateRawBounded}. */
export interface BoundedInflateOptions {
  /** Refuse output larger than this (bytes). Default {@link DEFAULT_MAX_INFLATE}. */
  readonly maxOutputLength?: number
  readonly platform?: Platform
}

/**
 * zlib (RFC 1950) compression with settings tuned for small inputs (see platform/node.ts).
 *
 * @example
 * const z = deflateZlib(coseBytes)
 */
export function deflateZlib(
  data: Uint8Array,
  platform: Platform = getDefaultPlatform(),
): Uint8Array {
  return platform.deflate(data)
}

/**
 * Bounded zlib inflate. Output past the limit is never produced: `ERR_ZLIB_TOO_LARGE`.
 * Corrupt input: `ERR_ZLIB`.
 *
 * @example
 * const cose = await inflateZlib(compressed, { maxOutputLength: 65536 })
 */
export async function inflateZlib(
  data: Uint8Array,
  options: BoundedInflateOptions = {},
): Promise<Uint8Array> {
  // QR-sized, well-formed streams: our table-driven decoder (no stream setup); anything else,
  // including every error, goes to the platform's inflate for its exact verdict.
  const fast = inflateZlibFast(data, options.maxOutputLength ?? DEFAULT_MAX_INFLATE)
  if (fast !== undefined) return fast
  return runInflate(data, options, false)
}

/**
 * Bounded raw DEFLATE (RFC 1951) inflate, as SMART Health Cards use. Same error codes as
 * {@link inflateZlib}.
 *
 * @example
 * const json = await inflateRawBounded(payloadBytes, { maxOutputLength: 65536 })
 */
export async function inflateRawBounded(
  data: Uint8Array,
  options: BoundedInflateOptions = {},
): Promise<Uint8Array> {
  return runInflate(data, options, true)
}

async function runInflate(
  data: Uint8Array,
  options: BoundedInflateOptions,
  raw: boolean,
): Promise<Uint8Array> {
  const platform = options.platform ?? getDefaultPlatform()
  const maxOutputLength = options.maxOutputLength ?? DEFAULT_MAX_INFLATE
  try {
    return raw
      ? await platform.inflateRaw(data, { maxOutputLength })
      : await platform.inflate(data, { maxOutputLength })
  } catch (err) {
    if (isTooLarge(err)) {
      throw new VaxpassError(
        'ERR_ZLIB_TOO_LARGE',
        `decompressed data exceeds ${maxOutputLength} bytes`,
        {
          cause: err,
          details: { maxOutputLength },
        },
      )
    }
    throw new VaxpassError('ERR_ZLIB', 'data is not valid compressed data', { cause: err })
  }
}

function isTooLarge(err: unknown): boolean {
  if (err instanceof RangeError) return true
  const code = (err as { code?: unknown } | null)?.code
  return code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_ZLIB_TOO_LARGE'
}
