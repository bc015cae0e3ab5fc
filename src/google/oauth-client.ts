import type { SettingsService } from '../config/settings-service.ts';
import { clientIdentityHeaders, type UpstreamHttp } from './http.ts';
import { parseOAuthError, parseTokenResponse } from './oauth-params.ts';
import { redactSecrets } from './upstream-errors.ts';

/** The token endpoint said no. `permanent` (invalid_grant, invalid_client) means the account needs a new sign-in. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly permanent: boolean;
  constructor(status: number, error: string, description: string | undefined, permanent: boolean) {
    super(description ? `${error}: ${description}` : error);
    this.name = 'OAuthError';
    this.status = status;
    this.error = error;
    this.permanent = permanent;
  }
}

export interface TokenSet {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  refreshToken?: string;
}

export interface UserInfo {
  email: string;
  name?: string;
  picture?: string;
}

/** Google OAuth as Antigravity uses it (wire.md §1): code exchange, refresh, userinfo. */
export class GoogleOAuthClient {
  private readonly http: UpstreamHttp;
  private readonly settings: SettingsService;
  private readonly now: () => number;

  constructor(http: UpstreamHttp, settings: SettingsService, now: () => number = Date.now) {
    this.http = http;
    this.settings = settings;
    this.now = now;
  }

  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenSet> {
    return this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
    });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async userInfo(accessToken: string): Promise<UserInfo> {
    const upstream = this.settings.current.upstream;
    const response = await this.http.send(upstream.userinfoUrl, {
      headers: { authorization: `Bearer ${accessToken}`, ...clientIdentityHeaders(this.settings.current) },
    });
    const body = response.json as Record<string, unknown> | undefined;
    if (response.status !== 200 || typeof body?.email !== 'string') {
      throw new OAuthError(
        response.status,
        response.status === 401 ? 'unauthenticated' : 'userinfo_failed',
        redactSecrets(response.text.slice(0, 300)),
        false,
      );
    }
    return {
      email: body.email,
      name: typeof body.name === 'string' ? body.name : undefined,
      picture: typeof body.picture === 'string' ? body.picture : undefined,
    };
  }

  private async tokenRequest(fields: Record<string, string>): Promise<TokenSet> {
    const upstream = this.settings.current.upstream;
    const form = new URLSearchParams({
      ...fields,
      client_id: upstream.oauthClientId,
      client_secret: upstream.oauthClientSecret,
    });
    const started = this.now();
    const response = await this.http.send(upstream.oauthTokenUrl, {
      body: form,
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) {
      const parsed = parseOAuthError(response.status, response.json ?? response.text);
      throw new OAuthError(response.status, parsed.error, parsed.description, parsed.permanent);
    }
    const tokens = parseTokenResponse(response.json);
    return {
      accessToken: tokens.accessToken,
      expiresAt: started + tokens.expiresIn * 1000,
      refreshToken: tokens.refreshToken,
    };
  }
}
