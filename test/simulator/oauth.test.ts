import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FREE, PRO, accessToken, hello, rpc, type RpcBody } from './helpers.ts';

const REDIRECT = 'http://localhost:51121/oauth-callback';
const SCOPES =
  'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

function authorizeUrl(extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: sim.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: SCOPES,
    access_type: 'offline',
    prompt: 'consent',
    state: 'st-123',
    ...extra,
  });
  return `${sim.authUrl}?${params}`;
}

async function authorize(extra: Record<string, string> = {}): Promise<URL> {
  const res = await fetch(authorizeUrl(extra), { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

function tokenRequest(form: Record<string, string>): Promise<Response> {
  return fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, ...form }),
  });
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code flow', () => {
  it('signs in the chosen account with PKCE and returns Google-shaped tokens', async () => {
    const { verifier, challenge } = pkce();
    sim.nextLogin(FREE);
    const callback = await authorize({ code_challenge: challenge, code_challenge_method: 'S256' });
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('st-123');
    expect(callback.searchParams.get('scope')).toBe(SCOPES);
    const code = callback.searchParams.get('code') ?? '';
    expect(code).toMatch(/^4\/0A/);

    const before = sim.counts.codeGrant;
    const res = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.access_token).toMatch(/^ya29\./);
    expect(body.refresh_token).toMatch(/^1\/\/0g/);
    expect(body.expires_in).toBe(3599);
    expect(body.token_type).toBe('Bearer');
    expect(String(body.id_token).split('.')).toHaveLength(3);
    expect(sim.counts.codeGrant).toBe(before + 1);
    expect(sim.account(FREE).refreshToken).toBe(body.refresh_token);

    const info = await fetch(sim.userinfoUrl, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(((await info.json()) as { email: string }).email).toBe(FREE);

    const reuse = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({ error: 'invalid_grant', error_description: 'Bad Request' });
  });

  it('refuses a wrong or missing PKCE verifier', async () => {
    const { challenge } = pkce();
    const code =
      (await authorize({ code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get(
        'code',
      ) ?? '';
    const wrong = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: 'nope',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid code verifier.',
    });
    const missing = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(await missing.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Missing code verifier.',
    });
  });

  it('signs in the first fixture account by default and keeps the old refresh token valid', async () => {
    const old = sim.account(PRO).refreshToken;
    const code = (await authorize()).searchParams.get('code') ?? '';
    const res = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    const fresh = ((await res.json()) as { refresh_token: string }).refresh_token;
    expect(fresh).not.toBe(old);
    expect(sim.account(PRO).refreshToken).toBe(fresh);
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: old })).status).toBe(200);
  });

  it('redirects with access_denied when the next login is denied', async () => {
    sim.denyNextLogin();
    const callback = await authorize();
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('st-123');
    expect(callback.searchParams.has('code')).toBe(false);
    expect((await authorize()).searchParams.has('code')).toBe(true);
  });

  it('validates the authorize request', async () => {
    expect((await fetch(authorizeUrl({ client_id: 'someone-else' }), { redirect: 'manual' })).status).toBe(
      401,
    );
    expect(
      (await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' })).status,
    ).toBe(400);
    expect((await authorize({ response_type: 'token' })).searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });

  it('answers the token endpoint errors of wire.md §1.5', async () => {
    const code = (await authorize()).searchParams.get('code') ?? '';
    const mismatch = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://localhost:1/x',
    });
    expect(await mismatch.json()).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'Bad Request',
    });
    const badSecret = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_secret: 'wrong',
    });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
    const badClient = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'other',
    });
    expect(await badClient.json()).toEqual({
      error: 'invalid_client',
      error_description: 'The OAuth client was not found.',
    });
    const missing = await tokenRequest({ grant_type: 'authorization_code', redirect_uri: REDIRECT });
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: code',
    });
    const grant = await tokenRequest({ grant_type: 'password' });
    expect(await grant.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: password',
    });
  });
});

describe('refresh grant and knobs', () => {
  it('counts refreshes per account and refuses a revoked token', async () => {
    const before = sim.counts.refreshGrantByEmail[FREE] ?? 0;
    await accessToken(sim, FREE);
    expect(sim.counts.refreshGrantByEmail[FREE]).toBe(before + 1);
    sim.revokeRefreshToken(FREE);
    const res = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: sim.account(FREE).refreshToken,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });

    sim.nextLogin(FREE);
    const code = (await authorize()).searchParams.get('code') ?? '';
    await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(await accessToken(sim, FREE)).toMatch(/^ya29\./);
  });

  it('fails the next refreshes transiently, then recovers', async () => {
    sim.failRefreshes(2, 503);
    const form = { grant_type: 'refresh_token', refresh_token: sim.account(PRO).refreshToken };
    expect((await tokenRequest(form)).status).toBe(503);
    expect((await tokenRequest(form)).status).toBe(503);
    expect((await tokenRequest(form)).status).toBe(200);
  });

  it('enforces access token expiry on userinfo and v1internal', async () => {
    sim.setTokenLifetime(0);
    const expired = await accessToken(sim, PRO);
    sim.setTokenLifetime(3599);
    const info = await fetch(sim.userinfoUrl, { headers: { authorization: `Bearer ${expired}` } });
    expect(info.status).toBe(401);
    expect(((await info.json()) as RpcBody).error.status).toBe('UNAUTHENTICATED');
    const call = await rpc(sim, expired, 'loadCodeAssist', {});
    expect(call.status).toBe(401);
    const body = (await call.json()) as RpcBody;
    expect(body.error.details?.[0]?.reason).toBe('ACCESS_TOKEN_EXPIRED');
    const missing = await fetch(`${sim.url}/v1internal:generateContent`, {
      method: 'POST',
      body: JSON.stringify(hello()),
    });
    expect(((await missing.json()) as RpcBody).error.details?.[0]?.reason).toBe('CREDENTIALS_MISSING');
  });
});

describe('userinfo', () => {
  it('serves the same profile on v1 and v2', async () => {
    const token = await accessToken(sim, PRO);
    const headers = { authorization: `Bearer ${token}` };
    const v2 = (await (await fetch(sim.userinfoUrl, { headers })).json()) as Record<string, unknown>;
    const v1 = (await (await fetch(`${sim.url}/oauth2/v1/userinfo`, { headers })).json()) as Record<
      string,
      unknown
    >;
    expect(v1).toEqual(v2);
    expect(v2).toMatchObject({ email: PRO, verified_email: true, given_name: 'Alice' });
    expect(String(v2.id)).toMatch(/^\d{21}$/);
    expect(v2.hd).toBeUndefined();
    const bogus = await fetch(sim.userinfoUrl, { headers: { authorization: 'Bearer ya29.forged' } });
    expect(bogus.status).toBe(401);
  });
});
