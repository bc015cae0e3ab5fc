import type { Store } from './database.ts';

export type OAuthFlowStatus = 'pending' | 'completed' | 'failed' | 'expired';

export interface OAuthFlowRow {
  state: string;
  codeVerifierEnc: string;
  authUrl: string;
  redirectUri: string;
  status: OAuthFlowStatus;
  accountId: string | null;
  error: string | null;
  createdAt: number;
  expiresAt: number;
}

type Raw = Record<string, unknown>;

function fromRaw(raw: Raw): OAuthFlowRow {
  return {
    state: raw.state as string,
    codeVerifierEnc: raw.code_verifier_enc as string,
    authUrl: raw.auth_url as string,
    redirectUri: raw.redirect_uri as string,
    status: raw.status as OAuthFlowStatus,
    accountId: (raw.account_id as string | null) ?? null,
    error: (raw.error as string | null) ?? null,
    createdAt: raw.created_at as number,
    expiresAt: raw.expires_at as number,
  };
}

export class OAuthFlowsTable {
  private readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  insert(flow: OAuthFlowRow): void {
    this.store
      .prepare(
        'INSERT INTO oauth_flows (state, code_verifier_enc, auth_url, redirect_uri, status, account_id, error, created_at, expires_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        flow.state,
        flow.codeVerifierEnc,
        flow.authUrl,
        flow.redirectUri,
        flow.status,
        flow.accountId,
        flow.error,
        flow.createdAt,
        flow.expiresAt,
      );
  }

  get(state: string): OAuthFlowRow | undefined {
    const raw = this.store.prepare('SELECT * FROM oauth_flows WHERE state = ?').get(state) as Raw | undefined;
    return raw ? fromRaw(raw) : undefined;
  }

  /** Moves a pending flow to `status`; false when it was no longer pending (a second completion loses). */
  finish(
    state: string,
    status: Exclude<OAuthFlowStatus, 'pending'>,
    accountId: string | null,
    error: string | null,
  ): boolean {
    return (
      this.store
        .prepare(
          "UPDATE oauth_flows SET status = ?, account_id = ?, error = ? WHERE state = ? AND status = 'pending'",
        )
        .run(status, accountId, error, state).changes > 0
    );
  }

  /** Flows a day past their expiry are of no use to anyone; keeps the table small. */
  prune(now: number): void {
    this.store.prepare('DELETE FROM oauth_flows WHERE expires_at < ?').run(now - 24 * 3600 * 1000);
  }
}
