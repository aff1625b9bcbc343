import { createServer } from 'node:http'
import type { Socket } from 'node:net'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fastifyStatic from '@fastify/static'
import { VaxpassError } from '../core/errors.js'
import type { Role } from '../domain/users/roles.js'
import type { AppDeps } from './app-deps.js'
import { errorResponseFor, failureLogFields } from './error-status.js'
import { registerRateLimit } from './rate-limit.js'
import { registerAppRoutes } from './routes/app-routes.js'
import { registerCitizenRoutes } from './routes/citizen-routes.js'
import { registerPublicRoutes } from './routes/public-routes.js'
import { registerReportRoutes } from './routes/report-routes.js'
import { registerStaffRoutes } from './routes/staff-routes.js'
import { VerifyBody } from './schemas.js'
import { createVerifyFastPath, type VerifyFastPath } from './verify-fast-path.js'

/** One route as registered: for the route audit test and the start-up listing. */
export interface RouteInfo {
  readonly method: string
  readonly url: string
  readonly roles: readonly Role[] | undefined
  readonly audience: 'public' | 'staff' | 'citizen' | 'app' | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app with its audience and roles. */
    routeTable: readonly RouteInfo[]
  }
}

/** Defaults of {@link AppDeps.limits}. */
export const DEFAULT_LIMITS = {
  rateMax: 600,
  rateWindowMs: 60_000,
  bodyLimit: 64 * 1024,
  csvLimit: 1024 * 1024 * 1024,
} as const

/**
 * Builds the vaxpass HTTP app (fastify 5) without listening: tests call `app.inject()`, the
 * server calls `listen()`. Route schemas are declared up front and feed the OpenAPI document at
 * `/docs` (JSON at `/docs/json`). Every route is rate limited per IP; staff routes require a role;
 * errors answer `{error: {code, message}}` with the status from `error-status.ts`. The log holds
 * method, route template, status and time only: never bodies, query strings, names or IDs.
 *
 * @example
 * const app = await buildApp({ db: storage.db, now: () => new Date() })
 * const res = await app.inject({ method: 'GET', url: '/health' })
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits }
  // Set once the routes exist: connections start on the verify fast path (verify-fast-path.ts),
  // which hands them to node's HTTP server at their first other request. `app.inject()` always
  // goes through fastify.
  let fastPath: VerifyFastPath | undefined
  let httpConnection: ((socket: Socket) => void) | undefined
  let server: ReturnType<typeof createServer> | undefined
  // fastify's default request ids, shared with the fast path's log lines.
  let lastRequestId = 0
  const nextRequestId = () => {
    lastRequestId = (lastRequestId + 1) & 0x7fffffff
    return `req-${lastRequestId.toString(36)}`
  }
  const app = Fastify({
    serverFactory: (handler, factoryOptions) => {
      const options = factoryOptions as {
        keepAliveTimeout?: number
        requestTimeout?: number
        connectionTimeout?: number
      }
      const s = createServer(handler)
      server = s
      // What fastify sets on the server it makes itself.
      s.keepAliveTimeout = options.keepAliveTimeout ?? 72_000
      s.requestTimeout = options.requestTimeout ?? 0
      s.setTimeout(options.connectionTimeout ?? 0)
      // Node's own connection listener, called by the fast path when it hands a connection over.
      const nodeListener = s.listeners('connection')[0] as (socket: Socket) => void
      httpConnection = (socket) => nodeListener.call(s, socket)
      s.removeListener('connection', nodeListener)
      s.on('connection', (socket: Socket) => {
        if (fastPath === undefined) nodeListener.call(s, socket)
        else fastPath.serve(socket)
      })
      const closeIdle = s.closeIdleConnections.bind(s)
      const closeAll = s.closeAllConnections.bind(s)
      s.closeIdleConnections = () => {
        closeIdle()
        fastPath?.closeIdle()
      }
      s.closeAllConnections = () => {
        closeAll()
        fastPath?.closeAll()
      }
      return s
    },
    genReqId: nextRequestId,
    logger: loggerOptions(deps.logger),
    // Fastify's own request lines carry the URL (query strings); ours, in onResponse, do not.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimit,
    // IDs from clients are not trusted; the server makes its own.
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  })

  // Fail at start-up, not in production, when a staff route forgets its role check.
  const routeTable: RouteInfo[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (method === 'HEAD') continue
      routeTable.push({
        method,
        url: route.url,
        roles: route.config?.roles,
        audience: route.config?.audience,
      })
    }
    if (
      route.url.startsWith('/api/staff/') &&
      route.url !== '/api/staff/sign-in' &&
      route.config?.roles === undefined
    ) {
      throw new VaxpassError('ERR_INTERNAL', `staff route ${route.url} declares no roles`)
    }
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'vaxpass API',
        version: '0.1.0',
        description: 'National electronic Covid-19 vaccination certificates (EU DCC compatible).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'vaxpass_session' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  // CSV uploads reach the route as a stream; the importer reads it in constant memory.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload))

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = errorResponseFor(err)
    if (status >= 500 && body.error.code !== 'ERR_NOT_AVAILABLE') {
      request.log.error(
        failureLogFields(request.routeOptions.url, body.error.code, err),
        'request failed',
      )
    }
    if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60')
    return reply.code(status).type('application/json; charset=utf-8').send(body)
  })
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ error: { code: 'ERR_NOT_FOUND', message: 'no such route' } })
  })

  // Callback-style hooks, set up only when needed: an async hook costs a promise per request,
  // which the verify route (thousands a second) notices.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    done()
  })
  // Every request, 404s included, counts against its address's limit (see rate-limit.ts); after
  // the header hook, so that a 429 carries those headers too.
  const limiter = registerRateLimit(app, { max: limits.rateMax, windowMs: limits.rateWindowMs })
  const infoEnabled =
    app.log.level === 'info' || app.log.level === 'debug' || app.log.level === 'trace'
  if (infoEnabled) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? '(unmatched)',
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      )
      done()
    })
  }

  registerPublicRoutes(app, deps)
  registerStaffRoutes(app, deps)
  registerCitizenRoutes(app, deps)
  registerAppRoutes(app, deps)
  registerReportRoutes(app, deps)
  if (deps.verify !== undefined && server !== undefined && httpConnection !== undefined) {
    fastPath = createVerifyFastPath(app, {
      verify: deps.verify,
      now: deps.now,
      limiter,
      bodyLimit: 16 * 1024,
      maxLength: VerifyBody.properties.hc1.maxLength!,
      server,
      nextRequestId,
      fallback: httpConnection,
    })
  }

  // Mount point of the web apps (citizen wallet, staff console, verifier): src/web's build output.
  if (deps.webRoot !== undefined) {
    await app.register(fastifyStatic, {
      root: deps.webRoot,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      // The web build writes .br and .gz copies: browsers get the compressed bytes.
      preCompressed: true,
    })
    // The citizen wallet is the front door; the console and the verifier have their own paths.
    app.get('/', { config: { audience: 'public' } }, (_request, reply) =>
      reply.redirect('/wallet/', 302),
    )
  }
  return app
}

function loggerOptions(logger: AppDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false
  const base: { level: string; serializers: Record<string, () => undefined> } = {
    level: 'info',
    // Only what we put in explicitly is logged; requests and responses are never serialised whole.
    serializers: {
      req: () => undefined,
      res: () => undefined,
    },
  }
  if (logger === true) return base as FastifyServerOptions['logger']
  const options = {
    ...base,
    level: logger.level ?? 'info',
    ...(logger.stream ? { stream: logger.stream } : {}),
  }
  return options as FastifyServerOptions['logger']
}
