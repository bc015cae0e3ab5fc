import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { PRUNE_EVERY_MS, RequestStats, STATS_WINDOWS } from '../monitor/stats.ts';
import { USAGE_BUCKETS, USAGE_GROUPS, USAGE_WINDOWS, UsageReader } from '../monitor/usage.ts';
import { usageCsv } from '../monitor/usage-csv.ts';
import { parseBody } from './validation.ts';

const statsQuery = z.object({ window: z.enum(STATS_WINDOWS).default('24h') }).strict();

const usageQuery = z
  .object({
    window: z.enum(USAGE_WINDOWS).default('7d'),
    by: z.enum(USAGE_GROUPS).default('key'),
    bucket: z.enum(USAGE_BUCKETS).default('day'),
    /** Minutes east of UTC where days start (the browser's `-new Date().getTimezoneOffset()`). */
    tzOffset: z.coerce.number().int().min(-720).max(840).default(0),
  })
  .strict();

/**
 * Request statistics and usage from the roll-ups (issue #19): `/stats` (totals, by model, account
 * and key, a series for charts) and `/usage` (per key, model or account over hours or days, as
 * JSON or CSV).
 */
export const statsRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const stats = new RequestStats(ctx.store);
    const usage = new UsageReader(ctx.store);
    const pruning = setInterval(() => stats.prune(), PRUNE_EVERY_MS);
    pruning.unref();
    app.addHook('onClose', async () => clearInterval(pruning));

    app.get('/stats', async (request) => {
      const { window } = parseBody(statsQuery, request.query);
      return stats.report(window);
    });

    app.get('/usage', async (request) => usage.report(parseBody(usageQuery, request.query)));

    app.get('/usage.csv', async (request, reply) => {
      const query = parseBody(usageQuery, request.query);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="better-manager-usage-${query.by}-${query.window}-${stamp}.csv"`,
      );
      reply.header('cache-control', 'no-store');
      return reply.send(usageCsv(usage.report(query)));
    });
  };
