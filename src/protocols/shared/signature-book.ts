/**
 * What this proxy knows of the thought signatures it relayed (product.md §3, wire.md §6.10): who
 * issued each one (model family and account), and the Gemini signature of each tool call, kept
 * server-side because clients such as Claude Code drop fields they don't know. Signatures stay
 * opaque: they are looked up by exact value, never decoded.
 */

export type SignatureFamily = 'claude' | 'gemini';

export interface SignatureIssuer {
  family: SignatureFamily;
  accountId: string;
}

export interface ToolCallSignature extends SignatureIssuer {
  signature: string;
}

/** Read side, for request translation. */
export interface SignatureLookup {
  /** Who issued this thinking signature, when this proxy relayed it. */
  issuerOf(signature: string): SignatureIssuer | undefined;
  /** The signature that came with a tool call this proxy relayed, by the call's id (and session). */
  toolCallSignature(toolCallId: string, sessionKey?: string): ToolCallSignature | undefined;
}

/** Write side, for response translation. */
export interface SignatureRecorder {
  recordThinking(signature: string, issuer: SignatureIssuer): void;
  recordToolCall(toolCallId: string, signature: string, issuer: SignatureIssuer, sessionKey?: string): void;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A Map used as an LRU with a TTL: insertion order is recency, so the oldest entry is the first key. */
class BoundedMap<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(maxEntries: number, ttlMs: number, now: () => number) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Used again: it becomes the most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

export interface SignatureBookOptions {
  /** Entries per table; a long Claude Code session makes a few per turn. */
  maxEntries?: number;
  /** A signature older than this is not vouched for (a resumed session the next day starts its thinking anew). */
  ttlMs?: number;
  now?: () => number;
}

/** Bounded (LRU) and expiring: memory stays flat however long the proxy runs. */
export class SignatureBook implements SignatureLookup, SignatureRecorder {
  private readonly thoughts: BoundedMap<SignatureIssuer>;
  private readonly calls: BoundedMap<ToolCallSignature>;

  constructor(options: SignatureBookOptions = {}) {
    const maxEntries = options.maxEntries ?? 20_000;
    const ttlMs = options.ttlMs ?? 6 * 3_600_000;
    const now = options.now ?? Date.now;
    this.thoughts = new BoundedMap(maxEntries, ttlMs, now);
    this.calls = new BoundedMap(maxEntries, ttlMs, now);
  }

  get size(): { thoughts: number; calls: number } {
    return { thoughts: this.thoughts.size, calls: this.calls.size };
  }

  issuerOf(signature: string): SignatureIssuer | undefined {
    return this.thoughts.get(signature);
  }

  toolCallSignature(toolCallId: string, sessionKey?: string): ToolCallSignature | undefined {
    // By session first (some clients number their calls per conversation), then by id alone.
    return (
      (sessionKey !== undefined ? this.calls.get(sessionScoped(sessionKey, toolCallId)) : undefined) ??
      this.calls.get(toolCallId)
    );
  }

  recordThinking(signature: string, issuer: SignatureIssuer): void {
    if (signature) this.thoughts.set(signature, { family: issuer.family, accountId: issuer.accountId });
  }

  recordToolCall(toolCallId: string, signature: string, issuer: SignatureIssuer, sessionKey?: string): void {
    if (!toolCallId || !signature) return;
    const entry: ToolCallSignature = { signature, family: issuer.family, accountId: issuer.accountId };
    this.calls.set(toolCallId, entry);
    if (sessionKey !== undefined) this.calls.set(sessionScoped(sessionKey, toolCallId), entry);
  }
}

function sessionScoped(sessionKey: string, toolCallId: string): string {
  return `${sessionKey}\u0000${toolCallId}`;
}
