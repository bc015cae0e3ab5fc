import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyServerOptions,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { AppContext } from './context.ts';
import { lazyChildLoggerFactory } from './logger.ts';
import { AdminSessions, adminAuthHook, authRoutes } from './admin/auth.ts';
import { accountsRoutes } from './admin/accounts-routes.ts';
import { configRoutes } from './admin/config-routes.ts';
import { oauthCallbackRoute } from './admin/oauth-callback.ts';
import { oauthRoutes } from './admin/oauth-routes.ts';
import { proxyRoutes } from './admin/proxy-routes.ts';
import { statsRoutes } from './admin/stats-routes.ts';
import { logsRoutes } from './admin/logs-routes.ts';
import { eventsRoutes } from './admin/events-routes.ts';
import { metricsRoute } from './admin/metrics-route.ts';
import { modelsRoutes } from './admin/models-routes.ts';
import { proxyConfigRoutes } from './admin/proxy-config-routes.ts';
import { passwordRoutes } from './admin/password-routes.ts';
import { anthropicRoutes, claudeCodeNoise } from './protocols/anthropic/routes.ts';
import { geminiRoutes } from './protocols/gemini/routes.ts';
import { openaiRoutes } from './protocols/openai/routes.ts';
import { proxyCors } from './proxy/cors.ts';
import { v1ErrorReply, v1Routes } from './proxy/v1-dispatch.ts';
import { send } from './proxy/pipeline.ts';
import type { ClientReply, ProtocolError } from './proxy/adapter.ts';
import { geminiErrorReply } from './protocols/gemini/adapter.ts';
import { adminErrorHandler, sendAdminError } from './admin/errors.ts';
import { dashboardFiles } from './server/dashboard-files.ts';

const ADMIN_BODY_LIMIT = 1024 * 1024;
const SLOW_CLIENT_CHECK_MS = 1000;
const HEADERS_TIMEOUT_MS = 30_000;

function noSchemas(): () => never {
  return () => {
    throw new Error('Route JSON schemas are not used in this app: validate inputs with zod');
  };
}

/** The error shape of whoever a path belongs to: a proxy protocol, the admin API, or neither. */
function errorReplyForPath(request: FastifyRequest, error: ProtocolError): ClientReply {
  const url = request.url;
  if (url.startsWith('/v1beta')) return geminiErrorReply(error);
  if (url.startsWith('/v1/') || url === '/v1') return v1ErrorReply(request, error);
  return { status: error.status, body: { error: { code: error.code, message: error.message } } };
}

export interface BuildAppOptions {
  /** Log each request at debug level (off at info so a busy proxy does not flood the log). */
  logRequests?: boolean;
}

/** Assembles the HTTP app from its parts; listening and shutdown belong to the caller. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const settings = ctx.settings.current;
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    childLoggerFactory: lazyChildLoggerFactory as unknown as NonNullable<
      FastifyServerOptions['childLoggerFactory']
    >,
    bodyLimit: Math.round(settings.limits.bodyMb * 1024 * 1024),
    requestTimeout: settings.limits.requestTimeoutSeconds * 1000,
    // Node checks those timeouts only every 30 s by default, so a slow client (slowloris: headers
    // a byte at a time, or a body that trickles) could hold its socket half a minute past them.
    // Headers get at most 30 s of their own, whatever the request timeout allows a large body.
    http: {
      connectionsCheckingInterval: SLOW_CLIENT_CHECK_MS,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, settings.limits.requestTimeoutSeconds * 1000),
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    trustProxy: false,
    // A URL Fastify cannot even route (an invalid %-escape) still gets the caller's protocol's error shape.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
      void send(
        reply,
        errorReplyForPath(request, { status, code: 'invalid_request', message: error.message }),
      );
    },
    // Inputs are checked with zod, so no route has a JSON schema: giving Fastify compilers of our
    // own keeps it from loading Ajv and fast-json-stringify (memory at start) for nothing.
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
  });

  // Responses finished while draining close their connection, so keep-alive sockets don't hold up the exit.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback style: an async hook would cost every request a promise.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // Before every route and before client auth: a browser's preflight carries no key.
  app.addHook('onRequest', proxyCors);
  await app.register(oauthCallbackRoute(ctx));
  await app.register(geminiRoutes(ctx.proxy), { prefix: '/v1beta' });
  // Shared by OpenAI, Anthropic and the Gemini SDKs that default to /v1.
  await app.register(v1Routes(ctx.proxy, [anthropicRoutes(ctx.proxy), openaiRoutes(ctx.proxy)]), {
    prefix: '/v1',
  });
  await app.register(claudeCodeNoise);

  app.get('/health', async () => ({ status: 'ok', version: ctx.version }));
  const sessions = new AdminSessions();
  await app.register(metricsRoute(ctx, sessions));

  await app.register(
    async (admin) => {
      admin.setErrorHandler(adminErrorHandler);
      admin.addHook('onRequest', adminAuthHook(ctx, sessions));
      // Admin bodies are small JSON; only routes that say otherwise (import) take more.
      admin.addHook('onRoute', (route) => {
        route.bodyLimit ??= ADMIN_BODY_LIMIT;
      });
      await admin.register(authRoutes(ctx, sessions));
      await admin.register(configRoutes(ctx));
      await admin.register(accountsRoutes(ctx));
      await admin.register(oauthRoutes(ctx));
      await admin.register(proxyRoutes(ctx));
      await admin.register(statsRoutes(ctx));
      await admin.register(logsRoutes(ctx));
      await admin.register(eventsRoutes(ctx));
      await admin.register(modelsRoutes(ctx));
      await admin.register(proxyConfigRoutes(ctx));
      await admin.register(passwordRoutes(ctx, sessions));
      admin.setNotFoundHandler((request, reply) =>
        sendAdminError(
          reply,
          404,
          'not_found',
          `No admin route ${request.method} ${request.url.split('?')[0]}`,
        ),
      );
    },
    { prefix: '/api' },
  );

  const dashboard = dashboardFiles();
  app.setNotFoundHandler(
    (request, reply) =>
      dashboard(request, reply) ||
      reply.code(404).send({
        error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` },
      }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'Internal error; see the server log for details' : error.message;
    return reply
      .code(status)
      .send({ error: { code: status >= 500 ? 'internal_error' : 'invalid_request', message } });
  });

  return app;
}
