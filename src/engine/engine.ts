import type { Logger } from 'pino';
import { AccountUnavailableError, type TokenManager } from '../accounts/token-manager.ts';
import type { SettingsService } from '../config/settings-service.ts';
import { UpstreamError } from '../google/code-assist-client.ts';
import {
  UpstreamTimeoutError,
  type GenerateClient,
  type UpstreamChunk,
  type UsageMetadata,
} from '../google/generate-client.ts';
import { UpstreamNetworkError } from '../google/http.ts';
import type { AttemptRecord, RequestLog, RequestLogEntry } from '../monitor/request-log.ts';
import type { AccountsTable } from '../store/accounts-table.ts';
import { EngineError, engineErrorFrom } from './errors.ts';
import { TrackedStream } from './tracked-stream.ts';
import type { PoolPort } from './pool-port.ts';

/** The model the request goes to, and why (recorded in the log). */
export interface RoutedModel {
  requested: string;
  upstream: string;
  rule?: string;
  routed?: boolean;
}

export interface EngineRequest {
  protocol: RequestLogEntry['protocol'];
  route: string;
  model: RoutedModel;
  /** The v1internal `request` (contents, tools, generationConfig…); the engine adds `sessionId`. */
  request: Record<string, unknown>;
  requestType?: 'agent' | 'image_gen';
  sessionKey?: string;
  sessionHash?: string;
  clientKey?: string;
  stream: boolean;
  signal: AbortSignal;
  startedAt: number;
}

export interface EngineStream {
  accountId: string;
  accountEmail: string;
  first: UpstreamChunk;
  /**
   * The rest of the events; throws StreamBrokenError when the upstream fails mid-stream.
   * `return()` (a reader that stops early) closes the upstream request.
   */
  rest: AsyncIterableIterator<UpstreamChunk>;
}

export interface EngineDeps {
  settings: SettingsService;
  pool: PoolPort;
  accounts: AccountsTable;
  tokens: TokenManager;
  generate: GenerateClient;
  log: RequestLog;
  logger: Logger;
  /** Called when an upstream answer changed an account's state, so the pool and dashboard follow. */
  onAccountChanged: (accountId: string) => void;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const MAX_AUTO_ATTEMPTS = 5;

type LoggedFields = Pick<
  EngineRequest,
  'startedAt' | 'protocol' | 'route' | 'clientKey' | 'model' | 'sessionHash' | 'stream'
>;

function loggedFields(req: EngineRequest): LoggedFields {
  const { startedAt, protocol, route, clientKey, model, sessionHash, stream } = req;
  return { startedAt, protocol, route, clientKey, model, sessionHash, stream };
}

function retryAfterSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}
const MAX_CAPACITY_RETRIES = 4;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function usageFields(
  usage: UsageMetadata | undefined,
): Pick<RequestLogEntry, 'inputTokens' | 'outputTokens' | 'thinkingTokens' | 'cachedTokens'> {
  if (!usage) return {};
  return {
    inputTokens: usage.promptTokenCount,
    outputTokens: usage.candidatesTokenCount,
    thinkingTokens: usage.thoughtsTokenCount,
    cachedTokens: usage.cachedContentTokenCount,
  };
}

/**
 * The protocol-neutral heart of the proxy: picks an account, calls the upstream's streaming
 * method, rotates and retries before the first byte (product.md §3), then hands the events to
 * the protocol and writes one request-log row when the exchange ends, however it ends.
 */
export class ProxyEngine {
  private readonly deps: EngineDeps;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(deps: EngineDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? abortableSleep;
  }

  async open(req: EngineRequest): Promise<EngineStream> {
    const settings = this.deps.settings.current;
    const model = req.model.upstream;
    const budgetEnds = req.startedAt + settings.retry.budgetSeconds * 1000;
    const maxAttempts =
      settings.retry.maxAttempts === 'auto'
        ? Math.max(1, this.deps.pool.countEligible(model, MAX_AUTO_ATTEMPTS))
        : settings.retry.maxAttempts;
    const attempts: AttemptRecord[] = [];
    const tried = new Set<string>();
    const refreshed = new Set<string>();
    let capacityRetries = 0;
    let refreshRetries = 0;
    let lastError: unknown;

    try {
      // Capacity waits and the one token refresh per account retry the same account: they use no rotation.
      while (
        attempts.length - capacityRetries - refreshRetries < maxAttempts &&
        capacityRetries <= MAX_CAPACITY_RETRIES &&
        this.now() < budgetEnds
      ) {
        const selection = this.deps.pool.select({ model, sessionKey: req.sessionKey, exclude: tried });
        if (selection.kind === 'unavailable') {
          // With earlier attempts, their error explains more than "nothing left", unless all accounts now cool down.
          if (lastError === undefined || selection.status === 429) {
            throw new EngineError(
              selection.status,
              selection.status === 429 ? 'rate_limited' : 'no_account',
              selection.reason,
              selection.retryAfterMs === undefined
                ? undefined
                : Math.max(1, Math.ceil(selection.retryAfterMs / 1000)),
            );
          }
          break;
        }
        if (selection.waitMs)
          await this.sleep(Math.min(selection.waitMs, Math.max(0, budgetEnds - this.now())), req.signal);
        const account = this.deps.accounts.get(selection.accountId);
        if (!account?.projectId) {
          tried.add(selection.accountId);
          continue;
        }
        const attemptStarted = this.now();
        let token: string;
        try {
          token = await this.deps.tokens.accessToken(account.id, { row: account });
        } catch (error) {
          if (error instanceof AccountUnavailableError) this.deps.onAccountChanged(account.id);
          attempts.push({
            accountId: account.id,
            email: account.email,
            status: 401,
            errorClass: 'token_refresh',
            ms: this.now() - attemptStarted,
          });
          tried.add(account.id);
          lastError = error;
          continue;
        }
        try {
          const opened = await this.deps.generate.open({
            accessToken: token,
            project: account.projectId,
            model,
            request: { ...req.request, sessionId: selection.sessionId },
            requestType: req.requestType,
            signal: req.signal,
          });
          attempts.push({
            accountId: account.id,
            email: account.email,
            status: 200,
            ms: this.now() - attemptStarted,
          });
          this.deps.pool.reportSuccess(account.id, model);
          return this.started(req, account.id, account.email, opened.first, opened.rest, attempts);
        } catch (error) {
          if (req.signal.aborted)
            throw new EngineError(499, 'client_closed', 'The client closed the request');
          lastError = error;
          const status =
            error instanceof UpstreamError
              ? error.info.status
              : error instanceof UpstreamTimeoutError
                ? 504
                : 502;
          const errorClass =
            error instanceof UpstreamError
              ? error.info.kind
              : error instanceof UpstreamTimeoutError
                ? 'timeout'
                : 'network';
          attempts.push({
            accountId: account.id,
            email: account.email,
            status,
            errorClass,
            ms: this.now() - attemptStarted,
          });
          if (!(error instanceof UpstreamError)) {
            if (!(error instanceof UpstreamTimeoutError || error instanceof UpstreamNetworkError))
              throw error;
            tried.add(account.id);
            continue;
          }
          const info = error.info;
          if (info.kind === 'client_error' || info.kind === 'client_outdated') throw error;
          if (info.kind === 'auth' && !refreshed.has(account.id)) {
            // One refresh, then the same account again; a second 401 rotates.
            refreshed.add(account.id);
            refreshRetries++;
            try {
              await this.deps.tokens.accessToken(account.id, { force: true });
            } catch {
              tried.add(account.id);
              this.deps.onAccountChanged(account.id);
            }
            continue;
          }
          if (info.kind === 'capacity') {
            capacityRetries++;
            await this.sleep(this.deps.pool.capacityBackoffMs(capacityRetries), req.signal);
            continue;
          }
          if (info.markAccount)
            this.markAccount(account.id, info.markAccount, info.message, info.validationUrl);
          // A cooldown already keeps the account out (or, in sticky mode, makes the pool wait for it briefly).
          if (info.cooldown) this.deps.pool.reportFailure(account.id, model, info.kind, info.retryDelayMs);
          else tried.add(account.id);
        }
      }
      // When every account now cools down, the pool's answer (earliest cooldown end) beats the last upstream text.
      const after = this.deps.pool.select({ model, exclude: tried });
      if (after.kind === 'unavailable' && after.status === 429) {
        throw new EngineError(429, 'rate_limited', after.reason, retryAfterSeconds(after.retryAfterMs));
      }
      throw engineErrorFrom(
        lastError ??
          new EngineError(504, 'retry_budget', 'The retry budget ran out before any account answered'),
        settings.upstream.clientVersion,
      );
    } catch (error) {
      const failure = req.signal.aborted
        ? new EngineError(499, 'client_closed', 'The client closed the request')
        : engineErrorFrom(error, settings.upstream.clientVersion);
      if (!(error instanceof EngineError) && !(error instanceof UpstreamError) && failure.status === 500) {
        this.deps.logger.error({ err: error }, 'proxy request failed');
      }
      this.record(req, attempts, {
        status: failure.status,
        errorClass: failure.code,
        errorMessage: failure.message,
      });
      throw failure;
    }
  }

  private markAccount(
    accountId: string,
    state: 'needs_login' | 'forbidden',
    reason: string,
    validationUrl?: string,
  ): void {
    this.deps.accounts.update(accountId, {
      status: state,
      statusReason: reason,
      validationUrl: validationUrl ?? null,
    });
    this.deps.onAccountChanged(accountId);
  }

  private started(
    req: EngineRequest,
    accountId: string,
    accountEmail: string,
    first: UpstreamChunk,
    rest: AsyncIterableIterator<UpstreamChunk>,
    attempts: AttemptRecord[],
  ): EngineStream {
    const firstByteMs = this.now() - req.startedAt;
    let usage = first.response?.usageMetadata;
    // What the log row needs, without `req.request`: an open stream must not keep the client's
    // request (often hundreds of KB of conversation) alive until it ends.
    const logged = loggedFields(req);
    const finish = (outcome: Pick<RequestLogEntry, 'status' | 'errorClass' | 'errorMessage'>) =>
      this.record(logged, attempts, {
        ...outcome,
        accountId,
        accountEmail,
        firstByteMs,
        ...usageFields(usage),
      });
    const tracked = new TrackedStream({
      source: rest,
      signal: req.signal,
      onChunk: (chunk) => {
        if (chunk.response?.usageMetadata) usage = chunk.response.usageMetadata;
      },
      onEnd: finish,
    });
    return { accountId, accountEmail, first, rest: tracked };
  }

  private record(
    req: LoggedFields,
    attempts: AttemptRecord[],
    outcome: Partial<RequestLogEntry> & { status: number },
  ): void {
    this.deps.log.record({
      createdAt: req.startedAt,
      protocol: req.protocol,
      route: req.route,
      clientKey: req.clientKey,
      requestedModel: req.model.requested,
      mappedModel: req.model.upstream,
      mappingRule: req.model.rule,
      routed: req.model.routed,
      sessionHash: req.sessionHash,
      attempts,
      stream: req.stream,
      latencyMs: this.now() - req.startedAt,
      ...outcome,
    });
  }
}
