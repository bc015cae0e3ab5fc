import { createHash, randomBytes } from 'node:crypto';
import { bearerToken, sendJson, sendRpcError, type Exchange } from './http.ts';
import { CODE_LIFETIME_MS } from './oauth-store.ts';
import { userinfoUnauthenticated } from './rpc-errors.ts';
import type { SimState } from './state.ts';
import type { SimAccountState } from './types.ts';
import { isPlainObject } from '../util/json.ts';

/** Google OAuth 2.0 for installed apps (wire.md §1): authorize, token, userinfo. */

const NO_STORE = {
  'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
  pragma: 'no-cache',
};

function oauthError(ex: Exchange, status: number, error: string, description: string): void {
  sendJson(ex, status, { error, error_description: description }, NO_STORE);
}

/** Google renders authorize errors as a page, not a redirect, when the client or redirect is bad. */
function errorPage(ex: Exchange, status: number, title: string, detail: string): void {
  ex.record.status = status;
  ex.res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  ex.res.end(`<!doctype html><title>${title}</title><h1>Access blocked</h1><p>${title}</p><p>${detail}</p>`);
}

function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

function redirect(ex: Exchange, target: string, params: Record<string, string>): void {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  ex.record.status = 302;
  ex.res.writeHead(302, { location: url.toString(), 'content-type': 'text/html; charset=UTF-8' });
  ex.res.end();
}

export function authorize(ex: Exchange, state: SimState): void {
  const q = ex.url.searchParams;
  const clientId = q.get('client_id');
  if (clientId !== state.clientId) {
    errorPage(ex, 401, 'Error 401: invalid_client', 'The OAuth client was not found.');
    return;
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!isLoopback(redirectUri)) {
    errorPage(ex, 400, 'Error 400: redirect_uri_mismatch', 'Use a loopback redirect URI for installed apps.');
    return;
  }
  const stateParam = q.get('state');
  const echo: Record<string, string> = stateParam === null ? {} : { state: stateParam };
  if (q.get('response_type') !== 'code') {
    redirect(ex, redirectUri, { ...echo, error: 'unsupported_response_type' });
    return;
  }
  const scope = q.get('scope');
  if (!scope) {
    errorPage(ex, 400, 'Error 400: invalid_request', 'Missing required parameter: scope');
    return;
  }
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
  if (challenge && method !== 'S256' && method !== 'plain') {
    errorPage(ex, 400, 'Error 400: invalid_request', 'Invalid code_challenge_method');
    return;
  }
  if (state.denyNextLogin) {
    state.denyNextLogin = false;
    redirect(ex, redirectUri, { error: 'access_denied', ...echo });
    return;
  }
  const hinted = state.findAccount(q.get('login_hint') ?? '');
  const email = hinted?.email ?? state.pendingLogin ?? state.accountList[0]?.email;
  if (!hinted) state.pendingLogin = undefined;
  if (!email) {
    errorPage(ex, 400, 'Error 400: no accounts', 'The simulator has no accounts.');
    return;
  }
  ex.record.account = email;
  const code = state.oauth.createCode({
    email,
    clientId,
    redirectUri,
    scope,
    challenge,
    challengeMethod: method,
    offline: q.get('access_type') === 'offline',
    forceConsent: (q.get('prompt') ?? '').split(' ').includes('consent'),
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  redirect(ex, redirectUri, { ...echo, code, scope, authuser: '0', prompt: 'consent' });
}

function idToken(account: SimAccountState, state: SimState, now: number): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(now / 1000);
  const fixture = account.fixture;
  const claims: Record<string, unknown> = {
    iss: 'https://accounts.google.com',
    azp: state.clientId,
    aud: state.clientId,
    sub: account.userId,
    email: account.email,
    email_verified: true,
    name: fixture.name,
    given_name: fixture.givenName,
    family_name: fixture.familyName,
    hd: fixture.hd,
    iat,
    exp: iat + 3600,
  };
  return `${encode({ alg: 'RS256', kid: 'simulator', typ: 'JWT' })}.${encode(claims)}.${randomBytes(256).toString('base64url')}`;
}

function tokenResponse(
  account: SimAccountState,
  state: SimState,
  scope: string,
  refreshToken?: string,
): Record<string, unknown> {
  const now = Date.now();
  const body: Record<string, unknown> = {
    access_token: state.oauth.issueAccess(account.email, state.tokenLifetimeSeconds, now),
    expires_in: state.tokenLifetimeSeconds,
  };
  if (refreshToken) body.refresh_token = refreshToken;
  body.scope = scope;
  body.token_type = 'Bearer';
  if (/\b(openid|userinfo\.email)\b/.test(scope)) body.id_token = idToken(account, state, now);
  return body;
}

function clientCredentials(ex: Exchange, form: Record<string, string>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(ex.req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return {
      id: id ? decodeURIComponent(id) : undefined,
      secret: secret ? decodeURIComponent(secret) : undefined,
    };
  }
  return { id: form.client_id, secret: form.client_secret };
}

function verifierMatches(grant: { challenge?: string; challengeMethod?: string }, verifier: string): boolean {
  const derived =
    grant.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === grant.challenge;
}

function codeGrant(ex: Exchange, state: SimState, form: Record<string, string>, clientId: string): void {
  if (!form.code) return oauthError(ex, 400, 'invalid_request', 'Missing required parameter: code');
  if (!form.redirect_uri)
    return oauthError(ex, 400, 'invalid_request', 'Missing required parameter: redirect_uri');
  const grant = state.oauth.findCode(form.code, Date.now());
  if (!grant || grant.clientId !== clientId) return oauthError(ex, 400, 'invalid_grant', 'Bad Request');
  if (grant.redirectUri !== form.redirect_uri)
    return oauthError(ex, 400, 'redirect_uri_mismatch', 'Bad Request');
  if (grant.challenge !== undefined) {
    if (!form.code_verifier) return oauthError(ex, 400, 'invalid_grant', 'Missing code verifier.');
    if (!verifierMatches(grant, form.code_verifier)) {
      return oauthError(ex, 400, 'invalid_grant', 'Invalid code verifier.');
    }
  }
  state.oauth.consumeCode(form.code);
  const account = state.account(grant.email);
  ex.record.account = account.email;
  // A refresh token comes with offline access on first consent or when consent is forced again.
  let refreshToken: string | undefined;
  if (grant.offline && (grant.forceConsent || !account.consented)) {
    refreshToken = state.oauth.issueRefresh(account.email, grant.scope);
    account.refreshToken = refreshToken;
  }
  account.consented = true;
  sendJson(ex, 200, tokenResponse(account, state, grant.scope, refreshToken), NO_STORE);
}

function refreshGrant(ex: Exchange, state: SimState, form: Record<string, string>): void {
  if (!form.refresh_token)
    return oauthError(ex, 400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = state.oauth.lookupRefresh(form.refresh_token);
  if (grant) {
    ex.record.account = grant.email;
    state.count('refreshGrant', grant.email);
  } else {
    state.count('refreshGrant');
  }
  if (state.refreshFailures.count > 0) {
    state.refreshFailures.count -= 1;
    return oauthError(ex, state.refreshFailures.status, 'internal_failure', 'Backend Error');
  }
  if (!grant || grant.revoked)
    return oauthError(ex, 400, 'invalid_grant', 'Token has been expired or revoked.');
  sendJson(ex, 200, tokenResponse(state.account(grant.email), state, grant.scope), NO_STORE);
}

export function token(ex: Exchange, state: SimState): void {
  const form: Record<string, string> = {};
  if (isPlainObject(ex.body))
    for (const [k, v] of Object.entries(ex.body)) if (typeof v === 'string') form[k] = v;
  const grantType = form.grant_type;
  if (!grantType) return oauthError(ex, 400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return oauthError(ex, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  }
  if (grantType === 'authorization_code') state.count('codeGrant');
  const client = clientCredentials(ex, form);
  if (!client.id)
    return oauthError(ex, 400, 'invalid_request', 'Could not determine client ID from request.');
  if (client.id !== state.clientId)
    return oauthError(ex, 401, 'invalid_client', 'The OAuth client was not found.');
  if (!client.secret) return oauthError(ex, 400, 'invalid_request', 'client_secret is missing.');
  if (client.secret !== state.clientSecret) return oauthError(ex, 401, 'invalid_client', 'Unauthorized');
  if (grantType === 'authorization_code') codeGrant(ex, state, form, client.id);
  else refreshGrant(ex, state, form);
}

export function userinfo(ex: Exchange, state: SimState): void {
  state.count('userinfo');
  const accessToken = bearerToken(ex.req) ?? ex.url.searchParams.get('access_token') ?? '';
  const found = state.oauth.lookupAccess(accessToken, Date.now());
  if (typeof found === 'string') return sendRpcError(ex, userinfoUnauthenticated());
  const account = state.account(found.email);
  ex.record.account = account.email;
  const f = account.fixture;
  const profile: Record<string, unknown> = { id: account.userId, email: account.email, verified_email: true };
  if (f.name) profile.name = f.name;
  if (f.givenName) profile.given_name = f.givenName;
  if (f.familyName) profile.family_name = f.familyName;
  profile.picture = f.picture ?? `https://lh3.googleusercontent.com/a/sim-${account.userId.slice(-8)}=s96-c`;
  if (f.hd) profile.hd = f.hd;
  sendJson(ex, 200, profile);
}
