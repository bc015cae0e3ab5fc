import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment({ settings: { limits: { bodyMb: 1 } } });
});
afterAll(async () => {
  await env.close();
});

/** Each route family, with a check that the answer is in its protocol's error shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check reads its own protocol's shape
const ROUTES: Array<{ path: string; headers?: Record<string, string>; shape: (body: any) => boolean }> = [
  {
    path: '/v1beta/models/gemini-3-flash:generateContent',
    shape: (body) => body?.error?.code === 413 && typeof body.error.status === 'string',
  },
  {
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    shape: (body) => body?.type === 'error' && body.error?.type === 'request_too_large',
  },
  { path: '/v1/chat/completions', shape: (body) => body?.error?.type === 'invalid_request_error' },
  { path: '/v1/responses', shape: (body) => body?.error?.type === 'invalid_request_error' },
  { path: '/api/config', shape: (body) => typeof body?.error?.code === 'string' },
];

const OVER_LIMIT = 1.5 * 1024 * 1024;

/**
 * Sends `bytes` of a JSON body, chunked or with a Content-Length, and answers as soon as the
 * server does: with `holdOpen`, the body is never finished, so an answer proves the server did
 * not wait for the rest.
 */
function send(
  path: string,
  headers: Record<string, string>,
  options: { chunked: boolean; holdOpen: boolean },
): Promise<{ status: number; body: unknown }> {
  const url = new URL(env.url);
  const payload = Buffer.from(`{"model":"x","pad":"${'a'.repeat(OVER_LIMIT)}"}`);
  return new Promise((resolve, reject) => {
    const client = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: path.startsWith('/api/') ? 'PUT' : 'POST',
        headers: {
          'content-type': 'application/json',
          ...headers,
          ...(options.chunked
            ? {}
            : { 'content-length': String(payload.length * (options.holdOpen ? 2 : 1)) }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          client.destroy();
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    client.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket once it has answered: that is not a failure of the test.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    for (let offset = 0; offset < payload.length; offset += 64 * 1024)
      client.write(payload.subarray(offset, offset + 64 * 1024));
    if (!options.holdOpen) client.end();
    setTimeout(() => reject(new Error(`no answer from ${path} within 5 s`)), 5000).unref();
  });
}

describe('request body limits', () => {
  for (const route of ROUTES) {
    for (const chunked of [false, true]) {
      it(`${route.path}: a body over the limit sent ${chunked ? 'chunked' : 'with Content-Length'} is a 413 in the caller's shape, before the rest is read`, async () => {
        const answer = await send(route.path, route.headers ?? {}, { chunked, holdOpen: true });
        expect(answer.status).toBe(413);
        expect(route.shape(answer.body), JSON.stringify(answer.body)).toBe(true);
      });
    }
  }

  it('the server keeps serving afterwards', async () => {
    const health = await fetch(`${env.url}/health`);
    expect(health.status).toBe(200);
  });
});
