import { apiFetch, ApiError } from '../shared/api.js'
import { focusFirst, h, mount } from '../shared/dom.js'
import {
  checkAll,
  createField,
  isDate,
  isIdNumber,
  keepAsTyped,
  sexOptions,
  vaccineOptions,
} from '../shared/form.js'
import { errorText, t } from '../shared/i18n.js'
import { formatDateTime, startApp } from '../shared/shell.js'
import { barChart } from './chart.js'
import { STAFF_TEXTS } from './texts.js'

/*
 * The staff console: sign in; enter doses; upload a site CSV with a progress bar and a rejects
 * file; work the review queue with differences highlighted; reports with charts. Pages are hash
 * routes so the browser's back button works; what the user typed survives re-renders.
 */

interface Me {
  id: string
  username: string
  role: 'site_staff' | 'reviewer' | 'admin'
  siteCode: string | null
}
/** One line of the review queue (GET /api/staff/reviews). */
interface QueueItem {
  id: number | string
  filedAt: string
  linkStatus: string
  fullName: string
  dob: string
  doses: number
  hasEvidence: boolean
}
interface DoseView {
  product: string
  lot: string
  date: string
  siteCode: string
}
/** A declaration and its differences (GET /api/staff/reviews/:id). */
interface Review {
  declaration: { cccd: string | null; fullName: string; dob: string; sex: string }
  comparison: {
    identity: { status: string; differences: Array<{ field: string }> }
    register: { cccd: string; fullName: string; dob: string; sex: string } | null
    doses: Array<{
      doseNumber: number
      status: string
      declared: DoseView | null
      recorded: DoseView | null
      differences: Array<{ field: string }>
    }>
    approvable: boolean
  }
}
interface Reports {
  provinces: Array<{
    code: string
    name: string
    administered: number
    entered: number
    linked: number
    certifiable: number
  }>
  mismatches: Array<{ reason: string; count: number }>
  certificatesPerDay: Array<{ day: string; count: number }>
}

const TOKEN_KEY = 'vaxpass.staff.token'
const state: {
  me: Me | null
  values: Record<string, string>
  error: string | null
  notice: string | null
  busy: boolean
  progress: number | null
  rejectsUrl: string | null
  /** The file being uploaded, kept so that a lost connection can be retried with one click. */
  file: File | null
  queue: QueueItem[] | null
  reviews: Record<string, Review>
  reports: Reports | null
  outbox: OutboxMessage[] | null
} = {
  me: null,
  values: {},
  error: null,
  notice: null,
  busy: false,
  progress: null,
  rejectsUrl: null,
  file: null,
  queue: null,
  reviews: {},
  reports: null,
  outbox: null,
}

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

function route(): string {
  return location.hash.replace(/^#\/?/, '') || 'home'
}

function messages(): HTMLElement[] {
  const out: HTMLElement[] = []
  if (state.error)
    out.push(h('p', { class: 'notice bad', role: 'alert', id: 'error' }, state.error))
  if (state.notice)
    out.push(h('p', { class: 'notice ok', role: 'status', id: 'notice' }, state.notice))
  return out
}

async function act(
  main: HTMLElement,
  action: () => Promise<void>,
  lostKey?: string,
): Promise<void> {
  state.busy = true
  state.error = null
  state.notice = null
  draw(main)
  try {
    await action()
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 'ERR_INTERNAL'
    if (code === 'ERR_AUTH_REQUIRED') {
      sessionStorage.removeItem(TOKEN_KEY)
      state.me = null
    }
    state.error = code === 'ERR_NETWORK' && lostKey ? t(lostKey) : errorText(code)
  } finally {
    state.busy = false
    draw(main)
    focusFirst(main, '[role="alert"], [role="status"], h2')
  }
}

function signInView(main: HTMLElement): HTMLElement {
  const user = createField({
    name: 'username',
    labelKey: 'username',
    required: true,
    autocomplete: 'username',
  })
  const pass = createField({
    name: 'password',
    labelKey: 'password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  })
  return h(
    'section',
    { 'aria-labelledby': 'signin-h' },
    h('h2', { id: 'signin-h' }, t('sign_in')),
    ...messages(),
    h(
      'form',
      {
        id: 'sign-in-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault()
          if (!checkAll([user, pass])) return
          void act(main, async () => {
            const answer = await apiFetch<{ token: string; user?: Me }>('/api/staff/sign-in', {
              body: { username: user.value(), password: pass.input.value },
            })
            sessionStorage.setItem(TOKEN_KEY, answer.token)
            state.me = answer.user ?? (await apiFetch<Me>('/api/staff/me', { token: answer.token }))
            location.hash =
              state.me.role === 'reviewer'
                ? '#/reviews'
                : state.me.role === 'admin'
                  ? '#/reports'
                  : '#/doses'
          })
        },
      },
      user.wrap,
      pass.wrap,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('sign_in')),
      ),
    ),
  )
}

function doseView(main: HTMLElement): HTMLElement {
  const today = new Date().toISOString().slice(0, 10)
  const fields = [
    createField({
      name: 'cccd',
      labelKey: 'cccd',
      required: true,
      inputmode: 'numeric',
      validate: isIdNumber,
    }),
    createField({ name: 'fullName', labelKey: 'full_name', required: true }),
    createField({ name: 'dob', labelKey: 'dob', type: 'date', required: true, validate: isDate }),
    createField({
      name: 'sex',
      labelKey: 'sex',
      required: true,
      options: sexOptions(),
    }),
    createField({
      name: 'product',
      labelKey: 'product',
      required: true,
      options: vaccineOptions(),
    }),
    createField({ name: 'lot', labelKey: 'lot', required: true }),
    createField({
      name: 'date',
      labelKey: 'date',
      type: 'date',
      required: true,
      validate: (v) => isDate(v) ?? (v > today ? 'err_future' : null),
    }),
    createField({
      name: 'doseNumber',
      labelKey: 'dose_number',
      required: true,
      inputmode: 'numeric',
      validate: (v) => (/^[1-9]$/.test(v) ? null : 'err_dose_number'),
    }),
  ]
  for (const f of fields) f.input.value = state.values[f.input.name] ?? ''
  keepAsTyped(fields, state.values)
  return h(
    'section',
    { 'aria-labelledby': 'dose-h' },
    h('h2', { id: 'dose-h' }, t('dose_heading')),
    ...messages(),
    h(
      'form',
      {
        id: 'dose-form',
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault()
          for (const f of fields) state.values[f.input.name] = f.value()
          if (!checkAll(fields)) return
          void act(
            main,
            async () => {
              const v = state.values
              const result = await apiFetch<{ linkStatus?: string; duplicate?: number }>(
                '/api/staff/doses',
                {
                  token: token(),
                  body: {
                    cccd: v.cccd,
                    fullName: v.fullName,
                    dob: v.dob,
                    sex: v.sex,
                    product: v.product,
                    lot: v.lot,
                    date: v.date,
                    doseNumber: Number(v.doseNumber),
                  },
                },
              )
              const status = result.linkStatus
              state.notice =
                result.duplicate !== undefined && result.duplicate > 0
                  ? t('dose_duplicate')
                  : status === undefined
                    ? t('dose_saved_plain')
                    : t('dose_saved', {
                        status: status === 'linked' ? t('linked') : t(`reason_${status}`),
                      })
              for (const k of ['cccd', 'fullName', 'dob', 'sex', 'doseNumber'])
                delete state.values[k]
            },
            'upload_lost',
          )
        },
      },
      h('div', { class: 'row' }, ...fields.slice(0, 4).map((f) => f.wrap)),
      h('div', { class: 'row' }, ...fields.slice(4).map((f) => f.wrap)),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('save')),
      ),
    ),
  )
}

function upload(main: HTMLElement, file: File): void {
  state.file = file
  state.error = null
  state.notice = null
  state.rejectsUrl = null
  state.progress = 0
  state.busy = true
  draw(main)
  const xhr = new XMLHttpRequest()
  xhr.open('POST', '/api/staff/doses/import')
  xhr.setRequestHeader('content-type', 'text/csv')
  const tk = token()
  if (tk) xhr.setRequestHeader('authorization', `Bearer ${tk}`)
  const bar = (): HTMLProgressElement | null => main.querySelector('progress')
  const note = (): HTMLElement | null => main.querySelector('#upload-progress-text')
  xhr.upload.onprogress = (event) => {
    if (!event.lengthComputable) return
    const pct = Math.round((event.loaded / event.total) * 100)
    state.progress = pct
    const b = bar()
    if (b) b.value = pct
    const n = note()
    if (n) n.textContent = pct < 100 ? t('uploading', { pct }) : t('processing')
  }
  const finish = (): void => {
    state.busy = false
    state.progress = null
    draw(main)
    focusFirst(main, '[role="alert"], [role="status"]')
  }
  xhr.onerror = () => {
    state.error = t('upload_lost')
    finish()
  }
  xhr.onload = () => {
    let body: {
      read?: number
      inserted?: number
      duplicate?: number
      rejected?: number
      rejectsUrl?: string
      error?: { code: string }
    } = {}
    try {
      body = JSON.parse(xhr.responseText)
    } catch {
      body = {}
    }
    if (xhr.status >= 200 && xhr.status < 300) {
      state.notice = t('upload_done', {
        read: body.read ?? 0,
        inserted: body.inserted ?? 0,
        duplicate: body.duplicate ?? 0,
        rejected: body.rejected ?? 0,
      })
      state.rejectsUrl = body.rejectsUrl ?? null
      state.file = null
    } else state.error = errorText(body.error?.code ?? 'ERR_INTERNAL')
    finish()
  }
  xhr.send(file)
}

async function downloadRejects(url: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token() ?? ''}` } })
  if (!response.ok)
    throw new ApiError(`HTTP_${response.status}`, response.status, 'download failed')
  const blob = await response.blob()
  const a = h('a', { href: URL.createObjectURL(blob), download: 'rejects.csv' })
  document.body.append(a)
  a.click()
  a.remove()
}

function uploadView(main: HTMLElement): HTMLElement {
  const input = h('input', {
    type: 'file',
    id: 'csv-file',
    accept: '.csv,text/csv',
    required: true,
  })
  return h(
    'section',
    { 'aria-labelledby': 'upload-h' },
    h('h2', { id: 'upload-h' }, t('upload_heading')),
    h('p', { class: 'muted' }, t('upload_intro')),
    ...messages(),
    h(
      'form',
      {
        id: 'upload-form',
        onsubmit: (event: Event) => {
          event.preventDefault()
          const file = input.files?.[0]
          if (file) upload(main, file)
        },
      },
      h('label', { for: 'csv-file' }, t('csv_file')),
      input,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', disabled: state.busy }, t('upload')),
      ),
    ),
    state.progress !== null
      ? h(
          'div',
          { class: 'panel' },
          h('progress', {
            max: 100,
            value: state.progress,
            'aria-labelledby': 'upload-progress-text',
          }),
          h(
            'p',
            { id: 'upload-progress-text', 'aria-live': 'polite' },
            t('uploading', { pct: state.progress }),
          ),
        )
      : null,
    state.file && state.error && !state.busy
      ? h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              id: 'retry-upload',
              onclick: () => (state.file ? upload(main, state.file) : undefined),
            },
            t('retry_upload', { name: state.file.name }),
          ),
        )
      : null,
    state.rejectsUrl
      ? h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'download-rejects',
              onclick: () => void act(main, () => downloadRejects(state.rejectsUrl ?? '')),
            },
            t('download_rejects'),
          ),
        )
      : null,
  )
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** A cell, highlighted (mark + a word for screen readers) when it differs. */
function cell(value: unknown, differs: boolean): HTMLElement {
  return h(
    'td',
    {},
    differs
      ? h(
          'mark',
          { class: 'diff' },
          show(value),
          h('span', { class: 'sr-only' }, ` (${t('differs')})`),
        )
      : show(value),
  )
}

function identityTable(review: Review): HTMLElement {
  const d = review.declaration
  const r = review.comparison.register
  const diff = new Set(review.comparison.identity.differences.map((x) => x.field))
  const rows: Array<[string, string, unknown, unknown]> = [
    ['cccd', 'cccd', d.cccd, r?.cccd],
    ['full_name', 'full_name', d.fullName, r?.fullName],
    ['dob', 'dob', d.dob, r?.dob],
    ['sex', 'sex', d.sex, r?.sex],
  ]
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'identity' },
      h('caption', { class: 'sr-only' }, t('identity_caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('field')),
          h('th', { scope: 'col' }, t('declared')),
          h('th', { scope: 'col' }, t('registered')),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([field, label, declared, registered]) => {
          const differs = diff.has(field) || (r === null && field !== 'cccd')
          return h(
            'tr',
            { class: differs ? 'differs' : '' },
            h('th', { scope: 'row' }, t(label)),
            cell(declared, differs),
            cell(registered, differs),
          )
        }),
      ),
    ),
  )
}

function dosesTable(review: Review): HTMLElement {
  const fields: Array<[string, keyof DoseView]> = [
    ['product', 'product'],
    ['lot', 'lot'],
    ['date', 'date'],
    ['site_code', 'siteCode'],
  ]
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'doses' },
      h('caption', { class: 'sr-only' }, t('doses_caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('dose_number')),
          h('th', { scope: 'col' }, t('field')),
          h('th', { scope: 'col' }, t('declared')),
          h('th', { scope: 'col' }, t('recorded')),
        ),
      ),
      h(
        'tbody',
        {},
        ...review.comparison.doses.flatMap((dose) => {
          const diff = new Set(dose.differences.map((x) => x.field))
          const missing = dose.status === 'not_recorded' || dose.status === 'not_declared'
          return fields.map(([field, key], i) => {
            const differs = diff.has(field) || missing
            return h(
              'tr',
              { class: differs ? 'differs' : '' },
              i === 0
                ? h(
                    'th',
                    { scope: 'rowgroup', rowspan: fields.length },
                    String(dose.doseNumber),
                    h('br', {}),
                    h('span', { class: 'muted' }, t(`dose_${dose.status}`)),
                  )
                : null,
              h('th', { scope: 'row' }, t(field)),
              cell(dose.declared?.[key], differs),
              cell(dose.recorded?.[key], differs),
            )
          })
        }),
      ),
    ),
  )
}

function reviewCard(main: HTMLElement, item: QueueItem): HTMLElement {
  const review = state.reviews[String(item.id)]
  const reason = createField({
    name: `reason-${item.id}`,
    labelKey: 'reject_reason',
    required: true,
  })
  reason.input.value = state.values[reason.input.name] ?? ''
  keepAsTyped([reason], state.values)
  const id = String(item.id)
  return h(
    'article',
    { class: 'panel review', 'data-id': id, 'aria-labelledby': `review-${id}` },
    h('h3', { id: `review-${id}` }, `#${id} — ${item.fullName} — ${formatDateTime(item.filedAt)}`),
    h(
      'p',
      { class: 'muted' },
      t('link_status', {
        status: t(item.linkStatus === 'linked' ? 'linked' : `reason_${item.linkStatus}`),
      }),
      item.hasEvidence ? ` — ${t('has_evidence')}` : '',
    ),
    review ? identityTable(review) : h('p', { class: 'muted' }, '…'),
    review ? dosesTable(review) : null,
    reason.wrap,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'approve',
          disabled: state.busy || (review !== undefined && !review.comparison.approvable),
          onclick: () =>
            void act(
              main,
              async () => {
                await apiFetch(`/api/staff/reviews/${encodeURIComponent(id)}/approve`, {
                  method: 'POST',
                  token: token(),
                })
                state.notice = t('approved', { id })
                state.queue = null
              },
              'review_lost',
            ),
        },
        t('approve'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger reject',
          disabled: state.busy,
          onclick: () => {
            if (!checkAll([reason])) return
            void act(
              main,
              async () => {
                await apiFetch(`/api/staff/reviews/${encodeURIComponent(id)}/reject`, {
                  token: token(),
                  body: { reason: reason.value() },
                })
                state.notice = t('rejected', { id })
                delete state.values[reason.input.name]
                state.queue = null
              },
              'review_lost',
            )
          },
        },
        t('reject'),
      ),
    ),
  )
}

function reviewsView(main: HTMLElement): HTMLElement {
  if (state.queue === null && !state.busy && !state.error) {
    // The outcome of the last decision stays on screen while the queue reloads.
    const notice = state.notice
    void act(main, async () => {
      state.notice = notice
      const queue = await apiFetch<QueueItem[]>('/api/staff/reviews', { token: token() })
      // Each card shows its differences: the first page of details, fetched side by side.
      const details = await Promise.all(
        queue.slice(0, 20).map((item) =>
          apiFetch<Review>(`/api/staff/reviews/${encodeURIComponent(String(item.id))}`, {
            token: token(),
          }),
        ),
      )
      state.reviews = {}
      details.forEach((d, i) => (state.reviews[String(queue[i]?.id)] = d))
      state.queue = queue
    })
  }
  return h(
    'section',
    { 'aria-labelledby': 'reviews-h' },
    h('h2', { id: 'reviews-h' }, t('reviews_heading')),
    ...messages(),
    state.queue && state.queue.length === 0 ? h('p', {}, t('reviews_empty')) : null,
    ...(state.queue ?? []).map((item) => reviewCard(main, item)),
  )
}

function table(headers: string[], rows: Array<Array<string | number>>): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h('tr', {}, ...r.map((c) => h('td', {}, typeof c === 'number' ? c.toLocaleString() : c))),
        ),
      ),
    ),
  )
}

/** A chart in a box that scrolls sideways on a phone, so its labels stay readable. */
function chartBox(opts: Parameters<typeof barChart>[0]): HTMLElement {
  return h('div', { class: 'table-wrap' }, barChart(opts))
}

function reportsView(main: HTMLElement): HTMLElement {
  if (state.reports === null && !state.busy && !state.error) {
    void act(main, async () => {
      state.reports = await apiFetch<Reports>('/api/staff/reports', { token: token() })
    })
  }
  const r = state.reports
  const series = [t('administered'), t('entered'), t('linked'), t('certifiable')]
  const provinces = [...(r?.provinces ?? [])].sort((a, b) => b.administered - a.administered)
  return h(
    'section',
    { 'aria-labelledby': 'reports-h' },
    h('h2', { id: 'reports-h' }, t('reports_heading')),
    ...messages(),
    r
      ? h(
          'div',
          {},
          h('h3', {}, t('coverage_by_province')),
          chartBox({
            title: t('doses_pipeline'),
            series,
            rows: provinces.slice(0, 15).map((p) => ({
              label: p.name,
              values: [p.administered, p.entered, p.linked, p.certifiable],
            })),
          }),
          table(
            [t('province'), ...series],
            provinces.map((p) => [p.name, p.administered, p.entered, p.linked, p.certifiable]),
          ),
          h('h3', {}, t('mismatches_by_reason')),
          chartBox({
            title: t('mismatches_by_reason'),
            series: [t('count')],
            rows: r.mismatches.map((m) => ({ label: t(`reason_${m.reason}`), values: [m.count] })),
          }),
          table(
            [t('reason'), t('count')],
            r.mismatches.map((m) => [t(`reason_${m.reason}`), m.count]),
          ),
          h('h3', {}, t('certificates_per_day')),
          chartBox({
            title: t('certificates_per_day'),
            series: [t('count')],
            rows: r.certificatesPerDay.slice(-14).map((d) => ({ label: d.day, values: [d.count] })),
          }),
          table(
            [t('day'), t('count')],
            r.certificatesPerDay.map((d) => [d.day, d.count]),
          ),
        )
      : null,
  )
}

interface OutboxMessage {
  channel: string
  to: string
  template: string
  body: string
  createdAt: string
}

/**
 * The outbox kept by the default message adapters (no SMS or e-mail gateway plugged in): what
 * holders would have been sent, one-time codes included. Admins only; see README "Security".
 */
function outboxView(main: HTMLElement): HTMLElement {
  if (state.outbox === null && !state.busy && !state.error) {
    void act(main, async () => {
      state.outbox = await apiFetch<OutboxMessage[]>('/api/staff/outbox', { token: token() })
    })
  }
  return h(
    'section',
    { 'aria-labelledby': 'outbox-h' },
    h('h2', { id: 'outbox-h' }, t('outbox_heading')),
    h('p', { class: 'notice warn' }, t('outbox_intro')),
    ...messages(),
    state.outbox && state.outbox.length === 0 ? h('p', {}, t('no_data')) : null,
    state.outbox && state.outbox.length > 0
      ? h(
          'div',
          { class: 'table-wrap' },
          table(
            [t('outbox_when'), t('outbox_channel'), t('outbox_to'), t('outbox_message')],
            state.outbox.map((m) => [
              new Date(m.createdAt).toLocaleString(),
              m.channel,
              m.to,
              m.body,
            ]),
          ),
        )
      : null,
  )
}

function nav(): HTMLElement[] {
  const me = state.me
  if (!me) return []
  const links: HTMLElement[] = []
  const link = (hash: string, key: string): HTMLElement =>
    h(
      'a',
      {
        href: `#/${hash}`,
        class: 'button secondary',
        'aria-current': route() === hash ? 'page' : null,
      },
      t(key),
    )
  if (me.role === 'site_staff') links.push(link('doses', 'nav_doses'), link('upload', 'nav_upload'))
  if (me.role === 'reviewer') links.push(link('reviews', 'nav_reviews'))
  if (me.role === 'admin' || me.role === 'reviewer') links.push(link('reports', 'nav_reports'))
  if (me.role === 'admin') links.push(link('outbox', 'nav_outbox'))
  links.push(
    h(
      'button',
      {
        type: 'button',
        id: 'sign-out',
        onclick: () => {
          void apiFetch('/api/staff/sign-out', { method: 'POST', token: token() }).catch(
            () => undefined,
          )
          sessionStorage.removeItem(TOKEN_KEY)
          state.me = null
          location.hash = '#/sign-in'
          redraw()
        },
      },
      t('sign_out'),
    ),
  )
  return links
}

let redraw: () => void = () => undefined
function draw(_main: HTMLElement): void {
  redraw()
}

function page(main: HTMLElement): void {
  if (!state.me) {
    mount(main, signInView(main))
    return
  }
  const r = route()
  const who = h(
    'p',
    { class: 'muted' },
    t('signed_in_as', { user: state.me.username, role: t(`role_${state.me.role}`) }),
    state.me.siteCode ? ` — ${t('site')}: ${state.me.siteCode}` : '',
  )
  const view =
    r === 'upload'
      ? uploadView(main)
      : r === 'reviews'
        ? reviewsView(main)
        : r === 'reports' || (r === 'home' && state.me.role === 'admin')
          ? reportsView(main)
          : r === 'outbox'
            ? outboxView(main)
            : doseView(main)
  mount(main, who, view)
}

async function boot(): Promise<void> {
  const tk = token()
  if (tk) {
    try {
      state.me = await apiFetch<Me>('/api/staff/me', { token: tk })
    } catch {
      sessionStorage.removeItem(TOKEN_KEY)
    }
  }
  redraw = startApp({ dictionary: STAFF_TEXTS, titleKey: 'title', nav, render: page })
}

window.addEventListener('hashchange', () => {
  state.error = null
  state.notice = null
  if (route() === 'reviews') state.queue = null
  if (route() === 'reports') state.reports = null
  if (route() === 'outbox') state.outbox = null
  redraw()
})
void boot()
