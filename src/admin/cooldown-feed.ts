import type { AccountPool } from '../pool/index.ts';
import type { CooldownChange, ProxyRuntime } from '../proxy/runtime.ts';

/** The `cooldown` event of `/api/events`: a start (`until` ISO time, `reason`) or an end (`until` null). */
export type CooldownEvent =
  | { accountId: string; model: string; until: string; reason: string }
  | { accountId: string; model: string; until: null };

/** setTimeout fires at once past this delay (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Cooldown starts and ends for the live feed's clients. The pool announces starts and early drops;
 * an end by time has no event of its own there (the pool keeps no timers), so the feed arms one
 * timer per (account, model) for it. It listens to the runtime, and keeps timers, only while at
 * least one client is subscribed: with no dashboard open a cooldown costs the proxy nothing more.
 */
export class CooldownFeed {
  private readonly subscribers = new Set<(event: CooldownEvent) => void>();
  private readonly endTimers = new Map<string, NodeJS.Timeout>();
  private readonly source: ProxyRuntime['cooldownChanges'];
  private readonly pool: Pick<AccountPool, 'isCooling'>;
  private readonly onChange = (change: CooldownChange) => this.relay(change);

  constructor(proxy: Pick<ProxyRuntime, 'cooldownChanges' | 'pool'>) {
    this.source = proxy.cooldownChanges;
    this.pool = proxy.pool;
  }

  /** Adds a client; the returned function removes it (and the last one stops everything). */
  subscribe(subscriber: (event: CooldownEvent) => void): () => void {
    if (this.subscribers.size === 0) this.source.on('change', this.onChange);
    this.subscribers.add(subscriber);
    return () => {
      if (!this.subscribers.delete(subscriber) || this.subscribers.size > 0) return;
      this.stop();
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get pendingEnds(): number {
    return this.endTimers.size;
  }

  stop(): void {
    this.subscribers.clear();
    this.source.off('change', this.onChange);
    for (const timer of this.endTimers.values()) clearTimeout(timer);
    this.endTimers.clear();
  }

  private relay(change: CooldownChange): void {
    const key = `${change.accountId}\n${change.model}`;
    clearTimeout(this.endTimers.get(key));
    this.endTimers.delete(key);
    if (change.until === null) {
      this.broadcast({ accountId: change.accountId, model: change.model, until: null });
      return;
    }
    this.broadcast({
      accountId: change.accountId,
      model: change.model,
      until: new Date(change.until).toISOString(),
      reason: change.reason ?? 'unknown',
    });
    this.armEnd(key, change.accountId, change.model, change.until);
  }

  private armEnd(key: string, accountId: string, model: string, until: number): void {
    const timer = setTimeout(
      () => {
        this.endTimers.delete(key);
        if (Date.now() < until) {
          this.armEnd(key, accountId, model, until);
          return;
        }
        // A longer cooldown that replaced this one re-armed its own timer; this one only reports an end.
        if (!this.pool.isCooling(accountId, model)) this.broadcast({ accountId, model, until: null });
      },
      Math.min(Math.max(0, until - Date.now()), MAX_TIMER_MS),
    );
    timer.unref();
    this.endTimers.set(key, timer);
  }

  private broadcast(event: CooldownEvent): void {
    for (const subscriber of this.subscribers) subscriber(event);
  }
}
