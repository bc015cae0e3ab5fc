import type { SettingsService } from '../config/settings-service.ts';
import type { GoogleOAuthClient } from '../google/oauth-client.ts';
import {
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  parseCallbackInput,
} from '../google/oauth-params.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { OAuthFlowsTable, OAuthFlowRow } from '../store/oauth-flows-table.ts';
import type { AccountsService } from './service.ts';
import type { AccountView } from './views.ts';

/** A flow expires this long after it starts (product.md §1). */
export const FLOW_LIFETIME_MS = 10 * 60 * 1000;

export type OAuthFlowErrorCode =
  | 'unknown_flow'
  | 'state_mismatch'
  | 'expired'
  | 'already_completed'
  | 'denied'
  | 'invalid_input'
  | 'exchange_failed';

export class OAuthFlowError extends Error {
  readonly code: OAuthFlowErrorCode;
  constructor(code: OAuthFlowErrorCode, message: string) {
    super(message);
    this.name = 'OAuthFlowError';
    this.code = code;
  }
}

export interface FlowStatus {
  state: string;
  status: 'pending' | 'completed' | 'failed' | 'expired';
  authUrl: string;
  redirectUri: string;
  expiresAt: string;
  accountId: string | null;
  error: string | null;
}

export interface FlowCompletion {
  outcome: 'created' | 'updated';
  account: AccountView;
}

/**
 * Adding an account by OAuth: PKCE S256 and a random state per flow; the code arrives at our own
 * `/oauth-callback` or is pasted (the raw code or the whole callback URL).
 */
export class OAuthFlows {
  private readonly flows: OAuthFlowsTable;
  private readonly box: SecretBox;
  private readonly oauth: GoogleOAuthClient;
  private readonly accounts: AccountsService;
  private readonly settings: SettingsService;
  private readonly now: () => number;

  constructor(deps: {
    flows: OAuthFlowsTable;
    box: SecretBox;
    oauth: GoogleOAuthClient;
    accounts: AccountsService;
    settings: SettingsService;
    now?: () => number;
  }) {
    this.flows = deps.flows;
    this.box = deps.box;
    this.oauth = deps.oauth;
    this.accounts = deps.accounts;
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
  }

  start(redirectUri: string): FlowStatus {
    const now = this.now();
    this.flows.prune(now);
    const { verifier, challenge } = createPkcePair();
    const state = createState();
    const upstream = this.settings.current.upstream;
    const authUrl = buildAuthorizeUrl({
      authUrl: upstream.oauthAuthUrl,
      clientId: upstream.oauthClientId,
      redirectUri,
      state,
      codeChallenge: challenge,
    });
    this.flows.insert({
      state,
      codeVerifierEnc: this.box.seal(verifier),
      authUrl,
      redirectUri,
      status: 'pending',
      accountId: null,
      error: null,
      createdAt: now,
      expiresAt: now + FLOW_LIFETIME_MS,
    });
    return this.status(state);
  }

  status(state: string): FlowStatus {
    const flow = this.flows.get(state);
    if (!flow) throw new OAuthFlowError('unknown_flow', 'No sign-in flow with this state; start a new one');
    const expired = flow.status === 'pending' && flow.expiresAt <= this.now();
    return {
      state: flow.state,
      status: expired ? 'expired' : flow.status,
      authUrl: flow.authUrl,
      redirectUri: flow.redirectUri,
      expiresAt: new Date(flow.expiresAt).toISOString(),
      accountId: flow.accountId,
      error: expired ? 'The sign-in flow expired after 10 minutes; start a new one' : flow.error,
    };
  }

  /**
   * Completes a flow from a pasted code, a pasted callback URL or the browser callback. The state
   * inside a callback URL must match the flow; a flow completes once.
   */
  async complete(state: string, input: { code?: string; callbackUrl?: string }): Promise<FlowCompletion> {
    const flow = this.pendingFlow(state);
    const raw = input.callbackUrl ?? input.code;
    if (!raw || !raw.trim())
      throw new OAuthFlowError('invalid_input', 'Paste the code or the whole callback URL');
    let parsed;
    try {
      parsed = parseCallbackInput(raw);
    } catch (error) {
      throw new OAuthFlowError('invalid_input', (error as Error).message);
    }
    if (parsed.state !== undefined && parsed.state !== state) {
      throw new OAuthFlowError(
        'state_mismatch',
        'The callback belongs to another sign-in flow (state mismatch); start a new one',
      );
    }
    if ('error' in parsed) {
      this.flows.finish(state, 'failed', null, `Google returned ${parsed.error}`);
      throw new OAuthFlowError(
        'denied',
        parsed.error === 'access_denied'
          ? 'Sign-in was cancelled at Google'
          : `Google returned ${parsed.error}`,
      );
    }
    try {
      const tokens = await this.oauth.exchangeCode(
        parsed.code,
        this.box.open(flow.codeVerifierEnc),
        flow.redirectUri,
      );
      if (!tokens.refreshToken)
        throw new Error('Google returned no refresh token; remove the app’s access at Google and try again');
      const result = await this.accounts.addFromTokens({ ...tokens, refreshToken: tokens.refreshToken });
      if (!this.flows.finish(state, 'completed', result.account.id, null)) {
        throw new OAuthFlowError('already_completed', 'This sign-in flow was already completed');
      }
      return result;
    } catch (error) {
      if (error instanceof OAuthFlowError) throw error;
      const message = (error as Error).message;
      this.flows.finish(state, 'failed', null, message);
      throw new OAuthFlowError('exchange_failed', `Sign-in failed: ${message}`);
    }
  }

  private pendingFlow(state: string): OAuthFlowRow {
    const flow = this.flows.get(state);
    if (!flow) throw new OAuthFlowError('unknown_flow', 'No sign-in flow with this state; start a new one');
    if (flow.status === 'completed')
      throw new OAuthFlowError('already_completed', 'This sign-in flow was already completed');
    if (flow.status !== 'pending')
      throw new OAuthFlowError(
        'expired',
        `This sign-in flow ended (${flow.error ?? flow.status}); start a new one`,
      );
    if (flow.expiresAt <= this.now()) {
      this.flows.finish(state, 'expired', null, 'expired');
      throw new OAuthFlowError('expired', 'The sign-in flow expired after 10 minutes; start a new one');
    }
    return flow;
  }
}
