import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

let env: TestEnvironment;
let aliceId: string;
beforeAll(async () => {
  env = await startTestEnvironment();
  const imported = await env.api<{ results: Array<{ id: string }> }>('POST', '/api/accounts/import', {
    refreshTokens: [env.sim.account('alice.pro@gmail.com').refreshToken],
  });
  aliceId = imported.body.results[0]!.id;
});
afterAll(async () => {
  await env.close();
});

async function send(method: string, path: string, body?: string, contentType = 'application/json') {
  const response = await fetch(`${env.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: text ? (JSON.parse(text) as { error?: { code?: string; message?: string } }) : undefined,
  };
}

const cases: Array<[string, string, string | undefined, number]> = [
  ['POST', '/api/accounts/import', '{"refreshTokens": [', 400],
  ['POST', '/api/accounts/import', '{"refreshTokens": 42}', 400],
  ['POST', '/api/accounts/import', '{"refreshTokens": []}', 400],
  ['POST', '/api/accounts/import', '{"accounts": "nope"}', 400],
  ['POST', '/api/accounts/import', '{"something": "else"}', 400],
  ['POST', '/api/accounts/import', 'null', 400],
  ['POST', '/api/accounts/import', '"1//just-a-string"', 400],
  ['PATCH', '/api/accounts/ALICE', '{"enabled": "yes"}', 400],
  ['PATCH', '/api/accounts/ALICE', '{"label": 12}', 400],
  ['PATCH', '/api/accounts/ALICE', '{"priority": 1.5}', 400],
  ['PATCH', '/api/accounts/ALICE', '{"unknownField": true}', 400],
  ['PATCH', '/api/accounts/ALICE', '{}', 400],
  ['PATCH', '/api/accounts/ALICE', '[]', 400],
  ['PATCH', '/api/accounts/no-such-id', '{"enabled": false}', 404],
  ['GET', '/api/accounts/no-such-id', undefined, 404],
  ['DELETE', '/api/accounts/no-such-id', undefined, 404],
  ['POST', '/api/accounts/no-such-id/refresh', undefined, 404],
  ['POST', '/api/accounts/no-such-id/current', undefined, 404],
  ['POST', '/api/oauth/complete', '{"state": "x"}', 400],
  ['POST', '/api/oauth/complete', '{"state": 5, "code": "4/0abc"}', 400],
  ['POST', '/api/oauth/complete', '{"state": "never-started", "code": "4/0abcdefghijk"}', 404],
  ['GET', '/api/oauth/status/never-started', undefined, 404],
  ['PUT', '/api/config', '{"ui": {"theme": 7}}', 400],
  ['PUT', '/api/config', '{"ui": ', 400],
  ['PUT', '/api/config', '{"nonsense": {}}', 400],
  ['GET', '/api/nope', undefined, 404],
];

describe('bad input to the accounts and OAuth routes', () => {
  it.each(cases)('%s %s %s → %i in the admin error shape', async (method, path, body, status) => {
    const answer = await send(method, path.replace('ALICE', aliceId), body);
    expect(answer.status).toBe(status);
    expect(answer.json?.error?.code).toEqual(expect.any(String));
    expect(answer.json?.error?.message).toEqual(expect.any(String));
    expect(answer.text).not.toMatch(/\n\s+at /);
  });

  it('refuses a huge body with 413, not a crash', async () => {
    const huge = JSON.stringify({ refreshTokens: Array.from({ length: 12 }, () => 'x'.repeat(1024 * 1024)) });
    const importAnswer = await send('POST', '/api/accounts/import', huge);
    expect(importAnswer.status).toBe(413);
    expect(importAnswer.json?.error?.code).toBe('body_too_large');
    const patchAnswer = await send(
      'PATCH',
      `/api/accounts/${aliceId}`,
      JSON.stringify({ label: 'y'.repeat(2 * 1024 * 1024) }),
    );
    expect(patchAnswer.status).toBe(413);
  });

  it('refuses a wrong content type', async () => {
    const answer = await send(
      'POST',
      '/api/accounts/import',
      'refreshTokens=1',
      'application/x-www-form-urlencoded',
    );
    expect(answer.status).toBe(415);
    expect(answer.json?.error?.code).toBe('unsupported_media_type');
  });

  it('a storm of random bodies never yields a 5xx', async () => {
    const bodies = [
      '{',
      '{}',
      '[]',
      '0',
      'true',
      '{"accounts":[{}]}',
      '{"accounts":[null,1,"",{"refresh_token":5}]}',
      '{"refreshTokens":[1,null,{}]}',
    ];
    for (const body of bodies) {
      for (const [method, path] of [
        ['POST', '/api/accounts/import'],
        ['PATCH', `/api/accounts/${aliceId}`],
        ['POST', '/api/oauth/complete'],
        ['PUT', '/api/config'],
      ] as const) {
        const answer = await send(method, path, body);
        expect(answer.status, `${method} ${path} ${body}`).toBeLessThan(500);
      }
    }
  });
});
