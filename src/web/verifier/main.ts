import { h, mount, focusFirst } from '../shared/dom.js'
import { currentLang, t } from '../shared/i18n.js'
import { formatDate, formatDateTime, registerServiceWorker, startApp } from '../shared/shell.js'
import { VERIFIER_TEXTS } from './texts.js'
import {
  decodeImage,
  loadVerifierData,
  verifyText,
  type VerifierDataStatus,
  type VerifierResult,
} from './engine.js'

/*
 * The border verifier: scan with the camera or open an image, then a clear green or red answer
 * with the reason in words. It shows only name, date of birth and validity, and works offline
 * once the trust list, revocation list and value sets have been fetched once.
 */

let dataStatus: VerifierDataStatus | null = null
let lastResult: VerifierResult | null = null
let stream: MediaStream | null = null
let scanTimer: number | undefined
// What was pasted stays in the box after the answer, so the officer can fix a character.
let pasted = ''
// One video element for the page's life: a re-render (language switch, fresh data) must not cut
// the camera stream that is playing in it.
const video = h('video', { muted: true, playsinline: true, hidden: true, 'aria-hidden': 'true' })

function statusPanel(): HTMLElement {
  if (!dataStatus) return h('p', { class: 'muted', id: 'data-status' }, '…')
  const lines: Array<HTMLElement | null> = []
  if (dataStatus.fetchedAt) {
    lines.push(
      h(
        'p',
        {},
        t('data_age', { when: formatDateTime(dataStatus.fetchedAt) }),
        ' — ',
        t('keys_count', { n: dataStatus.keys, r: dataStatus.revoked }),
      ),
    )
  } else lines.push(h('p', { class: 'notice warn' }, t('data_missing')))
  if (dataStatus.offline) lines.push(h('p', { class: 'notice warn' }, t('data_offline')))
  return h(
    'div',
    { class: 'panel', id: 'data-status', 'data-state': dataStatus.offline ? 'offline' : 'online' },
    ...lines,
  )
}

function resultView(result: VerifierResult): HTMLElement {
  const reasons = result.valid ? [t('valid_reason')] : result.reasons.map((code) => t(code))
  const lang = currentLang()
  // Each unmet entry rule in the officer's language, after the technical reasons.
  const rules = (result.failedRules ?? []).map((r) =>
    h('div', { class: 'reason rule', 'data-rule': r.identifier }, r.description[lang], ' '),
  )
  return h(
    'section',
    { 'aria-labelledby': 'verdict', id: 'result' },
    h(
      'div',
      {
        class: `verdict ${result.valid ? 'ok' : 'bad'}`,
        role: 'alert',
        'data-valid': String(result.valid),
      },
      h('strong', { id: 'verdict' }, result.valid ? `✓ ${t('valid')}` : `✗ ${t('invalid')}`),
      ...[...new Set(reasons)].map((r) => h('div', { class: 'reason' }, r, ' ')),
      ...rules,
    ),
    result.name || result.dateOfBirth
      ? h(
          'dl',
          { class: 'fields' },
          h('dt', {}, t('name')),
          h('dd', { id: 'holder-name' }, result.name ?? '—'),
          h('dt', {}, t('dob')),
          h('dd', {}, formatDate(result.dateOfBirth)),
          h('dt', {}, t('valid_until')),
          h('dd', { id: 'valid-until' }, formatDate(result.expiresAt)),
        )
      : null,
  )
}

async function check(text: string, main: HTMLElement): Promise<void> {
  lastResult = await verifyText(text)
  render(main)
  focusFirst(main, '[role="alert"]')
}

function stopScan(): void {
  if (scanTimer !== undefined) window.clearInterval(scanTimer)
  scanTimer = undefined
  for (const track of stream?.getTracks() ?? []) track.stop()
  stream = null
  video.srcObject = null
  video.hidden = true
}

async function startScan(main: HTMLElement): Promise<void> {
  const note = (): HTMLElement | null => main.querySelector<HTMLElement>('#scan-note')
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
  } catch {
    const el = note()
    if (el) el.textContent = t('camera_error')
    return
  }
  lastResult = null
  video.hidden = false
  video.srcObject = stream
  await video.play()
  render(main)
  const el = note()
  if (el) el.textContent = t('scanning')
  const canvas = document.createElement('canvas')
  let busy = false
  scanTimer = window.setInterval(() => {
    if (busy || video.videoWidth === 0) return
    busy = true
    canvas.width = video.videoWidth
    canvas.height = video.videoHeight
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    ctx?.drawImage(video, 0, 0)
    const frame = ctx?.getImageData(0, 0, canvas.width, canvas.height)
    if (!frame) {
      busy = false
      return
    }
    decodeImage(frame)
      .then(async (texts) => {
        const text = texts[0]
        if (text && stream) {
          stopScan()
          await check(text, main)
        }
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false
      })
  }, 300)
}

function render(main: HTMLElement): void {
  const fileInput = h('input', {
    type: 'file',
    id: 'image-input',
    accept: 'image/png,image/jpeg,image/*',
    class: 'sr-only file-button',
  })
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0]
    if (!file) return
    let texts: string[] = []
    try {
      texts = await decodeImage(file)
    } catch {
      texts = []
    }
    const first = texts[0]
    if (first) await check(first, main)
    else {
      lastResult = { valid: false, reasons: ['ERR_QR_NOT_FOUND'] }
      render(main)
      focusFirst(main, '[role="alert"]')
    }
  })
  const paste = h('textarea', { id: 'paste', rows: 3, spellcheck: 'false', autocomplete: 'off' })
  paste.value = pasted
  paste.addEventListener('input', () => (pasted = paste.value))
  mount(
    main,
    statusPanel(),
    // The answer first: on a phone it must be seen without scrolling.
    lastResult ? resultView(lastResult) : null,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          id: 'scan',
          onclick: () => (stream ? (stopScan(), render(main)) : void startScan(main)),
        },
        stream ? t('stop_scan') : t('scan'),
      ),
      // The input comes first so that its keyboard focus can show on the label that looks like a button.
      fileInput,
      h(
        'label',
        { for: 'image-input', class: 'button secondary', id: 'open-image' },
        t('open_image'),
      ),
    ),
    h('p', { id: 'scan-note', class: 'muted', 'aria-live': 'polite' }, stream ? t('scanning') : ''),
    video,
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault()
          void check(paste.value.trim(), main)
        },
      },
      h('label', { for: 'paste' }, t('paste_label')),
      paste,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'check' }, t('check'))),
    ),
  )
}

startApp({
  dictionary: VERIFIER_TEXTS,
  titleKey: 'title',
  render: (main) => {
    render(main)
    if (!dataStatus) {
      void loadVerifierData().then((status) => {
        dataStatus = status
        render(main)
      })
    }
  },
})
registerServiceWorker('/verify/sw.js', '/verify/')
window.addEventListener('online', () => {
  void loadVerifierData().then((status) => {
    dataStatus = status
    const main = document.getElementById('main')
    if (main) render(main)
  })
})
