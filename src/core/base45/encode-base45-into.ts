/*
 * Base45 encoding into a caller's buffer of character codes, and the one conversion of that
 * ASCII to a string: what signHc1 uses to write `HC1:` + Base45 without an intermediate array
 * per pass. On Node the buffer is a Buffer, whose latin1 decoding costs about a third of
 * TextDecoder's for a QR-sized text; elsewhere it is a Uint8Array and TextDecoder decodes it.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
// (Pure annotations: a bundle that never encodes, like the browser verifier's, drops these.)
const CODES = /* @__PURE__ */ new TextEncoder().encode(ALPHABET)
const LATIN1 = /* @__PURE__ */ new TextDecoder('latin1')

interface Latin1Buffer extends Uint8Array {
  latin1Slice(start: number, end: number): string
}

/**
 * Characters {@link encodeBase45Into} writes for `n` bytes.
 *
 * @example
 * base45Length(3) // 5
 */
export function base45Length(n: number): number {
  return (n >> 1) * 3 + (n & 1) * 2
}

/**
 * Writes the Base45 (RFC 9285) character codes of `data[start..end)` into `out` from `offset`
 * and returns the offset after them. `out` needs {@link base45Length} bytes of room.
 *
 * @example
 * const chars = allocTextBuffer(64)
 * const stop = encodeBase45Into(bytes, 0, bytes.length, chars, 0)
 * asciiText(chars, 0, stop) // the same string as encodeBase45(bytes)
 */
export function encodeBase45Into(
  data: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  offset: number,
): number {
  if (offset + base45Length(end - start) > out.length) {
    throw new RangeError('encodeBase45Into: the target is too small')
  }
  let o = offset
  let i = start
  for (; i + 1 < end; i += 2) {
    // Integer division only (| 0): a float quotient would make every table index a double.
    const n = (data[i]! << 8) | data[i + 1]!
    const q = (n / 45) | 0
    const e = (q / 45) | 0
    out[o] = CODES[n - q * 45]!
    out[o + 1] = CODES[q - e * 45]!
    out[o + 2] = CODES[e]!
    o += 3
  }
  if (i < end) {
    const n = data[i]!
    const q = (n / 45) | 0
    out[o] = CODES[n - q * 45]!
    out[o + 1] = CODES[q]!
    o += 2
  }
  return o
}

/**
 * A buffer for {@link encodeBase45Into} that {@link asciiText} turns into a string quickly: a
 * Buffer on Node, a Uint8Array elsewhere.
 *
 * @example
 * const chars = allocTextBuffer(1024)
 */
export function allocTextBuffer(size: number): Uint8Array {
  const NodeBuffer = (
    globalThis as unknown as { Buffer?: { allocUnsafeSlow(size: number): Latin1Buffer } }
  ).Buffer
  return NodeBuffer !== undefined ? NodeBuffer.allocUnsafeSlow(size) : new Uint8Array(size)
}

/**
 * The string of the ASCII codes `chars[start..end)`.
 *
 * @example
 * asciiText(chars, 0, stop)
 */
export function asciiText(chars: Uint8Array, start: number, end: number): string {
  const b = chars as Partial<Latin1Buffer>
  return typeof b.latin1Slice === 'function'
    ? b.latin1Slice(start, end)
    : LATIN1.decode(chars.subarray(start, end))
}
