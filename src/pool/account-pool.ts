import { capacityBackoffMs, DEFAULT_CAPACITY_BACKOFF } from './backoff.ts';
import type { CapacityBackoffOptions } from './backoff.ts';
import { CooldownBook } from './cooldowns.ts';
import { entryFrom, indexAfter, ModelViews, sameModels, UNKNOWN_FRACTION } from './model-view.ts';
import type { ModelView, PoolEntry, Slot } from './model-view.ts';
import { countEligible, keepPreferred, pickByQuota, pickRoundRobin } from './pick.ts';
import type { PickContext } from './pick.ts';
import { SessionTable, sessionIdFor } from './session-table.ts';
import type { SessionLimits } from './session-table.ts';
import type {
  CooldownInfo,
  CooldownKind,
  ModelQuota,
  PoolAccount,
  PoolSettings,
  SelectRequest,
  Selection,
} from './types.ts';
import { unavailable } from './unavailable.ts';

export interface AccountPoolOptions {
  /** Read on every call: scheduling mode, stickiness and protection apply live. */
  settings: () => PoolSettings;
  /** Epoch ms; injected so that tests control time. */
  now?: () => number;
  /** [0, 1) like `Math.random`: capacity jitter and session ids of requests without a session key. */
  random?: () => number;
  /** Called when `select` hands out an account, so the caller can persist its last-used time. */
  onUsed?: (accountId: string, at: number) => void;
  /**
   * Called when a cooldown starts or grows (`until` its new end) and when one is dropped before its
   * end (`until` null: the account left the pool). Plain arguments: nothing is allocated for it.
   */
  onCooldown?: CooldownListener;
  capacityBackoff?: Partial<CapacityBackoffOptions>;
}

export type CooldownListener = (
  accountId: string,
  model: string,
  until: number | null,
  reason: CooldownKind | null,
) => void;

/**
 * Who serves a request (product.md §2): an in-memory view of the accounts, cooldowns per
 * (account, model), sticky sessions, and the five scheduling modes. No I/O and no timers.
 */
export class AccountPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly book = new CooldownBook();
  private readonly sessions = new SessionTable();
  private readonly views = new ModelViews(this.entries, (id, model) => this.book.until(id, model));
  /**
   * Round-robin: the slot taken last per model. The rotation goes on after its place in the order, so
   * accounts added or removed meanwhile neither skip nor repeat anyone.
   */
  private readonly lastTaken = new Map<string, Slot>();
  private readonly currentIds = new Set<string>();
  private readonly settings: () => PoolSettings;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onUsed: ((accountId: string, at: number) => void) | undefined;
  private readonly onCooldown: CooldownListener | undefined;
  private readonly backoff: CapacityBackoffOptions;

  constructor(options: AccountPoolOptions) {
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onUsed = options.onUsed;
    this.onCooldown = options.onCooldown;
    this.backoff = { ...DEFAULT_CAPACITY_BACKOFF, ...options.capacityBackoff };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds an account or replaces what the pool knows about it (quotas and cooldowns are kept). */
  upsert(account: PoolAccount): void {
    const entry = this.entries.get(account.id);
    if (account.isCurrent) this.currentIds.add(account.id);
    else this.currentIds.delete(account.id);
    if (entry === undefined) {
      const added = entryFrom(account);
      this.entries.set(account.id, added);
      this.views.putIn(added);
      return;
    }
    const reshaped = entry.order !== account.order || !sameModels(entry.models, account.models);
    if (reshaped) this.views.takeOut(entry.id);
    entry.email = account.email;
    entry.enabled = account.enabled;
    entry.status = account.status;
    entry.usable = account.enabled && account.status === 'ok';
    entry.isCurrent = account.isCurrent;
    entry.order = account.order;
    entry.models = account.models;
    // A copy read from the store may predate a selection it has not persisted yet.
    if (account.lastUsedAt !== null && (entry.lastUsedAt === null || account.lastUsedAt > entry.lastUsedAt)) {
      entry.lastUsedAt = account.lastUsedAt;
    }
    if (reshaped) this.views.putIn(entry);
  }

  /** An account's state changed (an upstream answer marked it): no other field is touched. */
  setStatus(accountId: string, status: PoolAccount['status']): void {
    const entry = this.entries.get(accountId);
    if (entry === undefined) return;
    entry.status = status;
    entry.usable = entry.enabled && status === 'ok';
  }

  remove(accountId: string): void {
    if (!this.entries.delete(accountId)) return;
    if (this.onCooldown !== undefined) {
      for (const cooldown of this.book.active(this.now()))
        if (cooldown.accountId === accountId) this.onCooldown(accountId, cooldown.model, null, null);
    }
    this.currentIds.delete(accountId);
    this.book.dropAccount(accountId);
    this.sessions.dropAccount(accountId);
    this.views.takeOut(accountId);
  }

  setModelQuota(accountId: string, model: string, quota: ModelQuota): void {
    const entry = this.entries.get(accountId);
    if (entry === undefined) return;
    const fraction =
      quota === 'unknown' || !Number.isFinite(quota.remainingFraction)
        ? UNKNOWN_FRACTION
        : Math.min(1, Math.max(0, quota.remainingFraction));
    if (fraction === UNKNOWN_FRACTION) entry.quotas.delete(model);
    else entry.quotas.set(model, fraction);
    const slot = this.views.existingSlot(accountId, model);
    if (slot !== undefined) slot.fraction = fraction;
  }

  /** Picks the account for one upstream attempt and marks it used. */
  select(request: SelectRequest): Selection {
    const now = this.now();
    const { scheduling, quotaProtection } = this.settings();
    const view = this.views.get(request.model);
    const ctx: PickContext = {
      now,
      exclude: request.exclude !== undefined && request.exclude.size > 0 ? request.exclude : undefined,
      threshold: quotaProtection.enabled ? quotaProtection.thresholdPercent / 100 : -Infinity,
    };
    const key = request.sessionKey;
    switch (scheduling.mode) {
      case 'sticky':
      case 'balance': {
        if (key === undefined) return this.handOut(pickByQuota(view, ctx), request, ctx);
        const limits: SessionLimits = {
          ttlMs: scheduling.stickyTtlSeconds * 1000,
          maxEntries: scheduling.stickyMaxEntries,
        };
        const maxWaitMs = scheduling.mode === 'sticky' ? scheduling.maxWaitSeconds * 1000 : 0;
        return this.selectSticky(view, ctx, key, limits, maxWaitMs, request);
      }
      case 'round-robin': {
        const last = this.lastTaken.get(request.model);
        const start = last === undefined ? 0 : indexAfter(view, last);
        const slot = view.slots[pickRoundRobin(view, ctx, start)];
        if (slot !== undefined) this.lastTaken.set(request.model, slot);
        return this.handOut(slot, request, ctx);
      }
      case 'quota-first':
        return this.handOut(pickByQuota(view, ctx), request, ctx);
      case 'current-first': {
        const current = this.currentSlot(view, ctx);
        const preferred = current === undefined ? undefined : keepPreferred(current, view, ctx);
        return this.handOut(preferred ?? pickByQuota(view, ctx), request, ctx);
      }
    }
  }

  /**
   * Records a limit on (account, model) and returns when its cooldown ends. `retryDelayMs` is the
   * upstream's hint and wins over the defaults (rate limit 30 s, quota ladder 1 min → 2 h).
   */
  reportFailure(accountId: string, model: string, kind: CooldownKind, retryDelayMs?: number): number {
    if (!this.entries.has(accountId)) return 0;
    const before = this.book.until(accountId, model);
    const until = this.book.fail(accountId, model, kind, this.now(), retryDelayMs);
    const slot = this.views.existingSlot(accountId, model);
    if (slot !== undefined) slot.coolUntil = until;
    // A report folded into the cooldown in force (dedupe, or a shorter late answer) changes nothing.
    if (until !== before) this.onCooldown?.(accountId, model, until, this.book.get(accountId, model)!.reason);
    return until;
  }

  /** A request on (account, model) succeeded: the quota-exhaustion ladder starts again. */
  reportSuccess(accountId: string, model: string): void {
    this.book.succeed(accountId, model);
  }

  /** Wait before capacity retry number `attempt` (1-based); capacity errors never cool an account. */
  capacityBackoffMs(attempt: number): number {
    return capacityBackoffMs(attempt, this.random, this.backoff);
  }

  isCooling(accountId: string, model: string): boolean {
    return this.book.until(accountId, model) > this.now();
  }

  /** Cooldowns in force, soonest end first (for the dashboard). */
  cooldowns(): CooldownInfo[] {
    return this.book.active(this.now());
  }

  /** Eligible accounts for `model` right now, counting at most `limit` (default attempts = min(this, 5)). */
  countEligible(model: string, limit = Infinity): number {
    const { quotaProtection } = this.settings();
    return countEligible(
      this.views.get(model),
      {
        now: this.now(),
        exclude: undefined,
        threshold: quotaProtection.enabled ? quotaProtection.thresholdPercent / 100 : -Infinity,
      },
      limit,
    );
  }

  private selectSticky(
    view: ModelView,
    ctx: PickContext,
    key: string,
    limits: SessionLimits,
    maxWaitMs: number,
    request: SelectRequest,
  ): Selection {
    const binding = this.sessions.lookup(key, ctx.now, limits.ttlMs);
    const bound = binding === undefined ? undefined : view.byAccount.get(binding.accountId);
    if (bound !== undefined && bound.entry.usable && !ctx.exclude?.has(bound.entry.id)) {
      const waitMs = bound.coolUntil - ctx.now;
      // Waiting briefly keeps the upstream prompt cache; a long wait costs more than a cold cache.
      if (waitMs <= maxWaitMs && keepPreferred(bound, view, ctx) !== undefined) {
        const { sessionId } = this.sessions.bind(key, bound.entry.id, ctx.now, limits);
        return this.use(bound, ctx.now, sessionId, waitMs > 0 ? waitMs : undefined);
      }
    }
    const next = pickByQuota(view, ctx);
    if (next === undefined) return this.unavailable(request, ctx);
    const { sessionId } = this.sessions.bind(key, next.entry.id, ctx.now, limits);
    return this.use(next, ctx.now, sessionId, undefined);
  }

  private currentSlot(view: ModelView, ctx: PickContext): Slot | undefined {
    let current: Slot | undefined;
    for (const id of this.currentIds) {
      const slot = view.byAccount.get(id);
      if (slot === undefined || !slot.entry.usable || slot.coolUntil > ctx.now || ctx.exclude?.has(id))
        continue;
      if (current === undefined || slot.entry.order < current.entry.order) current = slot;
    }
    return current;
  }

  private handOut(slot: Slot | undefined, request: SelectRequest, ctx: PickContext): Selection {
    if (slot === undefined) return this.unavailable(request, ctx);
    const sessionId =
      request.sessionKey !== undefined
        ? sessionIdFor(request.sessionKey)
        : `-${Math.floor(this.random() * Number.MAX_SAFE_INTEGER)}`;
    return this.use(slot, ctx.now, sessionId, undefined);
  }

  private use(slot: Slot, at: number, sessionId: string, waitMs: number | undefined): Selection {
    slot.entry.lastUsedAt = at;
    this.onUsed?.(slot.entry.id, at);
    return waitMs === undefined
      ? { kind: 'account', accountId: slot.entry.id, sessionId }
      : { kind: 'account', accountId: slot.entry.id, sessionId, waitMs };
  }

  private unavailable(request: SelectRequest, ctx: PickContext): Selection {
    return unavailable({
      model: request.model,
      entries: this.entries.values(),
      now: ctx.now,
      exclude: ctx.exclude,
      cooldown: (id, model) => this.book.get(id, model),
    });
  }
}
