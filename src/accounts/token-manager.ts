import type { GoogleOAuthClient, TokenSet } from '../google/oauth-client.ts';
import { OAuthError } from '../google/oauth-client.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { AccountRow, AccountsTable } from '../store/accounts-table.ts';
import { isStorageFull } from '../store/storage-full.ts';

/** Access tokens are refreshed when less than this remains (product.md §1). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const MAX_DECRYPTED = 20_000;

/** The account cannot be used until the user acts (signs in again, or Google lifts a block). */
export class AccountUnavailableError extends Error {
  readonly accountId: string;
  readonly state: 'needs_login' | 'forbidden' | 'disabled' | 'missing';
  constructor(accountId: string, state: AccountUnavailableError['state'], message: string) {
    super(message);
    this.name = 'AccountUnavailableError';
    this.accountId = accountId;
    this.state = state;
  }
}

export interface TokenManagerDeps {
  accounts: AccountsTable;
  box: SecretBox;
  oauth: GoogleOAuthClient;
  now?: () => number;
  /** Called after an account's status changed, so the app can announce it. */
  onAccountChanged?: (accountId: string) => void;
}

/**
 * Hands out valid access tokens. At most one refresh per account is in flight; concurrent
 * callers wait on it. `invalid_grant` marks the account `needs_login`; network errors and 5xx
 * leave it as it was.
 */
export class TokenManager {
  private readonly deps: TokenManagerDeps;
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly decrypted = new Map<string, string>();
  /** Tokens refreshed while the disk was full: served from memory until one can be stored. */
  private readonly unsaved = new Map<string, TokenSet>();
  private readonly now: () => number;

  constructor(deps: TokenManagerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** A token valid for at least the refresh margin; `force` refreshes even a fresh one (after a 401). */
  async accessToken(accountId: string, options: { force?: boolean; row?: AccountRow } = {}): Promise<string> {
    const account = options.row ?? this.deps.accounts.get(accountId);
    if (!account)
      throw new AccountUnavailableError(accountId, 'missing', `Account ${accountId} does not exist`);
    if (account.status === 'needs_login') {
      throw new AccountUnavailableError(accountId, 'needs_login', `${account.email} needs to sign in again`);
    }
    if (
      !options.force &&
      account.accessTokenEnc &&
      (account.accessTokenExpiresAt ?? 0) - this.now() > REFRESH_MARGIN_MS
    ) {
      return this.plain(account.accessTokenEnc);
    }
    const kept = this.unsaved.get(accountId);
    if (!options.force && kept && kept.expiresAt - this.now() > REFRESH_MARGIN_MS) return kept.accessToken;
    const running = this.inFlight.get(accountId);
    if (running) return running;
    const refresh = this.refresh(accountId).finally(() => this.inFlight.delete(accountId));
    this.inFlight.set(accountId, refresh);
    return refresh;
  }

  /**
   * Decrypting the same sealed token on every request is wasted work on the hot path; the sealed
   * text is the key, so a token replaced in the store (by any process) is never served stale.
   */
  private plain(sealed: string): string {
    const cached = this.decrypted.get(sealed);
    if (cached !== undefined) return cached;
    const token = this.deps.box.open(sealed);
    if (this.decrypted.size >= MAX_DECRYPTED) this.decrypted.delete(this.decrypted.keys().next().value!);
    this.decrypted.set(sealed, token);
    return token;
  }

  /** Stores a token set obtained elsewhere (sign-in, import) so the next call needs no refresh. */
  remember(accountId: string, tokens: TokenSet): void {
    this.deps.accounts.update(accountId, {
      accessTokenEnc: this.deps.box.seal(tokens.accessToken),
      accessTokenExpiresAt: tokens.expiresAt,
      ...(tokens.refreshToken ? { refreshTokenEnc: this.deps.box.seal(tokens.refreshToken) } : {}),
    });
    this.unsaved.delete(accountId);
  }

  private async refresh(accountId: string): Promise<string> {
    const account = this.deps.accounts.get(accountId);
    if (!account)
      throw new AccountUnavailableError(accountId, 'missing', `Account ${accountId} does not exist`);
    let tokens: TokenSet;
    try {
      tokens = await this.deps.oauth.refresh(this.deps.box.open(account.refreshTokenEnc));
    } catch (error) {
      if (error instanceof OAuthError && error.permanent) {
        this.deps.accounts.update(accountId, {
          status: 'needs_login',
          statusReason: `Google refused the refresh token (${error.message}); sign in again`,
          accessTokenEnc: null,
          accessTokenExpiresAt: null,
        });
        this.deps.onAccountChanged?.(accountId);
        throw new AccountUnavailableError(
          accountId,
          'needs_login',
          `${account.email} needs to sign in again: ${error.message}`,
        );
      }
      throw error;
    }
    try {
      this.remember(accountId, tokens);
    } catch (error) {
      if (!isStorageFull(error)) throw error;
      // A full disk must not stop the proxy: without this, every request would refresh again and fail.
      this.unsaved.set(accountId, tokens);
    }
    return tokens.accessToken;
  }
}
