import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Settings } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import type { StoredLogRow } from '../monitor/request-log.ts';
import { CooldownFeed, type CooldownEvent } from './cooldown-feed.ts';

export const HEARTBEAT_MS = 15_000;

/** The top-level settings sections whose value differs (names only: values may hold secrets). */
function changedSections(next: Settings, previous: Settings): string[] {
  const keys = new Set([...Object.keys(next), ...Object.keys(previous)]);
  return [...keys].filter(
    (key) =>
      JSON.stringify((next as Record<string, unknown>)[key]) !==
      JSON.stringify((previous as Record<string, unknown>)[key]),
  );
}

export interface EventsOptions {
  /** How often the `: ping` comment goes out (default 15 s); tests shorten it. */
  heartbeatMs?: number;
}

/**
 * `GET /api/events`: the dashboard's live feed as server-sent events. `log` (each stored request
 * log row), `account` (`{id}` whenever anything about it changed, a quota refresh included, or
 * `{id, state}` when an upstream answer made it unusable), `cooldown` (`{accountId, model, until,
 * reason}` when a per-model cooldown starts or grows, `until` an ISO time; `{accountId, model,
 * until: null}` when it ends), `config` (`{changed: true, keys}`), and a `: ping` comment every
 * 15 s. Every listener goes when the client does, or when the server closes.
 */
export const eventsRoutes = (ctx: AppContext, options: EventsOptions = {}): FastifyPluginAsync =>
  async function routes(app) {
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    const open = new Set<ServerResponse>();
    const cooldowns = new CooldownFeed(ctx.proxy);
    app.addHook('preClose', async () => {
      for (const raw of open) raw.end();
      cooldowns.stop();
    });

    app.get('/events', (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      open.add(raw);

      const send = (event: string, data: unknown) => {
        if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const onRow = (row: StoredLogRow) => send('log', row);
      const onChanged = (id: string) => send('account', { id });
      const onState = (id: string, state: string) => send('account', { id, state });
      const onConfig = (next: Settings, previous: Settings) =>
        send('config', { changed: true, keys: changedSections(next, previous) });
      const offCooldown = cooldowns.subscribe((event: CooldownEvent) => send('cooldown', event));

      const offRow = ctx.proxy.log.onRow(onRow);
      const accounts = ctx.accounts.service;
      accounts.on('changed', onChanged);
      accounts.on('state', onState);
      ctx.settings.on('change', onConfig);
      const heartbeat = setInterval(() => {
        if (!raw.writableEnded) raw.write(': ping\n\n');
      }, heartbeatMs);
      heartbeat.unref();

      let closed = false;
      const cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        offRow();
        offCooldown();
        accounts.off('changed', onChanged);
        accounts.off('state', onState);
        ctx.settings.off('change', onConfig);
        open.delete(raw);
        if (!raw.writableEnded) raw.end();
      };
      raw.on('close', cleanup);
      raw.on('error', cleanup);
      request.raw.on('close', cleanup);
    });
  };
