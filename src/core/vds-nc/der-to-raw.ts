/** Converts a DER ECDSA signature (SEQUENCE of two INTEGERs) to raw r||s of `size` bytes each. */
export function derToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  let i = 0
  if (der[i++] !== 0x30) return undefined
  let len = der[i++]!
  if (len & 0x80) {
    const n = len & 0x7f
    if (n !== 1) return undefined
    len = der[i++]!
  }
  if (i + len !== der.length) return undefined
  const out = new Uint8Array(2 * size)
  for (let part = 0; part < 2; part++) {
    if (der[i++] !== 0x02) return undefined
    const l = der[i++]!
    let v = der.subarray(i, i + l)
    i += l
    while (v.length > size && v[0] === 0) v = v.subarray(1)
    if (v.length > size || v.length === 0) return undefined
    out.set(v, part * size + (size - v.length))
  }
  return i === der.length ? out : undefined
}
