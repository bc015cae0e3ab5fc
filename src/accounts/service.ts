import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SettingsService } from '../config/settings-service.ts';
import { UpstreamError } from '../google/code-assist-client.ts';
import { OAuthError, type GoogleOAuthClient, type TokenSet } from '../google/oauth-client.ts';
import type { ParsedModel } from '../google/quota-parse.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { AccountRow, AccountsTable } from '../store/accounts-table.ts';
import type { QuotaTable } from '../store/quota-table.ts';
import { isStorageFull } from '../store/storage-full.ts';
import { mapLimit } from '../util/concurrency.ts';
import { statusFromUpstream, type AccountDiscovery, type AccountProfile } from './discovery.ts';
import type { ExportDocument, ImportItem } from './import-formats.ts';
import { AccountUnavailableError, type TokenManager } from './token-manager.ts';
import { toAccountView, type AccountView } from './views.ts';

export class AccountNotFoundError extends Error {
  constructor(id: string) {
    super(`No account with id ${id}`);
    this.name = 'AccountNotFoundError';
  }
}

export interface ImportResult {
  index: number;
  outcome: 'created' | 'updated' | 'failed';
  email?: string;
  id?: string;
  state?: string;
  error?: string;
  /** Verified, but not saved: the disk holding the data folder is full. */
  storageFull?: boolean;
}

export interface AccountPatch {
  enabled?: boolean;
  label?: string | null;
  order?: number;
}

export interface AccountsServiceDeps {
  accounts: AccountsTable;
  quotas: QuotaTable;
  box: SecretBox;
  tokens: TokenManager;
  oauth: GoogleOAuthClient;
  discovery: AccountDiscovery;
  settings: SettingsService;
  now?: () => number;
}

/** Why a quota fetch failed, in words a user can act on; secrets never appear here. */
function describeFailure(error: unknown, clientVersion: string): string {
  if (error instanceof UpstreamError && error.info.kind === 'client_outdated') {
    return `client_outdated: Google no longer accepts client version ${clientVersion}; raise the setting upstream.clientVersion`;
  }
  if (error instanceof UpstreamError)
    return `${error.info.kind} (${error.info.status}): ${error.info.message}`;
  if (error instanceof AccountUnavailableError) return error.message;
  return (error as Error).message;
}

/** The account list and everything done to it: sign-in results, import/export, quota refresh. */
/**
 * `changed`: anything about the account may have changed (re-read it). `state`: an upstream answer
 * made it unusable; the new state travels with the event, so the pool needs no database read.
 */
export interface AccountsEvents {
  changed: [accountId: string];
  state: [accountId: string, state: 'needs_login' | 'forbidden'];
}

export class AccountsService extends EventEmitter<AccountsEvents> {
  /** `deprecatedModelIds` of the latest quota fetch: old id → replacement, for model resolution. */
  deprecatedModels: Record<string, string> = {};
  private readonly deps: AccountsServiceDeps;
  private readonly now: () => number;

  constructor(deps: AccountsServiceDeps) {
    super();
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  list(): AccountView[] {
    return this.deps.accounts.list().map((row) => this.view(row));
  }

  get(id: string): AccountView {
    return this.view(this.row(id));
  }

  current(): AccountView | undefined {
    const row = this.deps.accounts.current();
    return row ? this.view(row) : undefined;
  }

  setCurrent(id: string): AccountView {
    if (!this.deps.accounts.setCurrent(id)) throw new AccountNotFoundError(id);
    this.emit('changed', id);
    return this.get(id);
  }

  patch(id: string, patch: AccountPatch): AccountView {
    this.row(id);
    this.deps.accounts.update(id, {
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.order !== undefined ? { sortOrder: patch.order } : {}),
    });
    this.emit('changed', id);
    return this.get(id);
  }

  /** An upstream answer says the account can't serve until the user acts: stores it and tells the pool. */
  markUnusable(id: string, state: 'needs_login' | 'forbidden', reason: string, validationUrl?: string): void {
    if (
      !this.deps.accounts.update(id, {
        status: state,
        statusReason: reason,
        validationUrl: validationUrl ?? null,
      })
    )
      return;
    this.emit('state', id, state);
  }

  remove(id: string): void {
    if (!this.deps.accounts.delete(id)) throw new AccountNotFoundError(id);
    this.emit('changed', id);
  }

  exportAll(): ExportDocument {
    return {
      format: 'better-manager.accounts',
      version: 1,
      exportedAt: new Date(this.now()).toISOString(),
      accounts: this.deps.accounts.list().map((row) => ({
        email: row.email,
        refreshToken: this.deps.box.open(row.refreshTokenEnc),
        label: row.label,
        enabled: row.enabled,
        projectId: row.projectId,
      })),
    };
  }

  /** Verifies each item (refresh, userinfo, project, quota) before storing it; one bad item never stops the rest. */
  async importItems(items: ImportItem[]): Promise<ImportResult[]> {
    const concurrency = this.deps.settings.current.refresh.concurrency;
    return mapLimit(items, concurrency, async (item, index): Promise<ImportResult> => {
      if (!item.refreshToken)
        return { index, outcome: 'failed', email: item.email, error: item.problem ?? 'no refresh token' };
      try {
        const tokens = await this.deps.oauth.refresh(item.refreshToken);
        const { outcome, account } = await this.addFromTokens(
          { ...tokens, refreshToken: tokens.refreshToken ?? item.refreshToken },
          { label: item.label, enabled: item.enabled },
        );
        return { index, outcome, email: account.email, id: account.id, state: account.state };
      } catch (error) {
        if (isStorageFull(error)) {
          const reason = 'not saved completely: the disk holding the data folder is full';
          return { index, outcome: 'failed', email: item.email, error: reason, storageFull: true };
        }
        const reason =
          error instanceof OAuthError && error.permanent
            ? `Google refused the refresh token (${error.message})`
            : describeFailure(error, this.deps.settings.current.upstream.clientVersion);
        return { index, outcome: 'failed', email: item.email, error: reason };
      }
    });
  }

  /** Stores the identity behind a fresh token set; an existing email is updated, never duplicated. */
  async addFromTokens(
    tokens: TokenSet & { refreshToken: string },
    extra: { label?: string; enabled?: boolean } = {},
  ): Promise<{ outcome: 'created' | 'updated'; account: AccountView }> {
    const profile = await this.deps.discovery.profile(tokens.accessToken);
    const existing = this.deps.accounts.findByEmail(profile.email);
    const now = this.now();
    const fields = this.profileFields(profile);
    let id: string;
    if (existing) {
      id = existing.id;
      this.deps.accounts.update(id, {
        ...fields,
        refreshTokenEnc: this.deps.box.seal(tokens.refreshToken),
        ...(extra.label !== undefined ? { label: extra.label } : {}),
        ...(extra.enabled !== undefined ? { enabled: extra.enabled } : {}),
      });
    } else {
      id = randomUUID();
      this.deps.accounts.insert({
        id,
        refreshTokenEnc: this.deps.box.seal(tokens.refreshToken),
        accessTokenEnc: null,
        accessTokenExpiresAt: null,
        label: extra.label ?? null,
        enabled: extra.enabled ?? true,
        sortOrder: this.deps.accounts.nextSortOrder(),
        isCurrent: false,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        quotaFetchedAt: null,
        quotaError: null,
        ...fields,
      });
    }
    this.deps.tokens.remember(id, tokens);
    if (profile.status === 'ok') await this.refreshQuotaOf(id, tokens.accessToken);
    this.emit('changed', id);
    return { outcome: existing ? 'updated' : 'created', account: this.get(id) };
  }

  /** Refreshes one account's quota; failures are recorded on the account, not thrown. */
  async refreshQuota(id: string): Promise<AccountView> {
    return (await this.checkAccount(id)).account;
  }

  /**
   * {@link refreshQuota}, also saying why the check could not finish (`failure`: network, upstream
   * 5xx, ...), in words; null when Google answered, whatever state that answer put the account in.
   */
  async checkAccount(id: string): Promise<{ account: AccountView; failure: string | null }> {
    const row = this.row(id);
    let failure: string | null = null;
    try {
      let token = await this.deps.tokens.accessToken(id);
      if (row.status === 'forbidden' || !row.projectId) {
        // A block may have been lifted, and a missing project is found by discovery.
        const profile = await this.deps.discovery.profile(token);
        this.deps.accounts.update(id, this.profileFields(profile));
        if (profile.status !== 'ok') return { account: this.finish(id), failure };
      }
      try {
        failure = await this.refreshQuotaOf(id, token, true);
      } catch (error) {
        if (!(error instanceof UpstreamError && error.info.kind === 'auth')) throw error;
        token = await this.deps.tokens.accessToken(id, { force: true });
        failure = await this.refreshQuotaOf(id, token);
      }
    } catch (error) {
      failure = this.recordQuotaFailure(id, error);
    }
    return { account: this.finish(id), failure };
  }

  /** Refreshes the quota of every usable account, or only of those last fetched before `staleBefore`. */
  async refreshAll(options: { staleBefore?: number } = {}): Promise<AccountView[]> {
    const { staleBefore } = options;
    const ids = this.deps.accounts
      .list()
      .filter((row) => row.enabled && row.status !== 'needs_login')
      .filter(
        (row) => staleBefore === undefined || row.quotaFetchedAt === null || row.quotaFetchedAt < staleBefore,
      )
      .map((row) => row.id);
    return mapLimit(ids, this.deps.settings.current.refresh.concurrency, (id) => this.refreshQuota(id));
  }

  /**
   * Fetches and stores quota with a known-good token; `rethrowAuth` lets the caller refresh the token
   * once on a 401. Answers what {@link recordQuotaFailure} does.
   */
  private async refreshQuotaOf(id: string, accessToken: string, rethrowAuth = false): Promise<string | null> {
    const row = this.row(id);
    try {
      const snapshot = await this.deps.discovery.quota(accessToken, row.projectId ?? undefined);
      if (Object.keys(snapshot.available.deprecated).length > 0)
        this.deprecatedModels = snapshot.available.deprecated;
      this.deps.quotas.replaceModels(
        id,
        snapshot.available.models.map((model) => this.quotaRow(model)),
      );
      if (snapshot.buckets) {
        this.deps.quotas.replaceBuckets(
          id,
          snapshot.buckets.map((bucket) => ({
            bucketId: bucket.bucketId,
            groupName: bucket.group,
            window: bucket.window,
            remainingFraction: bucket.remainingFraction,
            resetAt: bucket.resetAt ?? null,
            fetchedAt: bucket.fetchedAt,
          })),
        );
      }
      this.deps.accounts.update(id, { quotaFetchedAt: this.now(), quotaError: null });
      return null;
    } catch (error) {
      if (rethrowAuth && error instanceof UpstreamError && error.info.kind === 'auth') throw error;
      return this.recordQuotaFailure(id, error);
    }
  }

  /** Stores the failure on the account; answers it in words unless it set the account's state (ban, login). */
  private recordQuotaFailure(id: string, error: unknown): string | null {
    const description = describeFailure(error, this.deps.settings.current.upstream.clientVersion);
    if (!this.deps.accounts.get(id)) return description;
    this.deps.quotas.markAllUnknown(id);
    const forced = error instanceof AccountUnavailableError ? undefined : statusFromUpstream(error);
    this.deps.accounts.update(id, {
      quotaError: description,
      ...(forced
        ? {
            status: forced.status,
            statusReason: forced.statusReason ?? null,
            validationUrl: forced.validationUrl ?? null,
          }
        : {}),
    });
    return forced ? null : description;
  }

  private quotaRow(model: ParsedModel) {
    const known = model.quota.status === 'known' ? model.quota : undefined;
    return {
      modelId: model.id,
      displayName: model.displayName ?? null,
      status: model.quota.status,
      remainingFraction: known ? known.remainingFraction : null,
      resetAt: known?.resetAt ?? null,
      fetchedAt: known ? known.fetchedAt : this.now(),
      details: {
        maxTokens: model.maxTokens,
        maxOutputTokens: model.maxOutputTokens,
        supportsImages: model.supportsImages,
        supportsThinking: model.supportsThinking,
      },
    };
  }

  private profileFields(
    profile: AccountProfile,
  ): Pick<
    AccountRow,
    'email' | 'displayName' | 'projectId' | 'tier' | 'tierName' | 'status' | 'statusReason' | 'validationUrl'
  > {
    return {
      email: profile.email,
      displayName: profile.displayName ?? null,
      projectId: profile.projectId ?? null,
      tier: profile.tier,
      tierName: profile.tierName ?? null,
      status: profile.status,
      statusReason: profile.statusReason ?? null,
      validationUrl: profile.validationUrl ?? null,
    };
  }

  private finish(id: string): AccountView {
    this.emit('changed', id);
    return this.get(id);
  }

  private row(id: string): AccountRow {
    const row = this.deps.accounts.get(id);
    if (!row) throw new AccountNotFoundError(id);
    return row;
  }

  private view(row: AccountRow): AccountView {
    let refreshToken: string;
    try {
      refreshToken = this.deps.box.open(row.refreshTokenEnc);
    } catch {
      // Sealed with another key: the view still lists the account; the user can sign in again.
      refreshToken = '';
    }
    return toAccountView(
      row,
      refreshToken,
      this.deps.quotas.models(row.id),
      this.deps.quotas.buckets(row.id),
      this.now(),
      this.deps.settings.current.refresh.quotaIntervalMinutes,
    );
  }
}
