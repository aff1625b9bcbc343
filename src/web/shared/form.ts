import { h } from './dom.js'
import { currentLang, t } from './i18n.js'
import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'

/** A validator returns the dictionary key of the error, or null when the value is fine. */
export type Validator = (value: string) => string | null

export interface Field {
  readonly wrap: HTMLElement
  readonly input: HTMLInputElement | HTMLSelectElement
  value(): string
  /** Shows the error (if any) and returns true when the value is valid. */
  check(): boolean
}

export interface FieldOptions {
  name: string
  labelKey: string
  type?: string
  required?: boolean
  validate?: Validator
  options?: ReadonlyArray<{ value: string; label: string }>
  autocomplete?: string
  inputmode?: string
  hintKey?: string
  value?: string
}

/**
 * A labelled input whose errors are announced to screen readers (aria-describedby, aria-invalid)
 * and checked as the user types, in the current language.
 */
export function createField(opts: FieldOptions): Field {
  const id = `f-${opts.name}`
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const error = h('p', { class: 'field-error', id: errorId, 'aria-live': 'polite' })
  const describedBy = opts.hintKey ? `${hintId} ${errorId}` : errorId
  const input = opts.options
    ? h(
        'select',
        { id, name: opts.name, 'aria-describedby': describedBy, required: opts.required },
        h('option', { value: '' }, '—'),
        ...opts.options.map((o) => h('option', { value: o.value }, o.label)),
      )
    : h('input', {
        id,
        name: opts.name,
        type: opts.type ?? 'text',
        required: opts.required,
        autocomplete: opts.autocomplete ?? 'off',
        inputmode: opts.inputmode,
        'aria-describedby': describedBy,
      })
  if (opts.value) input.value = opts.value
  let touched = false
  const check = (): boolean => {
    const value = input.value.trim()
    let key: string | null = null
    if (opts.required && value === '') key = 'required'
    else if (value !== '' && opts.validate) key = opts.validate(value)
    error.textContent = key ? t(key) : ''
    if (key) input.setAttribute('aria-invalid', 'true')
    else input.removeAttribute('aria-invalid')
    return key === null
  }
  input.addEventListener('input', () => {
    if (touched) check()
  })
  input.addEventListener('blur', () => {
    touched = true
    check()
  })
  const wrap = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, t(opts.labelKey)),
    opts.hintKey ? h('p', { class: 'muted', id: hintId }, t(opts.hintKey)) : null,
    input,
    error,
  )
  return {
    wrap,
    input,
    value: () => input.value.trim(),
    check: () => {
      touched = true
      return check()
    },
  }
}

/** Checks every field, focuses the first invalid one, and says whether all are valid. */
export function checkAll(fields: readonly Field[]): boolean {
  let firstBad: Field | null = null
  for (const field of fields) if (!field.check() && !firstBad) firstBad = field
  firstBad?.input.focus()
  return firstBad === null
}

export const isDate: Validator = (v) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : 'err_date'

export const isIdNumber: Validator = (v) => (/^(\d{12}|\d{9})$/.test(v) ? null : 'err_id_number')

/**
 * Writes each field's value into `values` as it is typed, so that a re-render (language switch,
 * an answer from the server, a lost connection) never loses what the user entered.
 */
export function keepAsTyped(fields: readonly Field[], values: Record<string, string>): void {
  for (const f of fields) {
    const save = (): void => {
      values[f.input.name] = f.value()
    }
    f.input.addEventListener('input', save)
    f.input.addEventListener('change', save)
  }
}

/** The options of a sex picker (M/F as the register and the CSV format use them). */
export function sexOptions(): Array<{ value: string; label: string }> {
  return [
    { value: 'M', label: t('sex_m') },
    { value: 'F', label: t('sex_f') },
  ]
}

/** The options of a vaccine picker: the nine vaccines used in Vietnam, by EU `mp` code. */
export function vaccineOptions(): Array<{ value: string; label: string }> {
  return VIETNAM_VACCINES.map((v) => ({
    value: v.mp,
    label: currentLang() === 'vi' ? v.nameVi : v.nameEn,
  }))
}
