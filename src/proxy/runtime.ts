import type { AccountsRuntime } from '../accounts/runtime.ts';
import type { SettingsService } from '../config/settings-service.ts';
import { ProxyEngine, type RoutedModel } from '../engine/engine.ts';
import { EngineError } from '../engine/errors.ts';
import { GenerateClient } from '../google/generate-client.ts';
import { FALLBACK_MODELS } from '../models/fallback.ts';
import { listClientModels, type ClientModel } from '../models/catalog.ts';
import { isBackgroundRequest, routeModel, type RequestFeatures } from '../models/background.ts';
import { resolveModel, type ResolveContext } from '../models/resolve.ts';
import { RequestLog } from '../monitor/request-log.ts';
import { AccountPool, type CooldownKind } from '../pool/index.ts';
import { AccountsTable } from '../store/accounts-table.ts';
import { ApiKeysTable } from '../store/api-keys-table.ts';
import type { Store } from '../store/database.ts';
import { QuotaTable } from '../store/quota-table.ts';
import type { Logger } from 'pino';
import { ClientAuth } from './client-auth.ts';
import { PoolSync } from './pool-sync.ts';

export interface ProxyRuntime {
  engine: ProxyEngine;
  pool: AccountPool;
  log: RequestLog;
  clientAuth: ClientAuth;
  apiKeys: ApiKeysTable;
  /** Requested name → upstream id (mapping, aliases, deprecations, background routing). */
  routeModel(requested: string, features?: RequestFeatures): RoutedModel;
  listModels(): ClientModel[];
  countTokens(model: string, request: Record<string, unknown>, signal: AbortSignal): Promise<number>;
  close(): void;
}

const COOLDOWN_KINDS = new Set<string>(['rate_limited', 'quota_exhausted', 'credits_exhausted', 'not_found']);

export function createProxyRuntime(options: {
  store: Store;
  settings: SettingsService;
  accounts: AccountsRuntime;
  logger: Logger;
  now?: () => number;
}): ProxyRuntime {
  const { store, settings, accounts, logger } = options;
  const accountsTable = new AccountsTable(store);
  const quotas = new QuotaTable(store);
  // Last-use times are written in batches: a write per request would put the disk on the hot path.
  const usedAt = new Map<string, number>();
  const pool = new AccountPool({
    settings: () => settings.current,
    now: options.now,
    onUsed: (id, at) => usedAt.set(id, at),
  });
  const persistUse = () => {
    if (usedAt.size === 0 || !store.isOpen) return;
    const batch = [...usedAt];
    usedAt.clear();
    try {
      store.transaction(() => {
        for (const [id, at] of batch) accountsTable.touch(id, at);
      });
    } catch (error) {
      logger.warn(`last-use times not saved: ${(error as Error).message}`);
    }
  };
  const useTimer = setInterval(persistUse, 15_000);
  useTimer.unref();
  const sync = new PoolSync(pool, accountsTable, quotas, accounts.service);
  sync.start();
  const log = new RequestLog(store, logger);
  const apiKeys = new ApiKeysTable(store);
  const engine = new ProxyEngine({
    settings,
    pool: {
      select: (request) => pool.select(request),
      reportSuccess: (id, model) => pool.reportSuccess(id, model),
      reportFailure: (id, model, kind, delay) =>
        void pool.reportFailure(
          id,
          model,
          (COOLDOWN_KINDS.has(kind) ? kind : 'rate_limited') as CooldownKind,
          delay,
        ),
      capacityBackoffMs: (retry) => pool.capacityBackoffMs(retry),
      countEligible: (model, limit) => pool.countEligible(model, limit),
    },
    accounts: accountsTable,
    tokens: accounts.tokens,
    generate: new GenerateClient(accounts.http, settings),
    log,
    logger,
    onAccountChanged: (id) => accounts.service.emit('changed', id),
    now: options.now,
  });

  let catalog: { version: number; builtAt: number; models: ClientModel[]; ids: Set<string> } | undefined;
  const currentCatalog = () => {
    // Rebuilt at most once a second: with thousands of accounts refreshing, changes never stop.
    const stale =
      catalog === undefined || (catalog.version !== sync.version && Date.now() - catalog.builtAt > 1000);
    if (stale) {
      const accountModels = [...sync.modelsByAccount.values()].flat();
      const models = listClientModels({
        accountModels,
        aliases: settings.current.models.aliases,
        fallback: FALLBACK_MODELS,
      });
      catalog = {
        version: sync.version,
        builtAt: Date.now(),
        models,
        ids: new Set(accountModels.map((model) => model.id)),
      };
    }
    return catalog!;
  };
  settings.on('change', () => (catalog = undefined));

  // Retention (product.md §5): pruned in the background, never on the request path.
  const prune = () => {
    try {
      log.flush();
      log.prune(settings.current.logging.retentionDays, settings.current.logging.retentionMaxRows);
    } catch (error) {
      logger.error(`request log pruning failed: ${(error as Error).message}`);
    }
  };
  const pruneTimer = setInterval(prune, 10 * 60_000);
  pruneTimer.unref();

  const resolveContext = (): ResolveContext => ({
    mapping: settings.current.models.mapping,
    aliases: settings.current.models.aliases,
    deprecated: accounts.service.deprecatedModels,
    upstreamIds: currentCatalog().ids,
  });

  return {
    engine,
    pool,
    log,
    apiKeys,
    clientAuth: new ClientAuth(settings, apiKeys),
    routeModel(requested, features) {
      const context = resolveContext();
      const decision = resolveModel(requested, context);
      const routing = settings.current.routing.background;
      // Reading the request's texts for background markers is only worth it when routing is on.
      if (!features || !routing.enabled) return decision;
      return routeModel(decision, isBackgroundRequest(features), routing, context);
    },
    listModels: () => currentCatalog().models,
    async countTokens(model, request, signal) {
      if (model.startsWith('claude')) {
        // Claude's count through v1internal is unreliable (wire.md §2.9): estimate from the text.
        return Math.max(1, Math.ceil(JSON.stringify(request).length / 4));
      }
      const selection = pool.select({ model });
      if (selection.kind === 'unavailable') {
        throw new EngineError(
          selection.status,
          'no_account',
          selection.reason,
          selection.retryAfterMs === undefined ? undefined : Math.ceil(selection.retryAfterMs / 1000),
        );
      }
      const token = await accounts.tokens.accessToken(selection.accountId);
      const answer = (await accounts.codeAssist.call(
        'countTokens',
        token,
        { request: { model: `models/${model}`, ...request } },
        { signal },
      )) as {
        totalTokens?: number;
        response?: { totalTokens?: number };
      };
      return answer.totalTokens ?? answer.response?.totalTokens ?? 0;
    },
    close() {
      clearInterval(pruneTimer);
      clearInterval(useTimer);
      persistUse();
      sync.stop();
      log.flush();
    },
  };
}
