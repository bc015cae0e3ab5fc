import type { Logger } from 'pino';
import type { RoutedModel } from '../engine/engine.ts';
import type { UsageMetadata } from '../google/generate-client.ts';
import type { ProxyMetrics } from '../monitor/metrics.ts';
import { BodyCapture, captureRequestBody } from '../monitor/body-capture.ts';
import type { AttemptRecord, RequestLog, RequestLogEntry } from '../monitor/request-log.ts';
import type { Protocol } from './adapter.ts';

/** `alice@example.com` → `al***@example.com`: enough to tell accounts apart in a terminal. */
export function maskEmail(email: string | undefined): string {
  if (!email) return '-';
  const at = email.indexOf('@');
  if (at < 0) return `${email.slice(0, 2)}***`;
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/**
 * What one proxied exchange accumulates until it ends, however it ends; `finish` writes the log
 * row (product.md §5) and the access-log line once.
 */
export class ExchangeRecord {
  readonly startedAt: number;
  private readonly protocol: Protocol;
  private readonly route: string;
  private readonly clientKey: string | undefined;
  private readonly keyId: string | undefined;
  private readonly now: () => number;
  private readonly log: RequestLog;
  private readonly logger: Logger;
  private readonly metrics: ProxyMetrics | undefined;
  private finished = false;
  requested?: string;
  model?: RoutedModel;
  sessionHash?: string;
  stream = false;
  attempts: AttemptRecord[] = [];
  accountId?: string;
  accountEmail?: string;
  firstByteMs?: number;
  usage?: UsageMetadata;
  /** Tokens counted without the upstream (count_tokens estimates). */
  inputTokens?: number;
  /** Set only while body logging is on; everything else reads `undefined` and moves on. */
  private requestBody?: string;
  private responseBody?: BodyCapture;

  constructor(options: {
    protocol: Protocol;
    route: string;
    clientKey: string | undefined;
    keyId?: string | undefined;
    now: () => number;
    log: RequestLog;
    logger: Logger;
    metrics?: ProxyMetrics | undefined;
  }) {
    this.protocol = options.protocol;
    this.route = options.route;
    this.clientKey = options.clientKey;
    this.keyId = options.keyId;
    this.now = options.now;
    this.log = options.log;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.startedAt = options.now();
  }

  /** Body logging (`logging.bodies`): keeps the client's body now and what it is sent later. */
  captureBodies(requestBody: unknown, limitBytes: number): void {
    this.requestBody = captureRequestBody(requestBody, limitBytes);
    this.responseBody = new BodyCapture(limitBytes);
  }

  /** Text as it goes to the client (an answer, stream events, an error); a no-op unless capturing. */
  sent(text: string): void {
    this.responseBody?.add(text);
  }

  get capturing(): boolean {
    return this.responseBody !== undefined;
  }

  finish(status: number, error?: { code: string; message: string }): void {
    if (this.finished) return;
    this.finished = true;
    const latencyMs = this.now() - this.startedAt;
    const usage = this.usage;
    const entry: RequestLogEntry = {
      createdAt: this.startedAt,
      protocol: this.protocol,
      route: this.route,
      clientKey: this.clientKey,
      keyId: this.keyId,
      requestedModel: this.model?.requested ?? this.requested,
      mappedModel: this.model?.upstream,
      mappingRule: this.model?.rule,
      routed: this.model?.routed,
      accountId: this.accountId,
      accountEmail: this.accountEmail,
      sessionHash: this.sessionHash,
      attempts: this.attempts,
      status,
      errorClass: error?.code,
      errorMessage: error?.message,
      latencyMs,
      firstByteMs: this.firstByteMs,
      stream: this.stream,
      inputTokens: usage?.promptTokenCount ?? this.inputTokens,
      outputTokens: usage?.candidatesTokenCount,
      thinkingTokens: usage?.thoughtsTokenCount,
      cachedTokens: usage?.cachedContentTokenCount,
      requestBody: this.requestBody,
      responseBody: this.responseBody?.text(),
    };
    this.log.record(entry);
    this.metrics?.recordRequest(
      this.protocol,
      this.route,
      entry.mappedModel,
      status,
      latencyMs,
      this.attempts,
    );
    if (this.logger.isLevelEnabled('info')) this.logger.info(this.accessLine(entry));
  }

  /** One line per request, as users know it from access logs; no prompt text, no key. */
  private accessLine(entry: RequestLogEntry): string {
    const requested = entry.requestedModel ?? '-';
    const mapped = entry.mappedModel && entry.mappedModel !== requested ? ` → ${entry.mappedModel}` : '';
    const routed = entry.routed ? ' (background)' : '';
    const attempts = entry.attempts.length;
    const error = entry.errorClass ? ` ${entry.errorClass}` : '';
    return (
      `${this.protocol} ${requested}${mapped}${routed} ${maskEmail(entry.accountEmail)} ` +
      `${entry.status}${error} ${attempts} attempt${attempts === 1 ? '' : 's'} ${Math.round(entry.latencyMs)} ms`
    );
  }
}
