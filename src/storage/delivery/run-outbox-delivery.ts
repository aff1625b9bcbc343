import { deliverOutbox, type OutboxAdapters } from '../certificates/outbox.js'
import type { Storage } from '../storage.js'

/**
 * Delivers pending outbox messages (revocation and renewal notices) every `intervalMs` (default
 * 30 s) in the background, never two rounds at once. `onRound` hears each round's counts or
 * error (counts only: no recipient, no text). `stop()` ends the timer and waits for a round in
 * progress.
 *
 * @example
 * const delivery = startOutboxDelivery(storage, adapters, { now: () => new Date() })
 * await delivery.stop()
 */
export function startOutboxDelivery(
  storage: Storage,
  adapters: OutboxAdapters,
  options: {
    now: () => Date
    intervalMs?: number
    onRound?: (outcome: { sent: number; failed: number } | { error: unknown }) => void
  },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined
  const round = (): void => {
    if (running !== undefined) return
    running = deliverOutbox(storage, adapters, { now: options.now() })
      .then(
        (counts) => {
          if (counts.sent + counts.failed > 0) options.onRound?.(counts)
        },
        (error: unknown) => options.onRound?.({ error }),
      )
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(round, options.intervalMs ?? 30_000)
  timer.unref()
  round()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
