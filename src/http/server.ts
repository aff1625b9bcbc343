import type { FastifyInstance } from 'fastify'

/** Where to listen. Loopback by default: put TLS and a reverse proxy in front to publish it. */
export interface ListenOptions {
  readonly port: number
  readonly host: string
}

/**
 * Reads `PORT` (default 8080) and `HOST` (default 127.0.0.1).
 *
 * @example
 * listenOptionsFromEnv(process.env) // { port: 8080, host: '127.0.0.1' }
 */
export function listenOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ListenOptions {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('PORT must be 0-65535')
  return { port, host: env.HOST?.trim() || '127.0.0.1' }
}

/**
 * Starts listening and returns the address (`http://127.0.0.1:8080`). Nothing else happens here:
 * the app is built by `buildApp`.
 *
 * @example
 * const url = await listen(app, { port: 8080, host: '127.0.0.1' })
 */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  if (address !== null && typeof address === 'object') {
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    return `http://${host}:${address.port}`
  }
  return `http://${options.host}:${options.port}`
}
