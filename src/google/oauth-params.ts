/**
 * Google OAuth 2.0 as Antigravity uses it (wire.md §1): scopes, PKCE, the authorize URL, the pasted callback,
 * token responses and token-endpoint errors. No network; randomness comes from node:crypto.
 */
import { createHash, randomBytes } from 'node:crypto';

export const OAUTH_SCOPES: readonly string[] = Object.freeze([
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/cclog',
  'https://www.googleapis.com/auth/experimentsandconfigs',
]);

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** 32 random bytes give a 43-char base64url verifier, the RFC 7636 minimum length at full entropy. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function createState(): string {
  return randomBytes(16).toString('hex');
}

export interface AuthorizeUrlParams {
  authUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const url = new URL(params.authUrl);
  const query: Array<[string, string]> = [
    ['client_id', params.clientId],
    ['redirect_uri', params.redirectUri],
    ['response_type', 'code'],
    ['scope', OAUTH_SCOPES.join(' ')],
    // offline + consent: without both, Google returns no refresh token on a re-login.
    ['access_type', 'offline'],
    ['prompt', 'consent'],
    ['state', params.state],
    ['code_challenge', params.codeChallenge],
    ['code_challenge_method', 'S256'],
    ['include_granted_scopes', 'true'],
  ];
  for (const [key, value] of query) url.searchParams.set(key, value);
  return url.toString();
}

export type CallbackInput = { code: string; state?: string } | { error: string; state?: string };

const CALLBACK_HELP =
  'Paste the whole address the browser was sent to (…/oauth-callback?code=…&state=…) or the authorization code itself (it starts with 4/).';

function fromQuery(params: URLSearchParams): CallbackInput | undefined {
  const state = params.get('state')?.trim() || undefined;
  const error = params.get('error')?.trim();
  if (error) return state === undefined ? { error } : { error, state };
  const code = params.get('code')?.trim();
  if (code) return state === undefined ? { code } : { code, state };
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads what a user pasted in the headless flow (ACP `extractCodeFromInput`): a callback URL with any host,
 * a bare query string, or the raw code. Throws with a message the dashboard can show as is.
 */
export function parseCallbackInput(input: string): CallbackInput {
  const text = input.trim();
  if (text === '') throw new Error(`Nothing was pasted. ${CALLBACK_HELP}`);

  let query: string | undefined;
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`That address could not be read. ${CALLBACK_HELP}`);
    }
    query = url.search !== '' ? url.search : url.hash.replace(/^#/, '');
  } else if (text.includes('?')) {
    query = text.slice(text.indexOf('?'));
  } else if (/(^|&)(code|error)=/.test(text)) {
    query = text;
  }
  if (query !== undefined) {
    const parsed = fromQuery(new URLSearchParams(query));
    if (!parsed) throw new Error(`The pasted address has no code= or error= parameter. ${CALLBACK_HELP}`);
    return parsed;
  }

  const code = safeDecode(text).trim();
  if (code.length < 10 || !/^[\w\-./~+]+$/.test(code)) {
    throw new Error(`That does not look like an authorization code. ${CALLBACK_HELP}`);
  }
  return { code };
}

export interface TokenResponse {
  accessToken: string;
  /** Seconds, as issued (Google: 3599). */
  expiresIn: number;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`Token response field ${key} is not a string.`);
  return value === '' ? undefined : value;
}

/** Validates a token endpoint 200 body. Error messages name fields only, never values (they are secrets). */
export function parseTokenResponse(body: unknown): TokenResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('Token response is not a JSON object.');
  }
  const record = body as Record<string, unknown>;
  if (typeof record.error === 'string') {
    const error = parseOAuthError(200, record);
    throw new Error(
      `Token endpoint answered ${error.error}${error.description ? `: ${error.description}` : ''}.`,
    );
  }
  const accessToken = record.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new Error('Token response has no access_token.');
  }
  const rawExpiry = record.expires_in;
  const expiresIn = typeof rawExpiry === 'string' && /^\d+$/.test(rawExpiry) ? Number(rawExpiry) : rawExpiry;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new Error('Token response has no valid expires_in.');
  }
  const result: TokenResponse = { accessToken, expiresIn };
  const refreshToken = optionalString(record, 'refresh_token');
  if (refreshToken !== undefined) result.refreshToken = refreshToken;
  const idToken = optionalString(record, 'id_token');
  if (idToken !== undefined) result.idToken = idToken;
  const scope = optionalString(record, 'scope');
  if (scope !== undefined) result.scope = scope;
  return result;
}

export interface OAuthError {
  error: string;
  description?: string;
  /** The refresh token or client will never work again: the account needs a new login. */
  permanent: boolean;
}

const PERMANENT_ERRORS = new Set(['invalid_grant', 'invalid_client']);
const PERMANENT_TEXTS = [
  'invalid_grant',
  'invalid_client',
  'token has been expired or revoked',
  'token revoked',
  'token_revoked',
  'credentials are invalid',
];

/** wire.md §1.5: `invalid_grant`, `invalid_client`, "token revoked", "credentials are invalid" (ACP). */
export function isPermanentOAuthFailure(error: string, description?: string): boolean {
  if (PERMANENT_ERRORS.has(error.trim().toLowerCase())) return true;
  const text = `${error}\n${description ?? ''}`.toLowerCase();
  return PERMANENT_TEXTS.some((needle) => text.includes(needle));
}

function build(error: string, description: string | undefined): OAuthError {
  const trimmed = description?.trim().slice(0, 500);
  const result: OAuthError = { error, permanent: isPermanentOAuthFailure(error, trimmed) };
  if (trimmed) result.description = trimmed;
  return result;
}

/** Reads a token-endpoint error: OAuth `{error, error_description}`, google.rpc `{error:{…}}`, or text. */
export function parseOAuthError(status: number, body: unknown): OAuthError {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return build(`http_${status}`, body);
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const description = typeof record.error_description === 'string' ? record.error_description : undefined;
    if (typeof record.error === 'string' && record.error !== '') return build(record.error, description);
    const rpc = record.error;
    if (typeof rpc === 'object' && rpc !== null && !Array.isArray(rpc)) {
      const { status: rpcStatus, message } = rpc as Record<string, unknown>;
      return build(
        typeof rpcStatus === 'string' && rpcStatus !== '' ? rpcStatus : `http_${status}`,
        typeof message === 'string' ? message : undefined,
      );
    }
  }
  return build(`http_${status}`, undefined);
}
