import { VaxpassError } from '../errors.js'
import { parseJsonBounded } from '../jcs/parse-json-bounded.js'
import { decodeShcNumeric } from './decode-shc-numeric.js'

/** Where the JWS came from, for the report. */
export type ShcInputForm = 'numeric' | 'chunked' | 'jws' | 'file'

/** The compact JWS of a SMART Health Card and the form it was given in. */
export interface ShcInput {
  readonly jws: string
  readonly form: ShcInputForm
  /** Other credentials of a `.smart-health-card` file beyond the first (verified separately). */
  readonly more: readonly string[]
}

const CHUNK = /^shc:\/(\d+)\/(\d+)\/(.*)$/i
const SINGLE = /^shc:\/(.*)$/i

/**
 * True when text looks like a SMART Health Card in any of its forms: `shc:/` numeric QR content
 * (one or several chunks), a compact JWS, or a `.smart-health-card` JSON file.
 *
 * @example
 * isShcInput('shc:/5676...') // true
 */
export function isShcInput(text: string): boolean {
  const t = text.trim()
  if (/^shc:\//i.test(t)) return true
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) return true
  return t.startsWith('{') && t.includes('"verifiableCredential"')
}

/**
 * Turns the inputs of a SMART Health Card into one compact JWS. Several `shc:/C/N/` chunks may
 * come as separate inputs or as lines of one input; they are put in order and must be complete:
 * a missing, duplicated (with different content) or truncated chunk is refused.
 *
 * @throws VaxpassError ERR_SHC_CHUNKS, ERR_SHC, ERR_INPUT_EMPTY, ERR_INPUT_FORMAT
 * @example
 * readShcInput(['shc:/1/2/56...', 'shc:/2/2/60...']).jws
 */
export function readShcInput(inputs: string | readonly string[]): ShcInput {
  const lines = (typeof inputs === 'string' ? [inputs] : inputs)
    .flatMap((s) => s.split(/\r?\n/))
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (lines.length === 0) throw new VaxpassError('ERR_INPUT_EMPTY', 'no SMART Health Card input')
  const first = lines[0]!
  if (first.startsWith('{')) return readFile(lines.join('\n'))
  if (!/^shc:\//i.test(first)) {
    if (lines.length > 1)
      throw new VaxpassError('ERR_INPUT_FORMAT', 'several inputs that are not shc:/ chunks')
    return { jws: first, form: 'jws', more: [] }
  }
  if (lines.length === 1 && !CHUNK.test(first)) {
    return { jws: decodeShcNumeric(SINGLE.exec(first)![1]!), form: 'numeric', more: [] }
  }
  return { jws: joinChunks(lines), form: 'chunked', more: [] }
}

function joinChunks(lines: readonly string[]): string {
  let total: number | undefined
  const parts = new Map<number, string>()
  for (const line of lines) {
    const m = CHUNK.exec(line)
    if (m === null) {
      throw new VaxpassError(
        'ERR_SHC_CHUNKS',
        'a chunked SMART Health Card mixes chunks and other input',
      )
    }
    const index = Number(m[1])
    const count = Number(m[2])
    if (!Number.isSafeInteger(count) || count < 1 || count > 99) {
      throw new VaxpassError('ERR_SHC_CHUNKS', `impossible chunk count ${m[2]}`)
    }
    if (total === undefined) total = count
    else if (total !== count) {
      throw new VaxpassError(
        'ERR_SHC_CHUNKS',
        `chunks disagree on their count (${total} and ${count})`,
      )
    }
    if (index < 1 || index > count) {
      throw new VaxpassError('ERR_SHC_CHUNKS', `chunk index ${index} outside 1..${count}`)
    }
    const digits = m[3]!
    const previous = parts.get(index)
    if (previous !== undefined && previous !== digits) {
      throw new VaxpassError('ERR_SHC_CHUNKS', `chunk ${index} given twice with different content`)
    }
    parts.set(index, digits)
  }
  const missing: number[] = []
  for (let i = 1; i <= total!; i++) if (!parts.has(i)) missing.push(i)
  if (missing.length > 0) {
    throw new VaxpassError('ERR_SHC_CHUNKS', `missing chunk ${missing.join(', ')} of ${total}`, {
      details: { missing, total },
    })
  }
  let jws = ''
  for (let i = 1; i <= total!; i++) jws += decodeShcNumeric(parts.get(i)!)
  return jws
}

function readFile(text: string): ShcInput {
  const doc = parseJsonBounded(text, { maxLength: 1_000_000, maxDepth: 16 })
  const list =
    doc !== null && typeof doc === 'object'
      ? (doc as Record<string, unknown>)['verifiableCredential']
      : undefined
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string')) {
    throw new VaxpassError('ERR_SHC', 'file has no verifiableCredential array of JWS strings')
  }
  return { jws: list[0] as string, form: 'file', more: list.slice(1) as string[] }
}
