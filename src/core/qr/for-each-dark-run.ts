import type { QrMatrix } from './qr-matrix.js'

/**
 * Calls `visit` once per horizontal run of dark modules, row by row. Vector renderers (SVG, PDF)
 * draw one rectangle per run rather than per module, which keeps their output small.
 *
 * @example
 * let d = ''
 * forEachDarkRun(qrMatrix('HC1:...'), (row, col, length) => { d += `M${col} ${row}h${length}v1h${-length}z` })
 */
export function forEachDarkRun(
  m: QrMatrix,
  visit: (row: number, col: number, length: number) => void,
): void {
  for (let row = 0; row < m.size; row++) {
    let col = 0
    while (col < m.size) {
      if (!m.isDark(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < m.size && m.isDark(row, col)) col++
      visit(row, start, col - start)
    }
  }
}
