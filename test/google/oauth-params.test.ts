import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  OAUTH_SCOPES,
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  parseCallbackInput,
  parseOAuthError,
  parseTokenResponse,
  pkceChallenge,
} from '../../src/google/oauth-params.ts';

describe('OAUTH_SCOPES', () => {
  it('are the five scopes of wire.md §1.1', () => {
    expect([...OAUTH_SCOPES]).toEqual([
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
      'https://www.googleapis.com/auth/cclog',
      'https://www.googleapis.com/auth/experimentsandconfigs',
    ]);
    expect(Object.isFrozen(OAUTH_SCOPES)).toBe(true);
  });
});

describe('PKCE and state', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates a fresh base64url verifier of 43–128 chars and its S256 challenge', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { verifier, challenge } = createPkcePair();
      expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
      seen.add(verifier);
    }
    expect(seen.size).toBe(20);
  });

  it('creates a fresh 32-hex state', () => {
    const a = createState();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(createState()).not.toBe(a);
  });
});

describe('buildAuthorizeUrl', () => {
  const built = new URL(
    buildAuthorizeUrl({
      authUrl: 'http://127.0.0.1:9000/o/oauth2/v2/auth',
      clientId: 'client-1.apps.googleusercontent.com',
      redirectUri: 'http://localhost:51121/oauth-callback',
      state: 'abc123',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    }),
  );

  it('keeps the configured endpoint', () => {
    expect(`${built.origin}${built.pathname}`).toBe('http://127.0.0.1:9000/o/oauth2/v2/auth');
  });

  it.each([
    ['client_id', 'client-1.apps.googleusercontent.com'],
    ['redirect_uri', 'http://localhost:51121/oauth-callback'],
    ['response_type', 'code'],
    ['scope', OAUTH_SCOPES.join(' ')],
    ['access_type', 'offline'],
    ['prompt', 'consent'],
    ['state', 'abc123'],
    ['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
    ['code_challenge_method', 'S256'],
    ['include_granted_scopes', 'true'],
  ])('%s=%s', (key, value) => {
    expect(built.searchParams.getAll(key)).toEqual([value]);
  });
});

describe('parseCallbackInput', () => {
  it.each([
    [
      'full callback URL (wire.md)',
      'http://localhost:51121/oauth-callback?state=s1&code=4/0AVMBsJabc-_x&scope=https://www.googleapis.com/auth/cclog&authuser=0&prompt=consent',
      { code: '4/0AVMBsJabc-_x', state: 's1' },
    ],
    [
      'URL-encoded code',
      'http://localhost:51121/oauth-callback?code=4%2F0AVMBsJabc&state=s2',
      { code: '4/0AVMBsJabc', state: 's2' },
    ],
    ['any host', 'https://my.server.example:8443/oauth-callback?code=4/0AVMBsJabc', { code: '4/0AVMBsJabc' }],
    [
      'IPv6 loopback',
      'http://[::1]:51200/oauth-callback?code=4/0Aabcdefgh&state=s3',
      { code: '4/0Aabcdefgh', state: 's3' },
    ],
    [
      'denial (wire.md)',
      'http://localhost:51121/oauth-callback?error=access_denied&state=s4',
      { error: 'access_denied', state: 's4' },
    ],
    [
      'denial without state',
      'http://localhost/oauth-callback?error=access_denied',
      { error: 'access_denied' },
    ],
    [
      'URL without a scheme',
      'localhost:51121/oauth-callback?code=4/0AVMBsJabc&state=s5',
      { code: '4/0AVMBsJabc', state: 's5' },
    ],
    ['query string with ?', '?code=4/0AVMBsJabc&state=s6', { code: '4/0AVMBsJabc', state: 's6' }],
    ['query string without ?', 'state=s7&code=4/0AVMBsJabc', { code: '4/0AVMBsJabc', state: 's7' }],
    [
      'code in the fragment',
      'http://localhost/cb#code=4/0AVMBsJabc&state=s8',
      { code: '4/0AVMBsJabc', state: 's8' },
    ],
    ['raw code', '4/0AVMBsJ1234567890abcdef', { code: '4/0AVMBsJ1234567890abcdef' }],
    ['raw code, padded', '  4/0AVMBsJ1234567890 \n', { code: '4/0AVMBsJ1234567890' }],
    ['raw code, URL-encoded', '4%2F0AVMBsJ1234567890', { code: '4/0AVMBsJ1234567890' }],
    ['raw code without the 4/ prefix (simulator)', 'fake-code-0123456789', { code: 'fake-code-0123456789' }],
  ])('%s', (_name, input, expected) => {
    expect(parseCallbackInput(input)).toEqual(expected);
  });

  it.each([
    ['empty', '   ', /Nothing was pasted/],
    ['too short', '4/0AV', /does not look like an authorization code/],
    ['words', 'hello there my friend', /does not look like an authorization code/],
    ['html', '<b>4/0AVMBsJ12345</b>', /does not look like an authorization code/],
    ['URL without code', 'http://localhost:51121/oauth-callback?foo=bar', /no code= or error=/],
    ['query without code', '?state=abc', /no code= or error=/],
    ['broken URL', 'http://exa mple.com/?code=4/0AVMBsJabc', /could not be read/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseCallbackInput(input)).toThrow(message);
  });
});

describe('parseTokenResponse', () => {
  /** wire.md §1.3 and §1.4. */
  const CODE_GRANT = String.raw`{
  "access_token": "ya29.a0AS3H6Nx...",
  "expires_in": 3599,
  "refresh_token": "1//0gLx...",
  "scope": "https://www.googleapis.com/auth/cclog https://www.googleapis.com/auth/userinfo.email openid https://www.googleapis.com/auth/experimentsandconfigs https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.profile",
  "token_type": "Bearer",
  "id_token": "eyJhbGciOiJSUzI1NiIs..."
}`;
  const REFRESH_GRANT = String.raw`{ "access_token": "ya29.a0AS3H6Ny...", "expires_in": 3599, "scope": "https://www.googleapis.com/auth/cloud-platform ...", "token_type": "Bearer", "id_token": "eyJ..." }`;

  it('reads the authorization_code grant', () => {
    expect(parseTokenResponse(JSON.parse(CODE_GRANT))).toEqual({
      accessToken: 'ya29.a0AS3H6Nx...',
      expiresIn: 3599,
      refreshToken: '1//0gLx...',
      idToken: 'eyJhbGciOiJSUzI1NiIs...',
      scope: JSON.parse(CODE_GRANT).scope,
    });
  });

  it('reads the refresh_token grant, which has no refresh token', () => {
    const result = parseTokenResponse(JSON.parse(REFRESH_GRANT));
    expect(result).toMatchObject({ accessToken: 'ya29.a0AS3H6Ny...', expiresIn: 3599, idToken: 'eyJ...' });
    expect(result).not.toHaveProperty('refreshToken');
  });

  it('accepts expires_in as a numeric string', () => {
    expect(parseTokenResponse({ access_token: 'a', expires_in: '3599' }).expiresIn).toBe(3599);
  });

  it.each([
    ['not an object', 'ya29.secret', /not a JSON object/],
    ['array', [], /not a JSON object/],
    ['no access_token', { expires_in: 3599 }, /no access_token/],
    ['access_token not a string', { access_token: 5, expires_in: 3599 }, /no access_token/],
    ['no expires_in', { access_token: 'ya29.secret' }, /no valid expires_in/],
    ['expires_in zero', { access_token: 'ya29.secret', expires_in: 0 }, /no valid expires_in/],
    ['expires_in garbage', { access_token: 'ya29.secret', expires_in: 'soon' }, /no valid expires_in/],
    [
      'refresh_token wrong type',
      { access_token: 'ya29.secret', expires_in: 1, refresh_token: 7 },
      /refresh_token is not a string/,
    ],
    [
      'id_token wrong type',
      { access_token: 'ya29.secret', expires_in: 1, id_token: {} },
      /id_token is not a string/,
    ],
    [
      'an error body',
      { error: 'invalid_grant', error_description: 'Bad Request' },
      /invalid_grant: Bad Request/,
    ],
  ])('rejects %s without echoing secrets', (_name, body, message) => {
    expect(() => parseTokenResponse(body)).toThrow(message);
    expect(() => parseTokenResponse(body)).not.toThrow(/secret/);
  });
});

describe('parseOAuthError', () => {
  /** wire.md §1.5 table. */
  it.each([
    [
      400,
      '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
      'invalid_grant',
      'Token has been expired or revoked.',
      true,
    ],
    [
      400,
      '{"error":"invalid_grant","error_description":"Bad Request"}',
      'invalid_grant',
      'Bad Request',
      true,
    ],
    [
      400,
      '{"error":"invalid_grant","error_description":"Invalid code verifier."}',
      'invalid_grant',
      'Invalid code verifier.',
      true,
    ],
    [
      400,
      '{"error":"invalid_grant","error_description":"Missing code verifier."}',
      'invalid_grant',
      'Missing code verifier.',
      true,
    ],
    [
      401,
      '{"error":"invalid_client","error_description":"The OAuth client was not found."}',
      'invalid_client',
      'The OAuth client was not found.',
      true,
    ],
    [
      401,
      '{"error":"invalid_client","error_description":"Unauthorized"}',
      'invalid_client',
      'Unauthorized',
      true,
    ],
    [
      400,
      '{"error":"invalid_request","error_description":"Missing required parameter: code"}',
      'invalid_request',
      'Missing required parameter: code',
      false,
    ],
    [
      400,
      '{"error":"unsupported_grant_type","error_description":"Invalid grant_type: foo"}',
      'unsupported_grant_type',
      'Invalid grant_type: foo',
      false,
    ],
    [
      400,
      '{"error":"redirect_uri_mismatch","error_description":"Bad Request"}',
      'redirect_uri_mismatch',
      'Bad Request',
      false,
    ],
    [
      400,
      '{"error":"unauthorized_client","error_description":"Token revoked by the user"}',
      'unauthorized_client',
      'Token revoked by the user',
      true,
    ],
  ])('%d %s', (status, text, error, description, permanent) => {
    expect(parseOAuthError(status, text)).toEqual({ error, description, permanent });
    expect(parseOAuthError(status, JSON.parse(text))).toEqual({ error, description, permanent });
  });

  it.each([
    [
      'a google.rpc body',
      401,
      {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      },
      {
        error: 'UNAUTHENTICATED',
        description: 'Request had invalid authentication credentials.',
        permanent: false,
      },
    ],
    [
      'plain text',
      503,
      ' Service Unavailable ',
      { error: 'http_503', description: 'Service Unavailable', permanent: false },
    ],
    ['an empty body', 500, '', { error: 'http_500', permanent: false }],
    ['nothing', 502, undefined, { error: 'http_502', permanent: false }],
    [
      'an error without description',
      400,
      { error: 'invalid_grant' },
      { error: 'invalid_grant', permanent: true },
    ],
  ])('reads %s', (_name, status, body, expected) => {
    expect(parseOAuthError(status, body)).toEqual(expected);
  });
});
