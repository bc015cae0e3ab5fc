import type { FastifyInstance } from 'fastify';
import type { ProxyRuntime } from '../../proxy/runtime.ts';
import { countTokensAdapter, messagesAdapter } from './adapter.ts';

/**
 * The Messages API's routes, inside the shared `/v1` plugin (its auth, CORS and error shapes pick
 * Anthropic's by path). Claude Code appends `?beta=true`; the query is not part of the route.
 */
export function anthropicRoutes(proxy: ProxyRuntime) {
  const messages = messagesAdapter(proxy.signatures);
  const countTokens = countTokensAdapter(proxy.signatures);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/messages', (request, reply) => proxy.pipeline.generate(messages, request, reply));
    app.post('/messages/count_tokens', (request, reply) =>
      proxy.pipeline.countTokens(countTokens, request, reply),
    );
  };
}

/**
 * Claude Code's heartbeat (`POST /`) and telemetry (`POST /api/event_logging/batch`): answered at
 * once and never forwarded. The second sits under `/api` but is not the admin API.
 */
export async function claudeCodeNoise(app: FastifyInstance): Promise<void> {
  const ok = async () => ({});
  app.post('/', ok);
  app.post('/api/event_logging/batch', { bodyLimit: 1024 * 1024 }, ok);
}
