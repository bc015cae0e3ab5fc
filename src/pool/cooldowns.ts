import type { CooldownInfo, CooldownKind } from './types.ts';

/** product.md §2: defaults when the upstream gives no retry hint. */
export const RATE_LIMIT_COOLDOWN_MS = 30_000;
export const QUOTA_COOLDOWN_LADDER_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A 404 for a model means this account does not offer it; look again after a while (quota refresh may fix the list sooner). */
export const NOT_FOUND_COOLDOWN_MS = 10 * 60_000;
/** Concurrent requests hit by one limit all report it; inside this window they count once. */
export const DEDUPE_WINDOW_MS = 2_000;

interface CooldownRecord {
  until: number;
  reason: CooldownKind;
  /** Consecutive quota exhaustions since the last success: the rung of the ladder. */
  exhaustions: number;
  countedAt: number;
  countedSeverity: number;
}

const escalates = (kind: CooldownKind): boolean => kind === 'quota_exhausted' || kind === 'credits_exhausted';
// A quota running out after a rate limit is new information, so it is counted even inside the window.
const severity = (kind: CooldownKind): number => (kind === 'rate_limited' ? 0 : 1);

function defaultDuration(kind: CooldownKind, exhaustions: number): number {
  if (kind === 'rate_limited') return RATE_LIMIT_COOLDOWN_MS;
  if (kind === 'not_found') return NOT_FOUND_COOLDOWN_MS;
  const rung = Math.min(Math.max(exhaustions, 1), QUOTA_COOLDOWN_LADDER_MS.length) - 1;
  return QUOTA_COOLDOWN_LADDER_MS[rung]!;
}

const isHint = (value: number | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Cooldowns per (account, model), with the escalation ladder and the 2-second dedupe. Clock passed in. */
export class CooldownBook {
  private readonly byAccount = new Map<string, Map<string, CooldownRecord>>();

  /** Records a limit and returns when the cooldown in force ends (epoch ms). */
  fail(accountId: string, model: string, kind: CooldownKind, now: number, retryDelayMs?: number): number {
    let models = this.byAccount.get(accountId);
    if (models === undefined) this.byAccount.set(accountId, (models = new Map()));
    let record = models.get(model);
    if (record === undefined) {
      record = { until: 0, reason: kind, exhaustions: 0, countedAt: -Infinity, countedSeverity: -1 };
      models.set(model, record);
    }
    if (now - record.countedAt < DEDUPE_WINDOW_MS && severity(kind) <= record.countedSeverity) {
      return record.until;
    }
    record.countedAt = now;
    record.countedSeverity = severity(kind);
    if (escalates(kind)) record.exhaustions += 1;
    const end = now + (isHint(retryDelayMs) ? retryDelayMs : defaultDuration(kind, record.exhaustions));
    // A late answer from a request that was already in flight must not shorten a cooldown in force.
    if (end > record.until) {
      record.until = end;
      record.reason = kind;
    }
    return record.until;
  }

  /**
   * A request succeeded: the exhaustion ladder starts again. A cooldown in force stays, because the
   * success may come from a request that started before the limit was hit.
   */
  succeed(accountId: string, model: string): void {
    const record = this.byAccount.get(accountId)?.get(model);
    if (record !== undefined) record.exhaustions = 0;
  }

  /** End of the cooldown of (account, model), or 0 when there never was one. */
  until(accountId: string, model: string): number {
    return this.byAccount.get(accountId)?.get(model)?.until ?? 0;
  }

  /** Consecutive quota exhaustions counted for (account, model). */
  exhaustions(accountId: string, model: string): number {
    return this.byAccount.get(accountId)?.get(model)?.exhaustions ?? 0;
  }

  /** Cooldowns in force, soonest end first; forgets finished ones that carry no ladder state. */
  active(now: number): CooldownInfo[] {
    const list: CooldownInfo[] = [];
    for (const [accountId, models] of this.byAccount) {
      for (const [model, record] of models) {
        if (record.until > now) {
          list.push({ accountId, model, until: record.until, reason: record.reason });
        } else if (record.exhaustions === 0 && now - record.countedAt >= DEDUPE_WINDOW_MS) {
          models.delete(model);
        }
      }
      if (models.size === 0) this.byAccount.delete(accountId);
    }
    return list.sort((a, b) => a.until - b.until);
  }

  /** The cooldown record of (account, model), finished or not. */
  get(accountId: string, model: string): { until: number; reason: CooldownKind } | undefined {
    return this.byAccount.get(accountId)?.get(model);
  }

  dropAccount(accountId: string): void {
    this.byAccount.delete(accountId);
  }
}
