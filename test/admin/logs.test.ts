import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry, StoredLogRow } from '../../src/monitor/request-log.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const A = 'alice.pro@gmail.com';
const MODEL = 'gemini-3-flash';

let env: TestEnvironment;
let accountId: string;

interface Page {
  logs: StoredLogRow[];
  nextCursor: number | null;
}

async function proxied(): Promise<number> {
  const response = await fetch(`${env.url}/v1beta/models/${MODEL}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await response.text();
  return response.status;
}

function synthetic(over: Partial<RequestLogEntry>): RequestLogEntry {
  return {
    createdAt: Date.now(),
    protocol: 'openai',
    route: '/v1/chat/completions',
    attempts: [],
    status: 200,
    latencyMs: 5,
    stream: false,
    ...over,
  };
}

const list = async (query = '') => {
  const answer = await env.api<Page>('GET', `/api/logs${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

beforeAll(async () => {
  env = await startTestEnvironment();
  [accountId] = (await env.importAccounts(A)) as [string];
  for (let i = 0; i < 3; i++) expect(await proxied()).toBe(200);
  const log = env.server.ctx.proxy.log;
  log.record(
    synthetic({
      protocol: 'anthropic',
      route: '/v1/messages',
      clientKey: 'sk-client-secret-key-1234',
      requestedModel: 'claude-sonnet-4-5',
      mappedModel: 'claude-sonnet-mapped',
      status: 429,
      errorClass: 'rate_limit',
      errorMessage: 'Too many, "slow down", please\nnext line',
    }),
  );
  log.record(
    synthetic({ requestedModel: 'gpt-4o', mappedModel: MODEL, status: 503, errorMessage: 'unavailable' }),
  );
  log.flush();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

describe('GET /api/logs', () => {
  it('lists newest first, without bodies, and pages with the cursor', async () => {
    const all = await list();
    expect(all.logs).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
    const ids = all.logs.map((row) => row.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.logs[0]).not.toHaveProperty('requestBody');
    const gemini = all.logs.find((row) => row.protocol === 'gemini')!;
    expect(gemini).toMatchObject({ accountId, accountEmail: A, requestedModel: MODEL, status: 200 });
    expect(gemini.attempts[0]).toMatchObject({ accountId, status: 200 });

    const first = await list('?limit=2');
    expect(first.logs.map((row) => row.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toBe(ids[1]);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.logs.map((row) => row.id)).toEqual(ids.slice(2, 4));
    const third = await list(`?limit=2&cursor=${second.nextCursor}`);
    expect(third.logs.map((row) => row.id)).toEqual(ids.slice(4));
    expect(third.nextCursor).toBeNull();
  });

  it('filters by status code and class', async () => {
    expect((await list('?status=429')).logs.map((r) => r.status)).toEqual([429]);
    expect((await list('?status=2xx')).logs).toHaveLength(3);
    expect((await list('?status=5xx')).logs.map((r) => r.status)).toEqual([503]);
    expect((await list('?status=4xx')).logs.map((r) => r.status)).toEqual([429]);
    expect((await list('?status=error')).logs.map((r) => r.status)).toEqual([503, 429]);
  });

  it('filters by model (requested or mapped), account (id or email), protocol and key', async () => {
    expect((await list(`?model=${MODEL}`)).logs).toHaveLength(4);
    expect((await list('?model=claude-sonnet-mapped')).logs.map((r) => r.status)).toEqual([429]);
    expect((await list('?model=gpt-4o')).logs.map((r) => r.status)).toEqual([503]);
    expect((await list(`?account=${accountId}`)).logs).toHaveLength(3);
    expect((await list(`?account=${encodeURIComponent(A.toUpperCase())}`)).logs).toHaveLength(3);
    expect((await list('?protocol=anthropic')).logs).toHaveLength(1);
    expect((await list('?protocol=gemini')).logs).toHaveLength(3);
    const masked = (await list('?protocol=anthropic')).logs[0]!.clientKey!;
    expect(masked).not.toContain('secret');
    expect((await list(`?key=${encodeURIComponent(masked)}`)).logs.map((r) => r.status)).toEqual([429]);
    expect((await list('?key=sk-client-secret-key-1234')).logs).toHaveLength(0);
  });

  it('searches route, models, account email and error message with q; wildcards are literal', async () => {
    expect((await list('?q=messages')).logs).toHaveLength(1);
    expect((await list('?q=alice.pro')).logs).toHaveLength(3);
    expect((await list('?q=slow%20down')).logs.map((r) => r.status)).toEqual([429]);
    expect((await list('?q=gpt-4')).logs).toHaveLength(1);
    expect((await list('?q=%25')).logs).toHaveLength(0);
    expect((await list('?q=generateContent&status=2xx')).logs).toHaveLength(3);
  });

  it('rejects bad queries in the admin error shape', async () => {
    for (const query of [
      '?limit=0',
      '?limit=501',
      '?status=abc',
      '?protocol=x',
      '?cursor=-1',
      '?unknown=1',
    ]) {
      const answer = await env.api<{ error: { code: string } }>('GET', `/api/logs${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
  });
});

describe('GET /api/logs/{id}', () => {
  it('answers one row with its attempts, and its bodies when stored', async () => {
    const row = (await list('?protocol=gemini')).logs[0]!;
    const detail = await env.api<StoredLogRow & { requestBody?: string }>('GET', `/api/logs/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: row.id, accountEmail: A, attempts: row.attempts });
    expect(detail.body).not.toHaveProperty('requestBody');

    env.server.ctx.store
      .prepare("UPDATE request_logs SET request_body = '{\"q\":1}', response_body = 'out' WHERE id = ?")
      .run(row.id);
    const withBodies = await env.api<{ requestBody?: string; responseBody?: string }>(
      'GET',
      `/api/logs/${row.id}`,
    );
    expect(withBodies.body).toMatchObject({ requestBody: '{"q":1}', responseBody: 'out' });
  });

  it('is a 404 in the admin error shape when missing', async () => {
    const answer = await env.api<{ error: { code: string } }>('GET', '/api/logs/999999');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

/** A small RFC 4180 reader for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('GET /api/logs.csv', () => {
  it('streams a CSV attachment with a header, quoted fields and the same filters', async () => {
    const response = await fetch(`${env.url}/api/logs.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const text = await response.text();
    expect(text).not.toContain('sk-client-secret');
    const rows = parseCsv(text);
    const header = rows[0]!;
    expect(header).toEqual(expect.arrayContaining(['id', 'time', 'status', 'error_message', 'client_key']));
    expect(rows).toHaveLength(6);
    const col = (name: string) => header.indexOf(name);
    const limited = rows.find((r) => r[col('status')] === '429')!;
    expect(limited[col('error_message')]).toBe('Too many, "slow down", please\nnext line');
    expect(limited[col('account_email')]).toBe('');
    expect(text).toContain('"Too many, ""slow down"", please\nnext line"');
    expect(rows.filter((r) => r[col('account_email')] === A)).toHaveLength(3);

    const filtered = parseCsv(await (await fetch(`${env.url}/api/logs.csv?status=error`)).text());
    expect(filtered.slice(1).map((r) => r[col('status')])).toEqual(['503', '429']);
  });
});

describe('DELETE /api/logs', () => {
  it('removes every row and answers how many', async () => {
    const answer = await env.api<{ deleted: number }>('DELETE', '/api/logs');
    expect(answer).toEqual({ status: 200, body: { deleted: 5 } });
    expect((await list()).logs).toEqual([]);
    expect(await proxied()).toBe(200);
    env.server.ctx.proxy.log.flush();
    expect((await list()).logs).toHaveLength(1);
  });
});
