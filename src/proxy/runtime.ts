import { EventEmitter } from 'node:events';
import type { AccountsRuntime } from '../accounts/runtime.ts';
import type { SettingsService } from '../config/settings-service.ts';
import { ProxyEngine } from '../engine/engine.ts';
import { GenerateClient } from '../google/generate-client.ts';
import { FALLBACK_MODELS } from '../models/fallback.ts';
import { listClientModels, type ClientModel } from '../models/catalog.ts';
import { isBackgroundRequest, routeModel, type RequestFeatures } from '../models/background.ts';
import { resolveModel, type ResolveContext } from '../models/resolve.ts';
import { RequestLog } from '../monitor/request-log.ts';
import { LogRetention } from '../monitor/retention.ts';
import { ProxyMetrics } from '../monitor/metrics.ts';
import { AccountPool, type CooldownKind } from '../pool/index.ts';
import { AccountsTable } from '../store/accounts-table.ts';
import { ApiKeysTable } from '../store/api-keys-table.ts';
import { ResponsesTable } from '../store/responses-table.ts';
import type { Store } from '../store/database.ts';
import { QuotaTable } from '../store/quota-table.ts';
import type { Logger } from 'pino';
import { ClientAuth } from './client-auth.ts';
import { createImageFetcher, type ImageFetcher } from '../protocols/openai/remote-images.ts';
import { SignatureBook } from '../protocols/shared/signature-book.ts';
import { modelFamily } from '../protocols/target/target-rules.ts';
import { ExchangePipeline, type ModelDirectory } from './pipeline.ts';
import { PoolSync } from './pool-sync.ts';
import { storedConversations, type StoredConversations } from './stored-conversations.ts';

/** A cooldown of (account, model) started or grew (`until` epoch ms), or ended early (`until` null). */
export interface CooldownChange {
  accountId: string;
  model: string;
  until: number | null;
  reason: CooldownKind | null;
}

export interface ProxyRuntime {
  engine: ProxyEngine;
  pipeline: ExchangePipeline;
  pool: AccountPool;
  log: RequestLog;
  /** Prunes the request log in small steps between requests (product.md §5). */
  retention: LogRetention;
  /** Counters and histograms for `GET /metrics`. */
  metrics: ProxyMetrics;
  clientAuth: ClientAuth;
  apiKeys: ApiKeysTable;
  models: ModelDirectory;
  /** Thought signatures this proxy relayed, shared by every protocol (product.md §3). */
  signatures: SignatureBook;
  /** Fetches image URLs of OpenAI requests over the upstream's outbound path. */
  fetchImage: ImageFetcher;
  /** Responses API answers kept for previous_response_id. */
  conversations: StoredConversations;
  /** Cooldown starts and early ends, for the live feed; emitted only while someone listens. */
  cooldownChanges: EventEmitter<{ change: [CooldownChange] }>;
  /** What model resolution decides from right now (mapping, aliases, deprecations, reported ids). */
  modelContext(): ResolveContext;
  listModels(): ClientModel[];
  close(): void;
}

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
  const cooldownChanges = new EventEmitter<{ change: [CooldownChange] }>();
  const pool = new AccountPool({
    settings: () => settings.current,
    now: options.now,
    onUsed: (id, at) => usedAt.set(id, at),
    onCooldown: (accountId, model, until, reason) => {
      if (cooldownChanges.listenerCount('change') > 0)
        cooldownChanges.emit('change', { accountId, model, until, reason });
    },
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
  const metrics = new ProxyMetrics();
  const apiKeys = new ApiKeysTable(store);
  const engine = new ProxyEngine({
    settings,
    pool,
    accounts: accountsTable,
    outcomes: {
      markUnusable: (id, state, reason, url) => accounts.service.markUnusable(id, state, reason, url),
      tokenRefreshFailed: (id) => accounts.service.emit('changed', id),
    },
    tokens: accounts.tokens,
    logger,
    now: options.now,
  });
  const generate = new GenerateClient(accounts.http, settings);

  let catalog:
    | {
        version: number;
        builtAt: number;
        models: ClientModel[];
        byId: Map<string, ClientModel>;
        ids: Set<string>;
        claude: Set<string>;
      }
    | undefined;
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
        byId: new Map(models.map((model) => [model.id, model])),
        ids: new Set(accountModels.map((model) => model.id)),
        // The upstream serves Claude under its own ids and names (wire.md §2.12): the family that decides the rules.
        claude: new Set(
          [...accountModels, ...models]
            .filter((model) => /claude/i.test(`${model.id} ${model.displayName ?? ''}`))
            .map((model) => model.id),
        ),
      };
    }
    return catalog!;
  };
  settings.on('change', () => (catalog = undefined));

  const retention = new LogRetention(
    store,
    () => ({
      days: settings.current.logging.retentionDays,
      maxRows: settings.current.logging.retentionMaxRows,
    }),
    logger,
  );
  retention.start();

  const resolveContext = (): ResolveContext => ({
    mapping: settings.current.models.mapping,
    aliases: settings.current.models.aliases,
    deprecated: accounts.service.deprecatedModels,
    upstreamIds: currentCatalog().ids,
  });

  /** The family decides the target-model rules; the catalog's display name counts, not just the id. */
  const familyOf = (id: string): 'claude' | 'gemini' => {
    if (currentCatalog().claude.has(id)) return 'claude';
    // An id no account reports (before the first quota fetch): only its name can tell.
    return currentCatalog().ids.has(id) ? 'gemini' : modelFamily(id);
  };
  const models: ModelDirectory = {
    decide(requested, features, protocol, headers) {
      const context = resolveContext();
      const decision = resolveModel(requested, context);
      const routing = settings.current.routing.background;
      // Reading the request's texts for background markers is only worth it when routing is on.
      if (!features || !routing.enabled) return decision;
      return routeModel(
        decision,
        isBackgroundRequest({
          ...features,
          protocol: (protocol ?? 'gemini') as RequestFeatures['protocol'],
          ...(headers ? { headers } : {}),
        }),
        routing,
        context,
      );
    },
    isKnown(id) {
      const ids = currentCatalog().ids;
      // Before any account has reported its models, only the upstream can tell.
      return ids.size === 0 || ids.has(id);
    },
    target(id) {
      const family = familyOf(id);
      const known = currentCatalog().byId.get(id);
      if (known?.maxOutputTokens === undefined && known?.thinkingBudget === undefined)
        return { model: id, family };
      return {
        model: id,
        family,
        limits: {
          ...(known.maxOutputTokens !== undefined ? { maxOutputTokens: known.maxOutputTokens } : {}),
          // The upstream tells the largest budget only; the smallest is the family's (wire.md §2.12 #2, §2.13 #2).
          ...(known.thinkingBudget !== undefined
            ? { thinkingBudget: { min: family === 'claude' ? 1024 : 128, max: known.thinkingBudget } }
            : {}),
        },
      };
    },
  };

  const clientAuth = new ClientAuth(settings, apiKeys);
  const pipeline = new ExchangePipeline({
    engine,
    openStream: (call) => generate.open(call),
    async countTokens(target, model, request) {
      const answer = (await accounts.codeAssist.call(
        'countTokens',
        target.accessToken,
        { request: { model: `models/${model}`, ...request } },
        { signal: target.signal },
      )) as { totalTokens?: number; response?: { totalTokens?: number } };
      return answer.totalTokens ?? answer.response?.totalTokens ?? 0;
    },
    clientAuth,
    models,
    log,
    metrics,
    logger,
    bodyLogging: () => {
      const { bodies, bodyMaxKb } = settings.current.logging;
      return { enabled: bodies, maxBytes: bodyMaxKb * 1024 };
    },
  });

  return {
    engine,
    pipeline,
    pool,
    log,
    retention,
    metrics,
    apiKeys,
    models,
    signatures: new SignatureBook(),
    fetchImage: createImageFetcher(settings, () => accounts.http.dispatcher),
    conversations: storedConversations(settings, new ResponsesTable(store)),
    clientAuth,
    cooldownChanges,
    modelContext: resolveContext,
    listModels: () => currentCatalog().models,
    close() {
      retention.stop();
      clearInterval(useTimer);
      persistUse();
      sync.stop();
      log.flush();
    },
  };
}
