/**
 * Vietnamese (default) and English texts. Each app passes its own dictionary so that a bundle
 * carries only its own strings. The chosen language is kept in localStorage and set on <html lang>.
 */
export type Lang = 'vi' | 'en'
export type Dictionary = Record<string, { vi: string; en: string }>

const STORAGE_KEY = 'vaxpass.lang'

/** Texts every app shares: language switch, common buttons, error codes from the API. */
export const COMMON: Dictionary = {
  lang_switch: { vi: 'English', en: 'Tiếng Việt' },
  lang_switch_label: { vi: 'Switch to English', en: 'Chuyển sang tiếng Việt' },
  skip: { vi: 'Chuyển đến nội dung chính', en: 'Skip to main content' },
  required: { vi: 'Bắt buộc nhập trường này.', en: 'This field is required.' },
  offline: { vi: 'Bạn đang ngoại tuyến.', en: 'You are offline.' },
  ERR_RATE_LIMITED: {
    vi: 'Quá nhiều lần thử. Vui lòng đợi rồi thử lại.',
    en: 'Too many attempts. Please wait and try again.',
  },
  ERR_AUTH_REQUIRED: { vi: 'Vui lòng đăng nhập.', en: 'Please sign in.' },
  ERR_AUTH_INVALID: {
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong user name or password.',
  },
  ERR_NETWORK: {
    vi: 'Mất kết nối. Dữ liệu bạn nhập chưa bị mất; hãy thử lại khi có mạng.',
    en: 'Connection lost. Nothing you entered was lost; try again when you are online.',
  },
  ERR_PAYLOAD_TOO_LARGE: { vi: 'Tệp quá lớn.', en: 'The file is too large.' },
  ERR_NOT_AVAILABLE: {
    vi: 'Chức năng tạm thời chưa sẵn sàng.',
    en: 'This is not available right now.',
  },
  ERR_FORBIDDEN: {
    vi: 'Bạn không có quyền thực hiện việc này.',
    en: 'You are not allowed to do this.',
  },
  ERR_VALIDATION: { vi: 'Dữ liệu nhập chưa hợp lệ.', en: 'Some of the data entered is not valid.' },
  ERR_INTERNAL: {
    vi: 'Đã xảy ra lỗi. Vui lòng thử lại.',
    en: 'Something went wrong. Please try again.',
  },
}

let current: Lang = 'vi'
let dict: Dictionary = COMMON
const listeners: Array<() => void> = []

/** Sets up the language from storage (Vietnamese by default) with the app's dictionary. */
export function initI18n(appDictionary: Dictionary): Lang {
  dict = { ...COMMON, ...appDictionary }
  const stored = safeStorageGet(STORAGE_KEY)
  current = stored === 'en' ? 'en' : 'vi'
  document.documentElement.lang = current
  return current
}

/** The text for `key` in the current language; `{name}` placeholders are filled from `vars`. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const entry = dict[key]
  let text = entry ? entry[current] : key
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v))
  return text
}

/** True when the dictionary has a text for `key` (used to explain API error codes). */
export function hasText(key: string): boolean {
  return key in dict
}

export function currentLang(): Lang {
  return current
}

/** Switches language, remembers it and re-renders through the registered listeners. */
export function setLang(lang: Lang): void {
  current = lang
  document.documentElement.lang = lang
  safeStorageSet(STORAGE_KEY, lang)
  for (const listener of listeners) listener()
}

export function onLangChange(listener: () => void): void {
  listeners.push(listener)
}

function safeStorageGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function safeStorageSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** Explains an API or report error code in the current language (a generic text when unknown). */
export function errorText(code: string): string {
  return hasText(code) ? t(code) : t('ERR_INTERNAL')
}
