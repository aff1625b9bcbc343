/**
 * Byte helpers that work the same in Node.js and browsers (no Buffer).
 */

/**
 * Standard base64 of bytes.
 *
 * @example
 * bytesToBase64(new Uint8Array([1, 2])) // 'AQI='
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[])
  }
  return btoa(s)
}

/**
 * Decodes standard or URL-safe base64 (whitespace ignored). Throws a TypeError on bad input.
 *
 * @example
 * base64ToBytes('AQI=') // Uint8Array [1, 2]
 */
export function base64ToBytes(text: string): Uint8Array {
  let t = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/')
  while (t.length % 4 !== 0) t += '='
  let bin: string
  try {
    bin = atob(t)
  } catch {
    throw new TypeError('invalid base64')
  }
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/**
 * Lower-case hex of bytes.
 *
 * @example
 * bytesToHex(new Uint8Array([0xf3, 0x0d])) // 'f30d'
 */
export function bytesToHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/**
 * Bytes of a hex string (upper or lower case). Throws a TypeError on bad input.
 *
 * @example
 * hexToBytes('f30d') // Uint8Array [0xf3, 0x0d]
 */
export function hexToBytes(hex: string): Uint8Array {
  const t = hex.trim()
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new TypeError('invalid hex')
  const out = new Uint8Array(t.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.substr(i * 2, 2), 16)
  return out
}

/**
 * True when both byte arrays hold the same bytes.
 *
 * @example
 * equalBytes(a, b)
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
