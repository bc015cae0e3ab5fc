import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { PRUNE_EVERY_MS, RequestStats, STATS_WINDOWS } from '../monitor/stats.ts';
import { parseBody } from './validation.ts';

const statsQuery = z.object({ window: z.enum(STATS_WINDOWS).default('24h') }).strict();

/** Request statistics from the roll-ups (issue #19): totals, by model, account and key, and a series for charts. */
export const statsRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const stats = new RequestStats(ctx.store);
    const pruning = setInterval(() => stats.prune(), PRUNE_EVERY_MS);
    pruning.unref();
    app.addHook('onClose', async () => clearInterval(pruning));

    app.get('/stats', async (request) => {
      const { window } = parseBody(statsQuery, request.query);
      return stats.report(window);
    });
  };
