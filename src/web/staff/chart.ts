import { t } from '../shared/i18n.js'

const SVG = 'http://www.w3.org/2000/svg'
const COLORS = ['#0b5d3b', '#2f6fb0', '#b36b00', '#7b3fa0']

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  if (text !== undefined) el.textContent = text
  return el
}

/**
 * A horizontal grouped bar chart in SVG, with a title for screen readers. The same figures are
 * always shown in a table next to it, so the chart is never the only way to read them.
 */
export function barChart(opts: {
  title: string
  rows: ReadonlyArray<{ label: string; values: readonly number[] }>
  series: readonly string[]
}): SVGSVGElement {
  const barH = 12
  const gap = 6
  const labelW = 170
  const width = 640
  const groupH = opts.series.length * barH + gap
  const height = Math.max(40, opts.rows.length * groupH + 30)
  const max = Math.max(1, ...opts.rows.flatMap((r) => r.values))
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' })
  root.append(svg('title', {}, opts.title))
  opts.rows.forEach((row, i) => {
    const y0 = i * groupH + 4
    root.append(
      svg('text', { x: 0, y: y0 + barH, 'font-size': 11, fill: '#1a1a1a' }, row.label.slice(0, 28)),
    )
    row.values.forEach((value, j) => {
      const w = Math.round(((width - labelW - 60) * value) / max)
      const y = y0 + j * barH
      root.append(
        svg('rect', {
          x: labelW,
          y,
          width: Math.max(1, w),
          height: barH - 2,
          fill: COLORS[j % COLORS.length] ?? '#000',
        }),
      )
      root.append(
        svg(
          'text',
          { x: labelW + w + 4, y: y + barH - 3, 'font-size': 10, fill: '#1a1a1a' },
          value.toLocaleString(),
        ),
      )
    })
  })
  const legendY = height - 8
  opts.series.forEach((name, j) => {
    root.append(
      svg('rect', {
        x: labelW + j * 130,
        y: legendY - 9,
        width: 10,
        height: 10,
        fill: COLORS[j % COLORS.length] ?? '#000',
      }),
    )
    root.append(
      svg('text', { x: labelW + j * 130 + 14, y: legendY, 'font-size': 11, fill: '#1a1a1a' }, name),
    )
  })
  if (opts.rows.length === 0)
    root.append(svg('text', { x: 0, y: 20, 'font-size': 12 }, t('no_data')))
  return root
}
