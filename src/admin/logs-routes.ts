import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { CSV_HEADER, csvLines, LogQuery, type LogFilter } from '../monitor/log-query.ts';
import { AdminError } from './errors.ts';
import { parseBody } from './validation.ts';

const CSV_MAX_ROWS = 100_000;

const text = z.string().trim().min(1).max(200);

const filterQuery = z
  .object({
    status: z
      .string()
      .trim()
      .regex(/^([1-5]\d\d|[2-5]xx|error)$/i, 'Expected a status code, 2xx, 3xx, 4xx, 5xx or error')
      .transform((value): LogFilter['status'] =>
        /^\d+$/.test(value) ? Number(value) : (value.toLowerCase() as LogFilter['status']),
      )
      .optional(),
    model: text.optional(),
    account: text.optional(),
    protocol: z.enum(['gemini', 'openai', 'anthropic']).optional(),
    key: text.optional(),
    q: z.string().trim().max(200).optional(),
  })
  .strict();

const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().min(1).optional(),
});

const idParams = z.object({ id: z.coerce.number().int().min(1) });

function filterOf(query: z.infer<typeof filterQuery>): LogFilter {
  const { status, model, account, protocol, key, q } = query;
  return { status, model, account, protocol, key, q: q || undefined };
}

/** `/api/logs…` of contract.md: the request log, its detail rows, clearing and a CSV export. */
export const logsRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const query = new LogQuery(ctx.store);

    app.get('/logs', async (request) => {
      const { limit, cursor, ...filters } = parseBody(listQuery, request.query);
      const page = query.page(filterOf(filters), limit, cursor);
      return { logs: page.rows, nextCursor: page.nextCursor ?? null };
    });

    app.get('/logs.csv', async (request, reply) => {
      const filter = filterOf(parseBody(filterQuery, request.query));
      const pages = query.all(filter, CSV_MAX_ROWS);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="better-manager-logs-${stamp}.csv"`);
      reply.header('cache-control', 'no-store');
      // One page of rows per read, so 100k rows never sit in memory as one string.
      const body = Readable.from(
        (function* () {
          yield CSV_HEADER;
          for (const rows of pages) yield csvLines(rows);
        })(),
        { objectMode: false },
      );
      return reply.send(body);
    });

    app.get('/logs/:id', async (request) => {
      const { id } = parseBody(idParams, request.params);
      const row = query.get(id);
      if (!row) throw new AdminError(404, 'not_found', `No log row with id ${id}`);
      return row;
    });

    app.delete('/logs', async () => {
      // Rows still queued would otherwise land right after the clear.
      ctx.proxy.log.flush();
      return { deleted: query.clear() };
    });
  };
