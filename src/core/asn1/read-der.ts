import { VaxpassError } from '../errors.js'

/** One DER element: tag byte, the bytes of its content, and where the whole element ends. */
export interface DerElement {
  readonly tag: number
  readonly content: Uint8Array
  /** Offset just past this element in the buffer it was read from. */
  readonly end: number
}

/**
 * Reads the DER element at `offset`. Definite lengths only (DER); a length that runs past the
 * buffer is an error, never an allocation.
 *
 * @example
 * const cert = readDer(der, 0) // the outer SEQUENCE of a certificate
 */
export function readDer(buf: Uint8Array, offset: number): DerElement {
  const tag = buf[offset]
  let lengthByte = buf[offset + 1]
  if (tag === undefined || lengthByte === undefined) throw derError('truncated element header')
  let pos = offset + 2
  let length = lengthByte
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f
    if (count === 0 || count > 4) throw derError('unsupported length encoding')
    length = 0
    for (let i = 0; i < count; i++) {
      lengthByte = buf[pos++]
      if (lengthByte === undefined) throw derError('truncated length')
      length = length * 256 + lengthByte
    }
  }
  const end = pos + length
  if (end > buf.length) throw derError('element runs past the end of the input')
  return { tag, content: buf.subarray(pos, end), end }
}

/** The child elements of a constructed element (SEQUENCE, SET, context tags). */
export function readDerChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = []
  let offset = 0
  while (offset < content.length) {
    const child = readDer(content, offset)
    children.push(child)
    offset = child.end
  }
  return children
}

/** The bytes of a whole element (tag and length included), for re-export such as SPKI. */
export function derBytes(buf: Uint8Array, offset: number): Uint8Array {
  return buf.subarray(offset, readDer(buf, offset).end)
}

/** Decodes an OBJECT IDENTIFIER's content to dotted form. */
export function decodeOid(content: Uint8Array): string {
  const parts: number[] = []
  let value = 0
  for (let i = 0; i < content.length; i++) {
    const byte = content[i] as number
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}

/** Decodes UTCTime (tag 0x17) or GeneralizedTime (tag 0x18). */
export function decodeDerTime(el: DerElement): Date {
  const text = new TextDecoder().decode(el.content)
  const m =
    el.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text)
  if (!m) throw derError('unreadable time')
  let year = Number(m[1])
  if (el.tag === 0x17) year += year < 50 ? 2000 : 1900
  return new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)),
  )
}

function derError(message: string): VaxpassError<'ERR_DSC_PARSE'> {
  return new VaxpassError('ERR_DSC_PARSE', `DER: ${message}`)
}
