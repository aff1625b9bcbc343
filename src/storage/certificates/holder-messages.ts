/** What the holder is told, per lifecycle event. */
export type HolderMessageTemplate =
  | 'certificate.issued'
  | 'certificate.renewed'
  | 'certificate.revoked'

/** A message ready for the outbox. */
export interface HolderMessage {
  readonly channel: 'email' | 'sms'
  readonly recipient: string
  readonly template: HolderMessageTemplate
  readonly body: string
}

const TEXT: Record<HolderMessageTemplate, (uvci: string, date: string) => [string, string]> = {
  'certificate.issued': (uvci, exp) => [
    `Chứng nhận tiêm chủng COVID-19 của bạn đã được cấp, mã ${uvci}, hiệu lực đến ${exp}.`,
    `Your COVID-19 vaccination certificate ${uvci} has been issued, valid until ${exp}.`,
  ],
  'certificate.renewed': (uvci, exp) => [
    `Chứng nhận tiêm chủng COVID-19 của bạn đã được cấp lại, mã ${uvci}, hiệu lực đến ${exp}.`,
    `Your COVID-19 vaccination certificate has been renewed: ${uvci}, valid until ${exp}.`,
  ],
  'certificate.revoked': (uvci) => [
    `Chứng nhận tiêm chủng COVID-19 mã ${uvci} đã bị thu hồi.`,
    `Your COVID-19 vaccination certificate ${uvci} has been revoked.`,
  ],
}

/**
 * The messages (one per channel the holder registered) for a certificate event. Bilingual,
 * Vietnamese first; no personal data beyond the certificate code.
 *
 * @example
 * composeHolderMessages('certificate.issued', { phone: '0912345678', email: null },
 *   'URN:UVCI:01:VN:...', new Date('2023-03-15T00:00:00Z'))
 */
export function composeHolderMessages(
  template: HolderMessageTemplate,
  contact: { phone: string | null; email: string | null },
  uvci: string,
  exp: Date,
): HolderMessage[] {
  return holderMessageComposer(template, exp)(contact, uvci)
}

/**
 * {@link composeHolderMessages} for many certificates sharing a template and an expiry (a bulk
 * batch): the date is formatted once.
 *
 * @example
 * const compose = holderMessageComposer('certificate.issued', exp)
 * const messages = compose({ phone: '0912345678', email: null }, uvci)
 */
export function holderMessageComposer(
  template: HolderMessageTemplate,
  exp: Date,
): (contact: { phone: string | null; email: string | null }, uvci: string) => HolderMessage[] {
  const text = TEXT[template]
  const date = exp.toISOString().slice(0, 10)
  return (contact, uvci) => {
    const [vi, en] = text(uvci, date)
    const out: HolderMessage[] = []
    if (contact.phone) out.push({ channel: 'sms', recipient: contact.phone, template, body: `${vi} / ${en}` })
    if (contact.email) out.push({ channel: 'email', recipient: contact.email, template, body: `${vi}\n\n${en}` })
    return out
  }
}
