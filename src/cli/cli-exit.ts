/**
 * Thrown by a command to end with a given exit status after it has printed its result
 * (for example 1 for an invalid certificate, 2 for a usage error found after parsing).
 */
export class CliExit extends Error {
  readonly status: number
  constructor(status: number, message = `exit ${status}`) {
    super(message)
    this.name = 'CliExit'
    this.status = status
  }
}
