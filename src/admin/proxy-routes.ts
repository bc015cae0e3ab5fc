import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AdminError } from './errors.ts';
import { parseBody } from './validation.ts';

const createKeyBody = z.object({ label: z.string().trim().min(1).max(100) }).strict();
const idParams = z.object({ id: z.string().min(1).max(100) });

/** A Host header that is a host name or address with an optional port: anything else is not echoed back. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Client API keys and the pool's live state, for the dashboard's Proxy page. `GET /api/proxy/status`
 * answers `{running, accounts, cooldowns, models, memory, endpoints: {openai, anthropic, gemini,
 * health}, version, uptimeSeconds, requests, errors}`: the base URLs as the caller reached this
 * server (its Host header), and the proxied requests since start with those that ended in an error
 * status (400 or more).
 */
export const proxyRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const keys = ctx.proxy.apiKeys;
    const startedAt = Date.now();

    const baseUrl = (request: FastifyRequest): string => {
      const host = request.headers.host;
      if (host !== undefined && HOST_HEADER.test(host)) return `http://${host}`;
      const configured = ctx.settings.current.server.host;
      const shown = configured === '0.0.0.0' || configured === '::' ? '127.0.0.1' : configured;
      return `http://${shown.includes(':') ? `[${shown}]` : shown}:${request.socket.localPort}`;
    };

    app.get('/proxy/keys', async () => ({
      keys: keys.list().map((row) => ({ ...row, key: `${row.keyPrefix}…` })),
      fromEnvironment: ctx.settings.current.proxy.apiKeys.length,
    }));

    /** The key is shown once, here; only its hash is stored. */
    app.post('/proxy/keys', async (request, reply) => {
      const { label } = parseBody(createKeyBody, request.body);
      const created = keys.create(label);
      return reply.code(201).send({ key: created.key, ...created.row });
    });

    app.delete('/proxy/keys/:id', async (request, reply) => {
      const { id } = parseBody(idParams, request.params);
      if (!keys.revoke(id)) throw new AdminError(404, 'not_found', `No active API key with id ${id}`);
      return reply.code(204).send();
    });

    app.get('/proxy/status', async (request) => {
      const base = baseUrl(request);
      return {
        running: true,
        accounts: ctx.proxy.pool.size,
        cooldowns: ctx.proxy.pool
          .cooldowns()
          .map((cooldown) => ({ ...cooldown, until: new Date(cooldown.until).toISOString() })),
        models: ctx.proxy.listModels().length,
        memory: Object.fromEntries(
          Object.entries(process.memoryUsage()).map(([key, bytes]) => [
            key,
            Math.round((bytes / 1048576) * 10) / 10,
          ]),
        ),
        endpoints: { openai: `${base}/v1`, anthropic: base, gemini: base, health: `${base}/health` },
        version: ctx.version,
        uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
        ...ctx.proxy.metrics.totals(),
      };
    });
  };
