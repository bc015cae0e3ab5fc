import type { FastifyPluginAsync } from 'fastify';
import type { AccountState } from '../accounts/views.ts';
import type { AppContext } from '../context.ts';
import { METRICS_CONTENT_TYPE, renderGauge } from '../monitor/metrics.ts';
import { adminAuthHook, type AdminSessions } from './auth.ts';

const STATES: readonly AccountState[] = ['active', 'disabled', 'needs_login', 'forbidden'];

/**
 * `GET /metrics` (contract.md): Prometheus text format, behind the same guard as the admin API
 * (open on loopback without an admin password; otherwise Bearer or the dashboard's session).
 */
export const metricsRoute = (ctx: AppContext, sessions: AdminSessions): FastifyPluginAsync =>
  async function routes(app) {
    // Encapsulated: the guard covers this plugin's route only.
    app.addHook('onRequest', adminAuthHook(ctx, sessions));
    app.get('/metrics', async (_request, reply) => {
      const accounts = new Map<string, number>(STATES.map((state) => [state, 0]));
      for (const account of ctx.accounts.service.list())
        accounts.set(account.state, (accounts.get(account.state) ?? 0) + 1);
      const cooldowns = new Map<string, number>();
      for (const cooldown of ctx.proxy.pool.cooldowns())
        cooldowns.set(cooldown.model, (cooldowns.get(cooldown.model) ?? 0) + 1);
      const body = ctx.proxy.metrics.render([
        renderGauge(
          'bm_accounts',
          'Accounts by state.',
          [...accounts].map(([state, count]) => [{ state }, count]),
        ),
        renderGauge(
          'bm_cooldowns',
          'Accounts cooling down, by model.',
          [...cooldowns].map(([model, count]) => [{ model }, count]),
        ),
        ...ctx.proxy.retention.gauges(),
      ]);
      return reply.header('content-type', METRICS_CONTENT_TYPE).send(body);
    });
  };
