import { h, mount } from './dom.js'
import { currentLang, initI18n, onLangChange, setLang, t, type Dictionary } from './i18n.js'

/**
 * Sets up an app page: language from storage, a header with the title and a language switch,
 * a skip link and the <main> region. `render` is called now and again when the language changes.
 * Returns a function that draws the whole page again (header included).
 */
export function startApp(opts: {
  dictionary: Dictionary
  titleKey: string
  nav?: () => HTMLElement[]
  render: (main: HTMLElement) => void
}): () => void {
  initI18n(opts.dictionary)
  const root = document.getElementById('app')
  if (!root) throw new Error('missing #app')
  const main = h('main', { id: 'main', tabindex: '-1' })
  const draw = (): void => {
    document.title = t(opts.titleKey)
    const langButton = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        lang: currentLang() === 'vi' ? 'en' : 'vi',
        'aria-label': t('lang_switch_label'),
        onclick: () => setLang(currentLang() === 'vi' ? 'en' : 'vi'),
      },
      t('lang_switch'),
    )
    mount(
      root,
      h('a', { class: 'skip', href: '#main' }, t('skip')),
      h(
        'header',
        { class: 'bar' },
        h('h1', {}, t(opts.titleKey)),
        h('nav', { 'aria-label': 'menu' }, ...(opts.nav ? opts.nav() : []), langButton),
      ),
      main,
    )
    opts.render(main)
  }
  onLangChange(draw)
  draw()
  return draw
}

/** Registers the app's service worker (offline use); failures only cost offline support. */
export function registerServiceWorker(url: string, scope: string): void {
  if (!('serviceWorker' in navigator)) return
  navigator.serviceWorker.register(url, { scope }).catch(() => undefined)
}

/** Formats an ISO instant as date and time (hh:mm) in the user's language and time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return date.toLocaleString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}

/** Formats an ISO instant or date as a date in the user's language. */
export function formatDate(value: string | undefined): string {
  if (!value) return '—'
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime())) return value
  // dd/mm/yyyy in both languages, as on Vietnamese paper cards; en-GB spells it the same way.
  return date.toLocaleDateString(currentLang() === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'UTC',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  })
}
