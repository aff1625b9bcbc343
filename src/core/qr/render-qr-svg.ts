import { forEachDarkRun } from './for-each-dark-run.js'
import { qrMatrix, type QrMatrixOptions } from './qr-matrix.js'

/** Options for {@link renderQrSvg}. */
export interface RenderQrSvgOptions extends QrMatrixOptions {
  /** Quiet zone in modules; 4 by default (the minimum ISO/IEC 18004 asks for). */
  margin?: number
  /** Value of the `width`/`height` attributes (e.g. `'45mm'`, `320`); omitted by default. */
  size?: string | number
  /** Dark and light colours; black on white by default. */
  dark?: string
  light?: string
}

/**
 * Renders `text` as a standalone SVG QR code (one path, one unit per module, crisp edges).
 * HC1 strings are encoded as one alphanumeric segment with error correction Q.
 *
 * @example
 * const svg = renderQrSvg('HC1:6BFOXN...', { size: '45mm' })
 * svg.startsWith('<svg') // true
 */
export function renderQrSvg(text: string, opts: RenderQrSvgOptions = {}): string {
  const m = qrMatrix(text, opts)
  const margin = Math.max(0, Math.floor(opts.margin ?? 4))
  const full = m.size + 2 * margin
  let d = ''
  forEachDarkRun(m, (row, col, length) => {
    d += `M${col + margin} ${row + margin}h${length}v1h${-length}z`
  })
  const size =
    opts.size === undefined
      ? ''
      : ` width="${escapeAttr(String(opts.size))}" height="${escapeAttr(String(opts.size))}"`
  const dark = escapeAttr(opts.dark ?? '#000')
  const light = escapeAttr(opts.light ?? '#fff')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}"${size} shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="${light}"/>` +
    `<path fill="${dark}" d="${d}"/></svg>\n`
  )
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
