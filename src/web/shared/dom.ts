/**
 * A tiny element builder: enough for forms, tables and lists without a framework, so that
 * bundles stay small on cheap phones. Text is always set as text (never HTML) unless `html` is
 * given explicitly for trusted markup such as a server-rendered QR SVG.
 */
type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value)
    else if (value === true) el.setAttribute(name, '')
    else el.setAttribute(name, String(value))
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
  return el
}

/** Replaces the children of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
}

/** Sets trusted markup produced by our own server (QR SVG). */
export function setTrustedHtml(el: Element, markup: string): void {
  el.innerHTML = markup
}

/** Moves focus to a heading or region after the view changes, for keyboard and screen readers. */
export function focusFirst(root: Element, selector = 'h2, [role="alert"]'): void {
  const target = root.querySelector<HTMLElement>(selector)
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
    target.focus()
  }
}
