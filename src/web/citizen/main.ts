import { apiFetch, ApiError } from '../shared/api.js'
import { describeHc1, type CertificateFields } from '../shared/describe-hc1.js'
import { focusFirst, h, mount, setTrustedHtml } from '../shared/dom.js'
import {
  checkAll,
  createField,
  isDate,
  isIdNumber,
  keepAsTyped,
  type Field,
  sexOptions,
  vaccineOptions,
} from '../shared/form.js'
import { currentLang, errorText, t } from '../shared/i18n.js'
import { formatDate, registerServiceWorker, startApp } from '../shared/shell.js'
import { CITIZEN_TEXTS } from './texts.js'

/*
 * The citizen wallet: look up a certificate with five fields and a one-time code, see the QR
 * with the 11 fields, download the PDF, keep it on the device (shown offline), and ask for a
 * correction. Form values live in `state` so a language switch or a lost connection loses nothing.
 */

interface Certificate {
  uvci: string
  status: string
  hc1: string
  issuedAt: string
  expiresAt: string
}
interface Saved {
  certificate: Certificate
  svg: string
  savedAt: string
}
type View = 'lookup' | 'code' | 'certificate' | 'correction'

const SAVED_KEY = 'vaxpass.wallet.certificate'
const REQUESTS_KEY = 'vaxpass.wallet.requests'

const state: {
  view: View
  values: Record<string, string>
  challengeId: string | null
  certificate: Certificate | null
  svg: string | null
  fields: CertificateFields | null
  error: string | null
  notice: string | null
  busy: boolean
  sites: Array<{ code: string; name: string; provinceName: string }> | null
} = {
  view: 'lookup',
  values: {},
  challengeId: null,
  certificate: null,
  svg: null,
  fields: null,
  error: null,
  notice: null,
  busy: false,
  sites: null,
}

function loadSaved(): Saved | null {
  try {
    const raw = localStorage.getItem(SAVED_KEY)
    return raw ? (JSON.parse(raw) as Saved) : null
  } catch {
    return null
  }
}

function loadRequests(): Array<{ id: string; sentAt: string }> {
  try {
    return JSON.parse(localStorage.getItem(REQUESTS_KEY) ?? '[]') as Array<{
      id: string
      sentAt: string
    }>
  } catch {
    return []
  }
}

function keep(fields: Field[]): void {
  for (const f of fields) state.values[f.input.name] = f.value()
}

function messages(): HTMLElement[] {
  const out: HTMLElement[] = []
  if (!navigator.onLine) out.push(h('p', { class: 'notice warn', role: 'status' }, t('offline')))
  if (state.error)
    out.push(h('p', { class: 'notice bad', role: 'alert', id: 'error' }, state.error))
  if (state.notice) out.push(h('p', { class: 'notice ok', role: 'status' }, state.notice))
  return out
}

async function run(main: HTMLElement, action: () => Promise<void>): Promise<void> {
  state.busy = true
  state.error = null
  state.notice = null
  render(main)
  try {
    await action()
  } catch (err) {
    state.error = errorText(err instanceof ApiError ? err.code : 'ERR_INTERNAL')
  } finally {
    state.busy = false
    render(main)
    focusFirst(main)
  }
}

function lookupView(main: HTMLElement): HTMLElement {
  const fields = [
    createField({ name: 'fullName', labelKey: 'full_name', required: true, autocomplete: 'name' }),
    createField({
      name: 'dateOfBirth',
      labelKey: 'dob',
      type: 'date',
      required: true,
      validate: isDate,
    }),
    createField({
      name: 'sex',
      labelKey: 'sex',
      required: true,
      options: sexOptions(),
    }),
    createField({
      name: 'idNumber',
      labelKey: 'id_number',
      hintKey: 'id_hint',
      required: true,
      inputmode: 'numeric',
      validate: isIdNumber,
    }),
    createField({
      name: 'lastDoseDate',
      labelKey: 'last_dose_date',
      type: 'date',
      required: true,
      validate: isDate,
    }),
  ]
  for (const f of fields) f.input.value = state.values[f.input.name] ?? ''
  keepAsTyped(fields, state.values)
  const saved = loadSaved()
  return h(
    'section',
    { 'aria-labelledby': 'lookup-h' },
    h('h2', { id: 'lookup-h' }, t('lookup_heading')),
    h('p', {}, t('lookup_intro')),
    ...messages(),
    h(
      'form',
      {
        id: 'lookup-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault()
          keep(fields)
          if (!checkAll(fields)) return
          void run(main, async () => {
            const v = state.values
            const answer = await apiFetch<{ challengeId: string }>('/api/citizen/lookup', {
              body: {
                fullName: v.fullName,
                dateOfBirth: v.dateOfBirth,
                sex: v.sex,
                idNumber: v.idNumber,
                lastDoseDate: v.lastDoseDate,
              },
            })
            state.challengeId = answer.challengeId
            state.view = 'code'
          })
        },
      },
      ...fields.map((f) => f.wrap),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('continue')),
      ),
    ),
    saved
      ? h(
          'div',
          { class: 'panel' },
          h('p', {}, t('saved_heading')),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'open-saved',
              onclick: () => void showSaved(main),
            },
            saved.certificate.uvci,
          ),
        )
      : null,
  )
}

function codeView(main: HTMLElement): HTMLElement {
  const code = createField({
    name: 'code',
    labelKey: 'code',
    required: true,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    validate: (v) => (/^\d{6}$/.test(v) ? null : 'err_code'),
  })
  return h(
    'section',
    { 'aria-labelledby': 'code-h' },
    h('h2', { id: 'code-h' }, t('code_heading')),
    h('p', {}, t('code_sent')),
    ...messages(),
    h(
      'form',
      {
        id: 'code-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault()
          if (!checkAll([code])) return
          void run(main, async () => {
            await apiFetch('/api/citizen/confirm', {
              body: { challengeId: state.challengeId, code: code.value() },
            })
            await fetchCertificate()
            state.view = 'certificate'
            void refreshRequests(main)
          })
        },
      },
      code.wrap,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('confirm')),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => ((state.view = 'lookup'), render(main)),
          },
          t('start_over'),
        ),
      ),
    ),
  )
}

async function fetchCertificate(): Promise<void> {
  try {
    state.certificate = await apiFetch<Certificate>('/api/citizen/certificate')
  } catch (err) {
    if (err instanceof ApiError && err.code === 'ERR_NOT_FOUND') {
      state.certificate = null
      state.notice = t('no_certificate')
      return
    }
    throw err
  }
  const uvci = encodeURIComponent(state.certificate.uvci)
  const svg = await fetch(`/api/citizen/certificates/${uvci}/qr.svg`, {
    credentials: 'same-origin',
  })
  state.svg = svg.ok ? await svg.text() : null
  state.fields = await describeHc1(state.certificate.hc1, currentLang())
}

async function showSaved(main: HTMLElement): Promise<void> {
  const saved = loadSaved()
  if (!saved) return
  state.certificate = saved.certificate
  state.svg = saved.svg
  state.fields = await describeHc1(saved.certificate.hc1, currentLang())
  state.view = 'certificate'
  render(main)
  focusFirst(main)
}

function certificateView(main: HTMLElement): HTMLElement {
  const cert = state.certificate
  const f = state.fields
  if (!cert || !f) {
    return h(
      'section',
      {},
      h('h2', {}, t('cert_heading')),
      ...messages(),
      h('div', { class: 'actions' }, correctionButton(main)),
    )
  }
  const qr = h('div', { class: 'qr', role: 'img', 'aria-label': `QR ${cert.uvci}`, id: 'qr' })
  if (state.svg) setTrustedHtml(qr, state.svg)
  const row = (label: string, value: string | number | undefined, id?: string): HTMLElement[] => [
    h('dt', {}, t(label)),
    h('dd', id ? { id } : {}, value === undefined || value === '' ? '—' : String(value)),
  ]
  const saved = loadSaved()
  const isSaved = saved?.certificate.uvci === cert.uvci
  return h(
    'section',
    { 'aria-labelledby': 'cert-h' },
    h('h2', { id: 'cert-h' }, t('cert_heading')),
    ...messages(),
    qr,
    h(
      'dl',
      { class: 'fields' },
      ...row('full_name', `${f.familyName} ${f.givenName}`.trim(), 'holder-name'),
      ...row('dob', formatDate(f.dateOfBirth)),
      ...row('nationality', t('nationality_vn')),
      ...row('disease', f.disease),
      ...row('doses_received', f.dosesInSeries),
      ...row('vaccination_date', formatDate(f.vaccinationDate)),
      ...row('dose_number', f.doseNumber),
      ...row('vaccine_type', f.vaccineType),
      ...row('vaccine_product', f.product),
      ...row('manufacturer', f.manufacturer),
      ...row('certificate_id', f.certificateId, 'uvci'),
      ...row('issued_at', formatDate(f.issuedAt)),
      ...row('expires_at', formatDate(f.expiresAt), 'expires'),
    ),
    h(
      'div',
      { class: 'actions' },
      // The PDF and a correction need the server: offline, only the saved pass is shown.
      !navigator.onLine
        ? null
        : h(
            'a',
            {
              class: 'button',
              id: 'pdf',
              href: `/api/citizen/certificates/${encodeURIComponent(cert.uvci)}/pdf`,
              download: `${cert.uvci.replace(/[^A-Za-z0-9]/g, '_')}.pdf`,
            },
            t('download_pdf'),
          ),
      isSaved
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                localStorage.removeItem(SAVED_KEY)
                render(main)
              },
            },
            t('remove_device'),
          )
        : h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'save',
              onclick: () => {
                const entry: Saved = {
                  certificate: cert,
                  svg: state.svg ?? '',
                  savedAt: new Date().toISOString(),
                }
                localStorage.setItem(SAVED_KEY, JSON.stringify(entry))
                state.notice = t('saved_device')
                render(main)
              },
            },
            t('save_device'),
          ),
      navigator.onLine ? correctionButton(main) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'new-lookup',
          onclick: () => {
            state.view = 'lookup'
            state.notice = null
            render(main)
            focusFirst(main)
          },
        },
        t('start_over'),
      ),
    ),
    requestsList(),
  )
}

function correctionButton(main: HTMLElement): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'ask-correction',
      onclick: () =>
        void run(main, async () => {
          // The site picker's list, fetched once (public data).
          state.sites ??=
            await apiFetch<Array<{ code: string; name: string; provinceName: string }>>(
              '/api/public/sites',
            )
          state.view = 'correction'
        }),
    },
    t('ask_correction'),
  )
}

interface RequestStatus {
  id: string
  filedAt: string
  status: 'pending' | 'approved' | 'rejected'
  rejectReason?: string | null
}
let requestStatuses: RequestStatus[] | null = null

/** The holder's correction requests with their status from the server (needs the session). */
async function refreshRequests(main: HTMLElement): Promise<void> {
  if (!navigator.onLine) return
  try {
    requestStatuses = await apiFetch<RequestStatus[]>('/api/citizen/declarations')
    render(main)
  } catch {
    // No session (or offline): the list kept on the device is shown instead.
  }
}

function requestsList(): HTMLElement | null {
  const requests: RequestStatus[] =
    requestStatuses ??
    loadRequests().map((r) => ({ id: r.id, filedAt: r.sentAt, status: 'pending' as const }))
  if (requests.length === 0) return null
  return h(
    'div',
    { class: 'panel', id: 'requests' },
    h('h3', {}, t('my_requests')),
    h(
      'ul',
      {},
      ...requests.map((r) =>
        h(
          'li',
          { 'data-status': r.status },
          `#${r.id} — ${formatDate(r.filedAt)} — ${t(`status_${r.status}`)}`,
          r.status === 'rejected' && r.rejectReason ? ` (${r.rejectReason})` : '',
        ),
      ),
    ),
  )
}

function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(new Error('read failed'))
    reader.readAsDataURL(file)
  })
}

function correctionView(main: HTMLElement): HTMLElement {
  const f = state.fields
  const fields = [
    createField({
      name: 'c_fullName',
      labelKey: 'full_name',
      required: true,
      value: f ? `${f.familyName} ${f.givenName}`.trim() : state.values.fullName,
    }),
    createField({
      name: 'c_dob',
      labelKey: 'dob',
      type: 'date',
      required: true,
      validate: isDate,
      value:
        state.values.dateOfBirth ??
        (f && /^\d{4}-\d{2}-\d{2}$/.test(f.dateOfBirth) ? f.dateOfBirth : undefined),
    }),
    createField({
      name: 'c_sex',
      labelKey: 'sex',
      required: true,
      value: state.values.sex,
      options: sexOptions(),
    }),
    createField({
      name: 'c_product',
      labelKey: 'product',
      required: true,
      options: vaccineOptions(),
    }),
    createField({ name: 'c_lot', labelKey: 'lot' }),
    createField({
      name: 'c_date',
      labelKey: 'dose_date',
      type: 'date',
      required: true,
      validate: isDate,
    }),
    createField({
      name: 'c_doseNumber',
      labelKey: 'dose_number',
      required: true,
      inputmode: 'numeric',
      validate: (v) => (/^[1-9]$/.test(v) ? null : 'required'),
    }),
    createField({
      name: 'c_site',
      labelKey: 'site',
      required: true,
      options: (state.sites ?? []).map((x) => ({
        value: x.code,
        label: `${x.provinceName} — ${x.name}`,
      })),
    }),
  ]
  for (const field of fields) {
    const kept = state.values[field.input.name]
    if (kept !== undefined) field.input.value = kept
  }
  keepAsTyped(fields, state.values)
  const evidence = h('input', {
    type: 'file',
    id: 'evidence',
    name: 'evidence',
    accept: 'image/jpeg,image/png',
  })
  const evidenceError = h('p', { class: 'field-error', 'aria-live': 'polite' })
  return h(
    'section',
    { 'aria-labelledby': 'corr-h' },
    h('h2', { id: 'corr-h' }, t('correction_heading')),
    h('p', {}, t('correction_intro')),
    ...messages(),
    h(
      'form',
      {
        id: 'correction-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault()
          keep(fields)
          if (!checkAll(fields)) return
          const file = evidence.files?.[0]
          if (file && file.size > 3 * 1024 * 1024) {
            evidenceError.textContent = t('err_evidence_size')
            return
          }
          if (file && file.type !== 'image/jpeg' && file.type !== 'image/png') {
            evidenceError.textContent = t('err_evidence_type')
            return
          }
          void run(main, async () => {
            const v = state.values
            const body = {
              fullName: v.c_fullName,
              dob: v.c_dob,
              sex: v.c_sex,
              doses: [
                {
                  product: v.c_product,
                  // An unknown lot is declared empty, never guessed.
                  lot: v.c_lot ?? '',
                  date: v.c_date,
                  doseNumber: Number(v.c_doseNumber),
                  siteCode: v.c_site,
                },
              ],
              ...(file
                ? { evidence: { mediaType: file.type, data: await readFileBase64(file) } }
                : {}),
            }
            const answer = await apiFetch<{ id: string }>('/api/citizen/declarations', { body })
            const requests = loadRequests()
            requests.push({ id: answer.id, sentAt: new Date().toISOString() })
            localStorage.setItem(REQUESTS_KEY, JSON.stringify(requests))
            state.view = 'certificate'
            state.notice = t('correction_sent', { id: answer.id })
            void refreshRequests(main)
          })
        },
      },
      ...fields.map((x) => x.wrap),
      h('label', { for: 'evidence' }, t('evidence')),
      evidence,
      evidenceError,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('send')),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => ((state.view = 'certificate'), render(main)),
          },
          t('back'),
        ),
      ),
    ),
  )
}

function render(main: HTMLElement): void {
  const view =
    state.view === 'code'
      ? codeView(main)
      : state.view === 'certificate'
        ? certificateView(main)
        : state.view === 'correction'
          ? correctionView(main)
          : lookupView(main)
  mount(main, view)
}

const redraw = startApp({
  dictionary: CITIZEN_TEXTS,
  titleKey: 'title',
  render: (main) => {
    // Field names in the certificate follow the language: decode again on a switch.
    if (state.certificate && state.view === 'certificate') {
      void describeHc1(state.certificate.hc1, currentLang()).then((fields) => {
        state.fields = fields
        render(main)
      })
    }
    render(main)
  },
})
// A certificate kept on the device opens at once, with or without a connection.
const main = document.getElementById('main')
if (main && loadSaved()) void showSaved(main).then(() => refreshRequests(main))
window.addEventListener('online', redraw)
window.addEventListener('offline', redraw)
registerServiceWorker('/wallet/sw.js', '/wallet/')
