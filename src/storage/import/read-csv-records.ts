import { isUtf8 } from 'node:buffer'

/** Why a CSV record could not be read as fields (the row goes to the rejects file). */
export type CsvRecordProblem = 'encoding' | 'line_too_long' | 'field_too_long' | 'quote'

/** One record of a CSV file. */
export interface CsvRecord {
  /** 1-based record number after the header (the header is record 0). */
  readonly row: number
  /** Byte offset just after this record's line end: where a resumed import starts. */
  readonly end: number
  /** The fields, or null with `problem` when the record cannot be read. */
  readonly fields: string[] | null
  readonly problem?: CsvRecordProblem
}

/** Limits of {@link readCsvRecords}. */
export interface CsvLimits {
  /** Longest record in bytes, line end included; longer ones are refused and skipped. */
  readonly maxLineBytes: number
  /** Longest field in characters. */
  readonly maxFieldChars: number
}

const LF = 10
const CR = 13
const QUOTE = 34

/**
 * Reads CSV records (RFC 4180: quoted fields with `""` escapes and embedded line ends; CRLF or
 * LF line ends; a UTF-8 byte-order mark at the very start is skipped) from a byte stream, in
 * constant memory. Problems stay with their record (bad UTF-8, an unterminated quote, a record
 * or field over the limits) so that one bad row never stops a file. Blank lines are skipped.
 *
 * `startOffset` is the byte offset of the first byte of `source` in the file (when resuming),
 * `startRow` the number of records already consumed before it. Records come in arrays, to keep
 * per-record overhead low.
 *
 * @example
 * for await (const batch of readCsvRecords(createReadStream('doses.csv'), limits)) {
 *   for (const r of batch) if (r.fields) console.log(r.row, r.fields)
 * }
 */
export async function* readCsvRecords(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  limits: CsvLimits,
  startOffset = 0,
  startRow = -1,
): AsyncGenerator<CsvRecord[]> {
  let pending: Buffer = Buffer.alloc(0)
  // File offset of pending[0].
  let base = startOffset
  let row = startRow
  let first = startOffset === 0
  // True while skipping the rest of an oversized record up to its line end.
  let skipping = false
  for await (const chunk of source) {
    let buf: Buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (pending.length > 0) buf = Buffer.concat([pending, buf])
    if (first) {
      if (buf.length < 3) {
        pending = buf
        continue
      }
      first = false
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3)
        base += 3
      }
    }
    const out: CsvRecord[] = []
    let pos = 0
    // UTF-8 checked once for all the complete lines of the chunk; only when that fails is each
    // record checked on its own (so a bad byte rejects its row, not the chunk).
    const lastNl = buf.lastIndexOf(LF)
    const utf8Until = lastNl >= 0 && isUtf8(buf.subarray(0, lastNl + 1)) ? lastNl + 1 : 0
    while (pos < buf.length) {
      if (skipping) {
        const nl = buf.indexOf(LF, pos)
        if (nl < 0) {
          pos = buf.length
          break
        }
        pos = nl + 1
        skipping = false
        continue
      }
      const end = findRecordEnd(buf, pos)
      if (end < 0 && buf.length - pos <= limits.maxLineBytes) break
      if (end < 0 || end + 1 - pos > limits.maxLineBytes) {
        // Too long. If its first physical line is short, a quote ran away (never closed, or
        // closed rows later): refuse that line alone and carry on with the next one.
        const nl = buf.indexOf(LF, pos)
        row++
        if (nl >= 0 && nl + 1 - pos <= limits.maxLineBytes) {
          out.push({ row, end: base + nl + 1, fields: null, problem: 'quote' })
          pos = nl + 1
        } else if (nl >= 0) {
          out.push({ row, end: base + nl + 1, fields: null, problem: 'line_too_long' })
          pos = nl + 1
        } else {
          out.push({ row, end: base + buf.length, fields: null, problem: 'line_too_long' })
          skipping = true
          pos = buf.length
        }
        continue
      }
      const next = end + 1
      let stop = end
      if (stop > pos && buf[stop - 1] === CR) stop--
      if (stop === pos) {
        pos = next // blank line
        continue
      }
      row++
      out.push(
        parseRecord(buf, pos, stop, row, base + next, limits.maxFieldChars, next <= utf8Until),
      )
      pos = next
    }
    pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : Buffer.alloc(0)
    base += pos
    if (out.length > 0) yield out
  }
  // The last record may lack a line end.
  if (!skipping && pending.length > 0) {
    if (first && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) {
      pending = pending.subarray(3)
      base += 3
    }
    let stop = pending.length
    if (stop > 0 && pending[stop - 1] === CR) stop--
    if (stop > 0) {
      row++
      const end = base + pending.length
      if (pending.length > limits.maxLineBytes) {
        yield [{ row, end, fields: null, problem: 'line_too_long' }]
      } else {
        yield [parseRecord(pending, 0, stop, row, end, limits.maxFieldChars)]
      }
    }
  }
}

/** The next quote at or after `start` in `buf`, cached: one search per quote, not per record. */
const quoteCache = { buf: null as Buffer | null, at: -1 }

function nextQuote(buf: Buffer, start: number): number {
  if (quoteCache.buf !== buf || (quoteCache.at !== -1 && quoteCache.at < start)) {
    quoteCache.buf = buf
    quoteCache.at = buf.indexOf(QUOTE, start)
  }
  return quoteCache.at
}

/** Index of the LF that ends the record starting at `start`, honouring quotes; -1 if not yet. */
function findRecordEnd(buf: Buffer, start: number): number {
  const nl = buf.indexOf(LF, start)
  if (nl < 0) return -1
  const q = nextQuote(buf, start)
  if (q < 0 || q > nl) return nl
  // Quotes on this line: walk it, a line end inside quotes does not end the record.
  let inQuotes = false
  for (let i = start; i < buf.length; i++) {
    const c = buf[i]
    if (c === QUOTE) inQuotes = !inQuotes
    else if (c === LF && !inQuotes) return i
  }
  return -1
}

function parseRecord(
  buf: Buffer,
  start: number,
  stop: number,
  row: number,
  end: number,
  maxFieldChars: number,
  knownUtf8 = false,
): CsvRecord {
  const text = buf.toString('utf8', start, stop)
  if (!knownUtf8 && !isUtf8(buf.subarray(start, stop))) {
    return { row, end, fields: splitLine(text), problem: 'encoding' }
  }
  const fields = text.includes('"') ? parseQuoted(text) : splitLine(text)
  if (fields === null) return { row, end, fields: splitLine(text), problem: 'quote' }
  for (const f of fields) {
    if (f.length > maxFieldChars) return { row, end, fields: null, problem: 'field_too_long' }
  }
  return { row, end, fields }
}

function splitLine(text: string): string[] {
  return text.split(',')
}

/** RFC 4180 fields of one record; null when quoting is malformed. */
function parseQuoted(text: string): string[] | null {
  const fields: string[] = []
  let i = 0
  const n = text.length
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = ''
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        if (q < 0) return null
        value += text.slice(i, q)
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"'
          i = q + 2
          continue
        }
        i = q + 1
        break
      }
      fields.push(value)
      if (i === n) return fields
      if (text.charCodeAt(i) !== 44) return null // text after a closing quote
      i++
    } else {
      const comma = text.indexOf(',', i)
      const value = comma < 0 ? text.slice(i) : text.slice(i, comma)
      if (value.includes('"')) return null // a quote inside an unquoted field
      fields.push(value)
      if (comma < 0) return fields
      i = comma + 1
    }
  }
}

/**
 * One CSV line (with its LF) from fields, quoting those that need it.
 *
 * @example
 * formatCsvLine(['a', 'b,c']) // 'a,"b,c"\n'
 */
export function formatCsvLine(fields: readonly string[]): string {
  let line = ''
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string
    if (i > 0) line += ','
    line += /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f
  }
  return line + '\n'
}
