import { VaxpassError } from '../core/errors.js'

/**
 * The service behind a route, or a 503 `ERR_NOT_AVAILABLE` when this server was built without it.
 *
 * @example
 * const certificates = need(deps.certificates, 'certificates')
 */
export function need<T>(service: T | undefined, what: string): T {
  if (service === undefined) throw new VaxpassError('ERR_NOT_AVAILABLE', `${what}: not available on this server yet`)
  return service
}
