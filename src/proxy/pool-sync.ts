import type { AccountsService } from '../accounts/service.ts';
import type { AccountModel } from '../models/catalog.ts';
import type { AccountPool } from '../pool/index.ts';
import type { AccountsTable } from '../store/accounts-table.ts';
import type { QuotaTable } from '../store/quota-table.ts';

/**
 * Keeps the in-memory pool in step with the store: everything at start, then one account at a
 * time whenever the accounts service says it changed (state, quota, models, order, current).
 */
export class PoolSync {
  private readonly pool: AccountPool;
  private readonly accounts: AccountsTable;
  private readonly quotas: QuotaTable;
  private readonly service: AccountsService;
  private readonly onChange = (id: string) => this.sync(id);
  private readonly onState = (id: string, state: 'needs_login' | 'forbidden') => {
    this.version++;
    this.pool.setStatus(id, state);
  };
  /** Bumped on every change, so derived data (the model list) knows when to recompute. */
  version = 0;
  /** What each account reports of its models, kept here so the client model list needs no database reads. */
  readonly modelsByAccount = new Map<string, AccountModel[]>();

  constructor(pool: AccountPool, accounts: AccountsTable, quotas: QuotaTable, service: AccountsService) {
    this.pool = pool;
    this.accounts = accounts;
    this.quotas = quotas;
    this.service = service;
  }

  start(): void {
    for (const row of this.accounts.list()) this.sync(row.id);
    this.service.on('changed', this.onChange);
    this.service.on('state', this.onState);
  }

  stop(): void {
    this.service.off('changed', this.onChange);
    this.service.off('state', this.onState);
  }

  sync(id: string): void {
    this.version++;
    const row = this.accounts.get(id);
    if (!row) {
      this.pool.remove(id);
      this.modelsByAccount.delete(id);
      return;
    }
    const quotas = this.quotas.models(id);
    this.modelsByAccount.set(
      id,
      quotas.map((quota) => ({
        id: quota.modelId,
        displayName: quota.displayName ?? undefined,
        maxTokens: quota.details?.maxTokens as number | undefined,
        maxOutputTokens: quota.details?.maxOutputTokens as number | undefined,
        thinkingBudget: quota.details?.thinkingBudget as number | undefined,
      })),
    );
    this.pool.upsert({
      id: row.id,
      email: row.email,
      enabled: row.enabled,
      status: row.status,
      isCurrent: row.isCurrent,
      order: row.sortOrder,
      lastUsedAt: row.lastUsedAt,
      models: quotas.length > 0 ? new Set(quotas.map((quota) => quota.modelId)) : undefined,
    });
    for (const quota of quotas) {
      this.pool.setModelQuota(
        id,
        quota.modelId,
        quota.status === 'known' && quota.remainingFraction !== null
          ? { remainingFraction: quota.remainingFraction }
          : 'unknown',
      );
    }
  }
}
