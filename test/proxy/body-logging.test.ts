import { afterEach, describe, expect, it } from 'vitest';
import type { StoredLogRow } from '../../src/monitor/request-log.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

const MODEL = 'gemini-3-flash';
const LEAKED_KEY = `sk-${'a'.repeat(40)}`;

interface Detail extends StoredLogRow {
  requestBody?: string;
  responseBody?: string;
}

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(bodies: boolean, bodyMaxKb = 64): Promise<TestEnvironment> {
  env = await startTestEnvironment({ settings: { logging: { bodies, bodyMaxKb } } });
  await env.importAccounts('alice.pro@gmail.com');
  return env;
}

async function send(
  target: TestEnvironment,
  path: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** The newest log row with its bodies, once the batched writer stored it. */
async function newestDetail(target: TestEnvironment, count: number): Promise<Detail> {
  let rows: StoredLogRow[] = [];
  await expect
    .poll(async () => {
      rows = (await target.api<{ logs: StoredLogRow[] }>('GET', '/api/logs')).body.logs;
      return rows.length;
    })
    .toBeGreaterThanOrEqual(count);
  return (await target.api<Detail>('GET', `/api/logs/${rows[0]!.id}`)).body;
}

describe('body logging (logging.bodies)', () => {
  it('stores the request and the answer sent, with credentials masked', async () => {
    const target = await start(true);
    const prompt = `Summarise this config: {"apiKey": "hunter2-secret", "note": "${LEAKED_KEY}"}`;
    const answer = await send(target, `/v1beta/models/${MODEL}:generateContent`, {
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
    });
    expect(answer.status).toBe(200);
    const detail = await newestDetail(target, 1);
    expect(detail.requestBody).toContain('Summarise this config');
    expect(detail.requestBody).not.toContain(LEAKED_KEY);
    expect(detail.requestBody).toContain('[redacted]');
    expect(detail.responseBody).toBe(answer.text);
    // The list and the live feed carry no bodies.
    const list = (await target.api<{ logs: Detail[] }>('GET', '/api/logs')).body.logs;
    expect(list[0]!.requestBody).toBeUndefined();
  });

  it('keeps a stream as the client received it, cut at logging.bodyMaxKb', async () => {
    const target = await start(true, 1);
    const long = 'word '.repeat(600);
    const answer = await send(target, `/v1/chat/completions`, {
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: long }],
    });
    expect(answer.status).toBe(200);
    const detail = await newestDetail(target, 1);
    expect(detail.requestBody!.length).toBeLessThan(1024 + 20);
    expect(detail.requestBody).toMatch(/\[truncated\]$/);
    expect(detail.responseBody).toContain('data: ');
    expect(answer.text.startsWith(detail.responseBody!.replace(/\n\[truncated\]$/, ''))).toBe(true);
  });

  it('stores the error answer of a refused request', async () => {
    const target = await start(true);
    const answer = await send(target, `/v1/messages`, {
      model: 'no-such-model',
      max_tokens: 5,
      messages: [],
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const detail = await newestDetail(target, 1);
    expect(detail.responseBody).toBe(answer.text);
  });

  it('stores no body when the setting is off (the default)', async () => {
    const target = await start(false);
    expect(
      (
        await send(target, `/v1beta/models/${MODEL}:generateContent`, {
          contents: [{ parts: [{ text: 'hi' }] }],
        })
      ).status,
    ).toBe(200);
    const detail = await newestDetail(target, 1);
    expect(detail.requestBody).toBeUndefined();
    expect(detail.responseBody).toBeUndefined();
  });
});
