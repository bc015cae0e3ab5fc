import type { Logger } from 'pino';
import type { TokenManager } from '../accounts/token-manager.ts';
import type { SettingsService } from '../config/settings-service.ts';
import type { AttemptRecord } from '../monitor/request-log.ts';
import { attemptOutcome, type AttemptOutcome } from './attempt-outcome.ts';
import { EngineError, engineErrorFrom } from './errors.ts';
import type { AccountLookup, AccountOutcomePort, PoolPort } from './pool-port.ts';

/** The model the request goes to, and why (recorded in the log). */
export interface RoutedModel {
  requested: string;
  upstream: string;
  rule?: string;
  routed?: boolean;
  backgroundReason?: string;
}

/** The account one attempt runs on. */
export interface AttemptTarget {
  accountId: string;
  email: string;
  accessToken: string;
  project: string;
  /** Upstream `request.sessionId`: stable per session key (prompt caching). */
  sessionId: string;
  signal: AbortSignal;
}

/**
 * One client request as the engine sees it: a model, a session, and the upstream call to make
 * on whichever account serves it. The engine knows nothing of protocols or of what the call does.
 */
export interface Exchange<T> {
  model: string;
  sessionKey?: string;
  signal: AbortSignal;
  /** On the engine's clock ({@link ProxyEngine.now}): the retry budget counts from here. */
  startedAt: number;
  /**
   * The upstream call. It throws the upstream's classified errors; whatever it throws before it
   * returns counts as a failed attempt, so a call that reads a whole stream is retried on a cut.
   */
  call(target: AttemptTarget): Promise<T>;
}

export type ExchangeResult<T> =
  | { ok: true; value: T; accountId: string; accountEmail: string; attempts: AttemptRecord[] }
  | { ok: false; error: EngineError; attempts: AttemptRecord[] };

export interface EngineDeps {
  settings: SettingsService;
  pool: PoolPort;
  accounts: AccountLookup;
  outcomes: AccountOutcomePort;
  tokens: Pick<TokenManager, 'accessToken'>;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const MAX_AUTO_ATTEMPTS = 5;
const MAX_CAPACITY_RETRIES = 4;
/** Waits for a cooldown to end, per request: each grants one more attempt. */
const MAX_COOLDOWN_WAITS = 3;
/** Cooldown ends are exact to the millisecond; a little slack keeps the wait from ending just before. */
const COOLDOWN_WAIT_SLACK_MS = 50;

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

const retryAfterSeconds = (ms: number | undefined) =>
  ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));

const CLIENT_CLOSED = () => new EngineError(499, 'client_closed', 'The client closed the request');

/**
 * The protocol-neutral heart of the proxy (product.md §3): picks an account, makes one attempt,
 * and acts on the attempt's typed outcome — rotate, cool down, refresh, back off, wait for a
 * cooldown, or give up — until an attempt succeeds or the attempt and time budgets run out.
 */
export class ProxyEngine {
  private readonly deps: EngineDeps;
  readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(deps: EngineDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? abortableSleep;
  }

  async run<T>(exchange: Exchange<T>): Promise<ExchangeResult<T>> {
    const attempts: AttemptRecord[] = [];
    try {
      return await this.loop(exchange, attempts);
    } catch (error) {
      const settings = this.deps.settings.current;
      const failure = exchange.signal.aborted
        ? CLIENT_CLOSED()
        : engineErrorFrom(error, settings.upstream.clientVersion);
      if (failure.status === 500 && !(error instanceof EngineError)) {
        this.deps.logger.error({ err: error }, 'proxy request failed');
      }
      return { ok: false, error: failure, attempts };
    }
  }

  private async loop<T>(exchange: Exchange<T>, attempts: AttemptRecord[]): Promise<ExchangeResult<T>> {
    const { pool, settings } = this.deps;
    const current = settings.current;
    const { model, signal } = exchange;
    const budgetEnds = exchange.startedAt + current.retry.budgetSeconds * 1000;
    const maxWaitMs = current.scheduling.maxWaitSeconds * 1000;
    const configured = current.retry.maxAttempts;
    const auto = configured === 'auto';
    let maxAttempts: number =
      configured === 'auto' ? Math.max(1, pool.countEligible(model, MAX_AUTO_ATTEMPTS)) : configured;
    const tried = new Set<string>();
    const refreshed = new Set<string>();
    /** Attempts that count against `maxAttempts`: capacity and token-refresh retries of one account don't. */
    let counted = 0;
    let capacityRetries = 0;
    let cooldownWaits = 0;
    let last: AttemptOutcome | undefined;

    while (this.now() < budgetEnds && capacityRetries <= MAX_CAPACITY_RETRIES) {
      if (signal.aborted) throw CLIENT_CLOSED();
      const selection = pool.select({ model, sessionKey: exchange.sessionKey, exclude: tried });
      if (selection.kind === 'unavailable') {
        const waitMs = selection.retryAfterMs;
        // Every account cools down, but one is free again soon: waiting beats a 429 the client must retry.
        if (
          selection.status === 429 &&
          waitMs !== undefined &&
          waitMs <= maxWaitMs &&
          cooldownWaits < MAX_COOLDOWN_WAITS &&
          this.now() + waitMs < budgetEnds
        ) {
          cooldownWaits++;
          await this.sleep(waitMs + COOLDOWN_WAIT_SLACK_MS, signal);
          continue;
        }
        // With earlier attempts, their error explains more than "nothing left", unless all accounts now cool down.
        if (last === undefined || selection.status === 429) {
          throw new EngineError(
            selection.status,
            selection.status === 429 ? 'rate_limited' : 'no_account',
            selection.reason,
            retryAfterSeconds(selection.retryAfterMs),
          );
        }
        break;
      }
      if (counted >= maxAttempts + cooldownWaits) {
        // `auto` is an attempt for each account that can serve, counted when the request came in;
        // one that was cooling then and is free now has not had its turn yet.
        const notYetAttempted = !attempts.some((attempt) => attempt.accountId === selection.accountId);
        if (!auto || !notYetAttempted || maxAttempts >= MAX_AUTO_ATTEMPTS) break;
        maxAttempts++;
      }
      if (selection.waitMs)
        await this.sleep(Math.min(selection.waitMs, Math.max(0, budgetEnds - this.now())), signal);

      const account = this.deps.accounts.get(selection.accountId);
      if (!account?.projectId) {
        tried.add(selection.accountId);
        continue;
      }
      const started = this.now();
      const record = (status: number, errorClass?: string) =>
        attempts.push({
          accountId: account.id,
          email: account.email,
          status,
          ...(errorClass ? { errorClass } : {}),
          ms: this.now() - started,
        });

      let accessToken: string;
      try {
        accessToken = await this.deps.tokens.accessToken(account.id, { row: account });
      } catch (error) {
        if (signal.aborted) throw CLIENT_CLOSED();
        this.deps.outcomes.tokenRefreshFailed(account.id);
        record(401, 'token_refresh');
        counted++;
        tried.add(account.id);
        last = {
          kind: 'rotate',
          status: 401,
          errorClass: 'token_refresh',
          error: new EngineError(
            503,
            'token_refresh',
            `No access token for ${account.email}: ${(error as Error).message}`,
          ),
        };
        continue;
      }

      try {
        const value = await exchange.call({
          accountId: account.id,
          email: account.email,
          accessToken,
          project: account.projectId,
          sessionId: selection.sessionId,
          signal,
        });
        record(200);
        pool.reportSuccess(account.id, model);
        return { ok: true, value, accountId: account.id, accountEmail: account.email, attempts };
      } catch (error) {
        if (signal.aborted) throw CLIENT_CLOSED();
        const outcome = attemptOutcome(error);
        record(outcome.status, outcome.errorClass);
        last = outcome;
        switch (outcome.kind) {
          case 'fatal':
            throw error;
          case 'refresh':
            // One refresh, then the same account again; a second 401 rotates.
            if (!refreshed.has(account.id)) {
              refreshed.add(account.id);
              try {
                await this.deps.tokens.accessToken(account.id, { force: true });
              } catch {
                this.deps.outcomes.tokenRefreshFailed(account.id);
                tried.add(account.id);
                counted++;
              }
              continue;
            }
            tried.add(account.id);
            counted++;
            continue;
          case 'capacity':
            capacityRetries++;
            await this.sleep(pool.capacityBackoffMs(capacityRetries), signal);
            continue;
          case 'cooldown':
            // The cooldown keeps the account out (or, in sticky mode, makes the pool wait for it briefly).
            pool.reportFailure(account.id, model, outcome.cooldown, outcome.retryDelayMs);
            counted++;
            continue;
          case 'unusable':
            this.deps.outcomes.markUnusable(account.id, outcome.state, outcome.reason, outcome.validationUrl);
            tried.add(account.id);
            counted++;
            continue;
          case 'rotate':
            tried.add(account.id);
            counted++;
            continue;
        }
      }
    }
    // When every account now cools down, the pool's answer (earliest cooldown end) beats the last upstream text.
    const after = pool.select({ model, exclude: tried });
    if (after.kind === 'unavailable' && after.status === 429) {
      throw new EngineError(429, 'rate_limited', after.reason, retryAfterSeconds(after.retryAfterMs));
    }
    throw (
      last?.error ??
      new EngineError(504, 'retry_budget', 'The retry budget ran out before any account answered')
    );
  }
}
