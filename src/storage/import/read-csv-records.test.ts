import { describe, expect, it } from 'vitest'
import { formatCsvLine, readCsvRecords, type CsvRecord } from './read-csv-records.js'

const LIMITS = { maxLineBytes: 64, maxFieldChars: 16 }

async function readAll(chunks: Array<string | Buffer>, limits = LIMITS, offset = 0, row = -1) {
  const out: CsvRecord[] = []
  for await (const batch of readCsvRecords(chunks, limits, offset, row)) out.push(...batch)
  return out
}

/** Every way of cutting `bytes` in two, to prove chunk boundaries never change the result. */
function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = []
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)])
  return out
}

describe('readCsvRecords', () => {
  it('reads quoted fields with commas, escaped quotes and line ends, BOM and CRLF', async () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi""\r\nthere"\r\n\r\nlast,1'
    const bytes = Buffer.from(text)
    for (const chunks of splits(bytes)) {
      const records = await readAll(chunks)
      expect(records.map((r) => r.fields)).toEqual([
        ['a', 'b'],
        ['x, y', 'say "hi"\r\nthere'],
        ['last', '1'],
      ])
      expect(records.map((r) => r.row)).toEqual([0, 1, 2])
      // Offsets point just after each record's line end (the BOM counted).
      expect(records[0]?.end).toBe(Buffer.byteLength('\uFEFFa,b\r\n'))
      expect(records[2]?.end).toBe(bytes.length)
    }
  })

  it('keeps problems with their record: bad UTF-8, quotes, long fields and lines', async () => {
    const bytes = Buffer.concat([
      Buffer.from('h\n'),
      Buffer.from([0x61, 0xc3, 0x28, 0x0a]), // invalid 2-byte sequence
      Buffer.from('"open,1\n'),
      Buffer.from(`${'x'.repeat(17)}\n`),
      Buffer.from(`${'y,'.repeat(40)}\n`),
      Buffer.from('ok,2\n'),
    ])
    for (const chunks of [[bytes], splits(bytes)[37] as Buffer[]]) {
      const records = await readAll(chunks)
      expect(records.map((r) => r.problem ?? 'ok')).toEqual([
        'ok',
        'encoding',
        'quote',
        'field_too_long',
        'line_too_long',
        'ok',
      ])
      expect(records.at(-1)?.fields).toEqual(['ok', '2'])
    }
  })

  it('checks UTF-8 per chunk, yet a bad byte rejects only its row, wherever the chunks cut', async () => {
    const good = Buffer.from('Nguyễn,Đào\nTrần,Hồ\n')
    const bad = Buffer.concat([Buffer.from('Lê,'), Buffer.from([0xe1, 0xbb]), Buffer.from('\n')])
    for (const [bytes, want] of [
      [good, ['ok', 'ok']],
      [Buffer.concat([good, bad, good]), ['ok', 'ok', 'encoding', 'ok', 'ok']],
    ] as const) {
      for (const chunks of splits(bytes)) {
        const records = await readAll(chunks)
        expect(records.map((r) => r.problem ?? 'ok')).toEqual(want)
        expect(records[1]?.fields).toEqual(['Trần', 'Hồ'])
      }
    }
  })

  it('skips an oversized record that spans chunks and carries on', async () => {
    const records = await readAll(['h\n', 'z'.repeat(50), 'z'.repeat(50), 'z\nnext,1\n'])
    expect(records.map((r) => [r.row, r.problem ?? r.fields?.join('|')])).toEqual([
      [0, 'h'],
      [1, 'line_too_long'],
      [2, 'next|1'],
    ])
  })

  it('resumes from a byte offset with the row count carried on', async () => {
    const records = await readAll(['c,3\n'], LIMITS, 100, 7)
    expect(records).toEqual([{ row: 8, end: 104, fields: ['c', '3'] }])
  })

  it('formats lines that read back to the same fields', async () => {
    const fields = ['plain', 'a,b', 'q"uote', 'multi\nline', '']
    const records = await readAll([formatCsvLine(fields)], { maxLineBytes: 1000, maxFieldChars: 100 })
    expect(records[0]?.fields).toEqual(fields)
  })
})
