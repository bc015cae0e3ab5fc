import { createHash } from 'node:crypto';

/**
 * Upstream `request.sessionId` for a session key: `-` + a positive int63 from SHA-256, the form CPA
 * sends (wire.md §2.6). Derived, not stored, so a conversation keeps its prompt cache across restarts.
 */
export function sessionIdFor(sessionKey: string): string {
  // The namespace keeps the id from being a bare hash of what may be a client's user id.
  const digest = createHash('sha256').update(`better-manager:session\0${sessionKey}`).digest();
  return `-${digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn}`;
}

export interface SessionBinding {
  accountId: string;
  sessionId: string;
  lastUsedAt: number;
}

export interface SessionLimits {
  ttlMs: number;
  maxEntries: number;
}

/**
 * Session key → account, bounded (LRU) and expiring after a time without use. A `Map` keeps insertion
 * order, so re-inserting on every use makes its first entry the least recently used one: eviction
 * and expiry both work from the front in amortised O(1).
 */
export class SessionTable {
  private readonly bindings = new Map<string, SessionBinding>();

  get size(): number {
    return this.bindings.size;
  }

  /** The live binding of `key`, without counting this as a use. */
  lookup(key: string, now: number, ttlMs: number): SessionBinding | undefined {
    const binding = this.bindings.get(key);
    if (binding === undefined) return undefined;
    if (now - binding.lastUsedAt >= ttlMs) {
      this.bindings.delete(key);
      return undefined;
    }
    return binding;
  }

  /** Binds (or re-binds) `key` to `accountId` and marks it as just used. */
  bind(key: string, accountId: string, now: number, limits: SessionLimits): SessionBinding {
    const previous = this.bindings.get(key);
    const binding: SessionBinding = {
      accountId,
      sessionId: previous?.sessionId ?? sessionIdFor(key),
      lastUsedAt: now,
    };
    this.bindings.delete(key);
    this.bindings.set(key, binding);
    this.prune(now, limits);
    return binding;
  }

  /** Forgets every binding to an account that left the pool. */
  dropAccount(accountId: string): void {
    for (const [key, binding] of this.bindings) {
      if (binding.accountId === accountId) this.bindings.delete(key);
    }
  }

  private prune(now: number, { ttlMs, maxEntries }: SessionLimits): void {
    for (const [key, binding] of this.bindings) {
      if (this.bindings.size <= maxEntries && now - binding.lastUsedAt < ttlMs) break;
      this.bindings.delete(key);
    }
  }
}
