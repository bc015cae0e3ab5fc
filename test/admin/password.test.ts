import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.ts';
import { startServer } from '../../src/server/serve.ts';
import { DATABASE_FILE_NAME } from '../../src/store/database.ts';
import { simulatorSettings, startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { tempDir } from '../helpers/cli.ts';

const FIRST = { newPassword: 'first-dashboard-pass' };
const SECOND = 'second-dashboard-pass';
const FROM_ENV = { adminPassword: 'password-from-the-environment' };

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T & { error?: { code: string; message: string } };
  cookie?: string;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${env!.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const setCookie = response.headers.get('set-cookie');
  return {
    status: response.status,
    body: text ? JSON.parse(text) : {},
    cookie: setCookie ? setCookie.split(';')[0] : undefined,
  } as Answer;
}

const change = (body: unknown, headers?: Record<string, string>) =>
  call('PUT', '/api/auth/password', body, headers);
const login = (password: string) => call('POST', '/api/auth/login', { password });
const accounts = (headers: Record<string, string> = {}) => call('GET', '/api/accounts', undefined, headers);

describe('PUT /api/auth/password', () => {
  it('sets a password from the dashboard: the API then asks for it, by session or Bearer', async () => {
    env = await startTestEnvironment();
    expect((await call('GET', '/api/auth/status')).body).toEqual({ passwordRequired: false, signedIn: true });

    const set = await change(FIRST);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ passwordRequired: true, signedIn: true });
    expect(set.cookie).toMatch(/^bm_session=.+/);

    expect((await accounts()).status).toBe(401);
    expect((await call('GET', '/api/auth/status')).body).toEqual({ passwordRequired: true, signedIn: false });
    expect((await call('GET', '/api/auth/status', undefined, { cookie: set.cookie! })).body.signedIn).toBe(
      true,
    );
    // The caller's own session goes on.
    expect((await accounts({ cookie: set.cookie! })).status).toBe(200);

    expect((await login('wrong-password-here')).status).toBe(401);
    const signedIn = await login(FIRST.newPassword);
    expect(signedIn.status).toBe(200);
    expect((await accounts({ cookie: signedIn.cookie! })).status).toBe(200);
    expect((await accounts({ authorization: `Bearer ${FIRST.newPassword}` })).status).toBe(200);
    // Remembered after the first check, and still right.
    expect((await accounts({ authorization: `Bearer ${FIRST.newPassword}` })).status).toBe(200);
    expect((await accounts({ authorization: 'Bearer wrong-password-here' })).status).toBe(401);

    const config = await call('GET', '/api/config', undefined, { cookie: signedIn.cookie! });
    expect(config.body).toMatchObject({
      settings: { server: { adminPasswordSet: true, adminPasswordSource: 'stored' } },
    });
    expect(JSON.stringify(config.body)).not.toContain(FIRST.newPassword);
  });

  it('changes it only with the current password, and signs every other session out', async () => {
    env = await startTestEnvironment();
    await change(FIRST);
    const other = (await login(FIRST.newPassword)).cookie!;
    const mine = (await login(FIRST.newPassword)).cookie!;

    const missing = await change({ newPassword: SECOND }, { cookie: mine });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'unauthorized' });
    const wrong = await change(
      { currentPassword: 'not-the-password', newPassword: SECOND },
      { cookie: mine },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error!.message).toBe('The current password is wrong');

    const changed = await change(
      { currentPassword: FIRST.newPassword, newPassword: SECOND },
      { cookie: mine },
    );
    expect(changed.status).toBe(200);
    expect((await accounts({ cookie: other })).status).toBe(401);
    expect((await accounts({ cookie: mine })).status).toBe(401);
    expect((await accounts({ cookie: changed.cookie! })).status).toBe(200);
    expect((await login(FIRST.newPassword)).status).toBe(401);
    expect((await accounts({ authorization: `Bearer ${FIRST.newPassword}` })).status).toBe(401);
    expect((await accounts({ authorization: `Bearer ${SECOND}` })).status).toBe(200);
  });

  it('removes it (newPassword null): the API is open to this machine again', async () => {
    env = await startTestEnvironment();
    await change(FIRST);
    const removed = await change({ currentPassword: FIRST.newPassword, newPassword: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ passwordRequired: false, signedIn: true });
    expect((await call('GET', '/api/auth/status')).body).toEqual({ passwordRequired: false, signedIn: true });
    expect((await accounts()).status).toBe(200);
    const config = await call('GET', '/api/config');
    expect(config.body).toMatchObject({ settings: { server: { adminPasswordSet: false } } });
  });

  it.each([
    ['a short password', { newPassword: 'short' }, 'newPassword'],
    ['no newPassword', {}, 'newPassword'],
    ['an unknown field', { newPassword: SECOND, extra: true }, 'extra'],
  ])('answers 400 for %s', async (_name, body, field) => {
    env = await startTestEnvironment();
    const answer = await change(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error!.message).toContain(field);
    expect((await call('GET', '/api/auth/status')).body.passwordRequired).toBe(false);
  });

  it('answers 409 when the password comes from the environment or config file, which wins', async () => {
    env = await startTestEnvironment({ settings: { server: FROM_ENV } });
    const answer = await change({ currentPassword: FROM_ENV.adminPassword, newPassword: SECOND });
    expect(answer.status).toBe(409);
    expect(answer.body.error!.code).toBe('password_from_config');
    expect(answer.body.error!.message).toMatch(/environment.*config file/);
    const config = await call('GET', '/api/config', undefined, {
      authorization: `Bearer ${FROM_ENV.adminPassword}`,
    });
    expect(config.body).toMatchObject({
      settings: { server: { adminPasswordSet: true, adminPasswordSource: 'config' } },
    });
  });

  it('lets a configured password win over one stored before', async () => {
    const dataDir = tempDir();
    env = await startTestEnvironment({ dataDir });
    await change(FIRST);
    await env.close();
    env = await startTestEnvironment({ dataDir, settings: { server: FROM_ENV } });
    expect((await login(FIRST.newPassword)).status).toBe(401);
    expect((await login(FROM_ENV.adminPassword)).status).toBe(200);
  });

  it('limits wrong Bearer passwords against a stored hash like sign-ins', async () => {
    env = await startTestEnvironment();
    await change(FIRST);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await accounts({ authorization: `Bearer guess-number-${i}` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it('stores an scrypt hash, never the password, in the database file', async () => {
    const dataDir = tempDir();
    env = await startTestEnvironment({ dataDir });
    await change(FIRST);
    await env.close();
    env = undefined;
    const path = join(dataDir, DATABASE_FILE_NAME);
    expect(readFileSync(path).includes(FIRST.newPassword)).toBe(false);
    const db = new DatabaseSync(path, { readOnly: true });
    const row = db.prepare('SELECT password_hash FROM admin_credentials').get() as { password_hash: string };
    db.close();
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.password_hash).not.toContain(FIRST.newPassword);
  });
});

describe('a stored password and the start on a non-loopback host', () => {
  it('passes the start check, and cannot be removed while the server listens beyond loopback', async () => {
    const dataDir = tempDir();
    const sim = await startSimulator();
    try {
      const start = (host: string) =>
        startServer({
          dataDir,
          env: {},
          flags: { kind: 'flag', label: 'test', values: simulatorSettings(sim, { server: { host } }) },
        });
      await expect(start('0.0.0.0')).rejects.toThrow(
        /Refusing to listen on 0\.0\.0\.0 without an admin password/,
      );

      env = await startTestEnvironment({ dataDir });
      await change(FIRST);
      await env.close();
      env = undefined;

      const server = await start('0.0.0.0');
      try {
        const port = new URL(server.url).port;
        const removal = await fetch(`http://127.0.0.1:${port}/api/auth/password`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ currentPassword: FIRST.newPassword, newPassword: null }),
        });
        expect(removal.status).toBe(409);
        expect(((await removal.json()) as { error: { code: string } }).error.code).toBe('password_required');
      } finally {
        await server.stop(1000);
      }
    } finally {
      await sim.close();
    }
  });
});
