import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AdminError } from './errors.ts';
import { parseBody } from './validation.ts';

const createKeyBody = z.object({ label: z.string().trim().min(1).max(100) }).strict();
const idParams = z.object({ id: z.string().min(1).max(100) });

/** Client API keys and the pool's live state, for the dashboard's Proxy page. */
export const proxyRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const keys = ctx.proxy.apiKeys;

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

    app.get('/proxy/status', async () => ({
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
    }));
  };
