import type { Logger } from 'pino';
import type { Store } from '../store/database.ts';
import { pruneAll } from './retention.ts';
import { isStorageFull } from '../store/storage-full.ts';
import { rollUp } from './stats-rollup.ts';

export interface AttemptRecord {
  accountId: string;
  email: string;
  status: number;
  errorClass?: string;
  ms: number;
}

/** One proxied client request (product.md §5). */
export interface RequestLogEntry {
  createdAt: number;
  protocol: 'gemini' | 'openai' | 'anthropic';
  route: string;
  clientKey?: string;
  /** The matched key's id (api_keys row, or `env:...` for a key from the settings); absent when none was checked. */
  keyId?: string;
  requestedModel?: string;
  mappedModel?: string;
  mappingRule?: string;
  routed?: boolean;
  accountId?: string;
  accountEmail?: string;
  sessionHash?: string;
  attempts: AttemptRecord[];
  status: number;
  errorClass?: string;
  errorMessage?: string;
  latencyMs: number;
  firstByteMs?: number;
  stream: boolean;
  inputTokens?: number;
  outputTokens?: number;
  thinkingTokens?: number;
  cachedTokens?: number;
  /** Only with body logging on (`logging.bodies`): cut and masked. */
  requestBody?: string;
  responseBody?: string;
}

export interface StoredLogRow extends RequestLogEntry {
  id: number;
}

const FLUSH_INTERVAL_MS = 200;
/**
 * Rows written per turn of the event loop. Each slice is one short transaction (well under a
 * millisecond) with the loop free in between, so a busy second's rows never hold up requests.
 */
const WRITE_SLICE = 64;
/** A queue this long is written at the next turn instead of waiting for the timer. */
const FLUSH_BATCH = 500;
/** Write failures are logged at most this often (a full disk fails every batch). */
const FAILURE_REPORT_INTERVAL_MS = 60_000;

/** Masks a client key for the log: never stored whole. */
export function maskClientKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  return key.length <= 8 ? '****' : `${key.slice(0, 4)}…${key.slice(-2)}`;
}

/**
 * Writes request-log rows in batches, off the request path: `record` only queues; a timer
 * writes the queue in one transaction. `flush` is called at shutdown.
 */
export class RequestLog {
  private readonly store: Store;
  private readonly logger: Logger;
  private queue: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private slice: NodeJS.Immediate | undefined;
  private readonly listeners = new Set<(row: StoredLogRow) => void>();
  /** Rows dropped since the failure was last reported (a full disk). */
  private droppedRows = 0;
  /** A failure was reported and its end is not yet. */
  private failureReported = false;
  private lastFailureReportAt = -Infinity;

  constructor(store: Store, logger: Logger) {
    this.store = store;
    this.logger = logger;
  }

  record(entry: RequestLogEntry): void {
    this.queue.push({ ...entry, clientKey: maskClientKey(entry.clientKey) });
    if (this.slice) return;
    if (this.queue.length >= FLUSH_BATCH) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.slice = setImmediate(() => this.drain());
    } else {
      this.timer ??= setTimeout(() => this.drain(), FLUSH_INTERVAL_MS);
    }
  }

  /** Called with each row once it is stored (the live feed). */
  onRow(listener: (row: StoredLogRow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes everything queued now, in one transaction (shutdown, tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.slice) clearImmediate(this.slice);
    this.timer = undefined;
    this.slice = undefined;
    const batch = this.queue;
    this.queue = [];
    this.write(batch);
  }

  /** Writes one slice, and the rest at the following turns of the event loop. */
  private drain(): void {
    this.timer = undefined;
    this.slice = undefined;
    this.write(this.queue.splice(0, WRITE_SLICE));
    if (this.queue.length > 0) this.slice = setImmediate(() => this.drain());
  }

  private write(batch: RequestLogEntry[]): void {
    if (batch.length === 0 || !this.store.isOpen) return;
    const insert = this.store.prepare(
      `INSERT INTO request_logs (created_at, protocol, route, client_key, key_id, requested_model, mapped_model, mapping_rule, routed,
        account_id, account_email, session_hash, attempts, attempt_count, status, error_class, error_message, latency_ms,
        first_byte_ms, stream, input_tokens, output_tokens, thinking_tokens, cached_tokens, request_body, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const stored: StoredLogRow[] = [];
    try {
      this.store.transaction(() => {
        for (const e of batch) {
          const result = insert.run(
            e.createdAt,
            e.protocol,
            e.route,
            e.clientKey ?? null,
            e.keyId ?? null,
            e.requestedModel ?? null,
            e.mappedModel ?? null,
            e.mappingRule ?? null,
            e.routed ? 1 : 0,
            e.accountId ?? null,
            e.accountEmail ?? null,
            e.sessionHash ?? null,
            JSON.stringify(e.attempts),
            e.attempts.length,
            e.status,
            e.errorClass ?? null,
            e.errorMessage ?? null,
            Math.round(e.latencyMs),
            e.firstByteMs === undefined ? null : Math.round(e.firstByteMs),
            e.stream ? 1 : 0,
            e.inputTokens ?? null,
            e.outputTokens ?? null,
            e.thinkingTokens ?? null,
            e.cachedTokens ?? null,
            e.requestBody ?? null,
            e.responseBody ?? null,
          );
          // The live feed and the list carry no bodies: GET /api/logs/{id} reads them.
          const { requestBody: _request, responseBody: _response, ...row } = e;
          stored.push({ ...row, id: Number(result.lastInsertRowid) });
        }
        rollUp(this.store, batch);
      });
    } catch (error) {
      // A full disk must not take the proxy down: the rows are dropped. A batch fails every 200 ms
      // while the disk stays full, and a disk at the brink lets some through, so a failure is
      // reported at most once a minute, and its end once after that.
      this.droppedRows += batch.length;
      const now = Date.now();
      if (!this.failureReported && now - this.lastFailureReportAt >= FAILURE_REPORT_INTERVAL_MS) {
        this.failureReported = true;
        this.lastFailureReportAt = now;
        const reason = isStorageFull(error)
          ? `the disk holding the data folder is full (${(error as Error).message})`
          : (error as Error).message;
        this.logger.error(
          `request log: ${batch.length} rows not written: ${reason}; later rows are dropped until a write succeeds`,
        );
      }
      return;
    }
    if (this.failureReported) {
      this.failureReported = false;
      this.logger.warn(
        `request log: writing again; ${this.droppedRows} rows were dropped while writes failed`,
      );
      this.droppedRows = 0;
    }
    for (const row of stored) for (const listener of this.listeners) listener(row);
  }

  recent(limit = 100): StoredLogRow[] {
    const rows = this.store
      .prepare('SELECT * FROM request_logs ORDER BY id DESC LIMIT ?')
      .all(limit) as Record<string, unknown>[];
    return rows.map((raw) => ({
      id: raw.id as number,
      createdAt: raw.created_at as number,
      protocol: raw.protocol as RequestLogEntry['protocol'],
      route: raw.route as string,
      clientKey: (raw.client_key as string | null) ?? undefined,
      keyId: (raw.key_id as string | null) ?? undefined,
      requestedModel: (raw.requested_model as string | null) ?? undefined,
      mappedModel: (raw.mapped_model as string | null) ?? undefined,
      mappingRule: (raw.mapping_rule as string | null) ?? undefined,
      routed: raw.routed === 1,
      accountId: (raw.account_id as string | null) ?? undefined,
      accountEmail: (raw.account_email as string | null) ?? undefined,
      sessionHash: (raw.session_hash as string | null) ?? undefined,
      attempts: JSON.parse(raw.attempts as string) as AttemptRecord[],
      status: raw.status as number,
      errorClass: (raw.error_class as string | null) ?? undefined,
      errorMessage: (raw.error_message as string | null) ?? undefined,
      latencyMs: raw.latency_ms as number,
      firstByteMs: (raw.first_byte_ms as number | null) ?? undefined,
      stream: raw.stream === 1,
      inputTokens: (raw.input_tokens as number | null) ?? undefined,
      outputTokens: (raw.output_tokens as number | null) ?? undefined,
      thinkingTokens: (raw.thinking_tokens as number | null) ?? undefined,
      cachedTokens: (raw.cached_tokens as number | null) ?? undefined,
    }));
  }

  /**
   * Retention all at once: rows older than `days`, then the oldest beyond `maxRows`, in batches but
   * without yielding (tests, tools). The server prunes in small steps between requests instead
   * (LogRetention, retention.ts).
   */
  prune(days: number, maxRows: number, now = Date.now()): void {
    pruneAll(this.store, { days, maxRows }, now);
  }
}
