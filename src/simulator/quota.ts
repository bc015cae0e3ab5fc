import type { QuotaWindow, SimAccountFixture, SimAccountState, SimModelFixture } from './types.ts';

/** Per-account quota windows: 5-hour per model, weekly per group (wire.md §2.5). */

const FIVE_HOURS_MS = 5 * 3600 * 1000;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Fraction one successful generate uses: visible in the dashboard, far from exhausting a test run. */
export const QUOTA_STEP = 0.005;

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function round(fraction: number): number {
  return Math.max(0, Math.min(1, Math.round(fraction * 10000) / 10000));
}

export function quotaGroup(model: SimModelFixture): string | undefined {
  if (model.family === 'claude' || model.family === 'gpt') return 'Claude and partner models';
  if (model.family === 'internal') return undefined;
  return /pro/.test(model.id) ? 'Gemini Pro' : 'Gemini Flash';
}

export function initialQuota(
  fixture: SimAccountFixture,
  models: readonly SimModelFixture[],
  now: number,
): { quota: Record<string, QuotaWindow>; weekly: Record<string, QuotaWindow> } {
  const quota: Record<string, QuotaWindow> = {};
  const weekly: Record<string, QuotaWindow> = {};
  for (const model of models) {
    const preset = fixture.quota?.[model.id];
    const resetIn = preset?.resetInSeconds === undefined ? FIVE_HOURS_MS : preset.resetInSeconds * 1000;
    quota[model.id] = {
      remainingFraction: round(preset?.remainingFraction ?? 1),
      resetTime: rfc3339(now + resetIn),
    };
    const group = quotaGroup(model);
    if (group && !weekly[group]) weekly[group] = { remainingFraction: 1, resetTime: rfc3339(now + WEEK_MS) };
  }
  return { quota, weekly };
}

function refreshed(window: QuotaWindow, span: number, now: number): QuotaWindow {
  if (Date.parse(window.resetTime) > now) return window;
  window.remainingFraction = 1;
  window.resetTime = rfc3339(now + span);
  return window;
}

export function currentQuota(account: SimAccountState, modelId: string, now: number): QuotaWindow {
  const window = (account.quota[modelId] ??= {
    remainingFraction: 1,
    resetTime: rfc3339(now + FIVE_HOURS_MS),
  });
  return refreshed(window, FIVE_HOURS_MS, now);
}

export function isExhausted(account: SimAccountState, modelId: string, now: number): QuotaWindow | undefined {
  const window = currentQuota(account, modelId, now);
  return window.remainingFraction <= 0 ? window : undefined;
}

export function consumeQuota(account: SimAccountState, model: SimModelFixture, now: number): void {
  const window = currentQuota(account, model.id, now);
  window.remainingFraction = round(window.remainingFraction - QUOTA_STEP);
  const group = quotaGroup(model);
  if (!group) return;
  const weekly = (account.weeklyQuota[group] ??= { remainingFraction: 1, resetTime: rfc3339(now + WEEK_MS) });
  refreshed(weekly, WEEK_MS, now).remainingFraction = round(weekly.remainingFraction - QUOTA_STEP / 5);
}

export function setQuota(
  account: SimAccountState,
  modelId: string,
  fraction: number,
  resetTime?: string,
): void {
  const window = (account.quota[modelId] ??= {
    remainingFraction: 1,
    resetTime: rfc3339(Date.now() + FIVE_HOURS_MS),
  });
  window.remainingFraction = round(fraction);
  if (resetTime !== undefined) window.resetTime = resetTime;
}

/** proto3 JSON: a zero fraction is omitted, never sent as 0. */
export function quotaInfo(window: QuotaWindow): Record<string, unknown> {
  return window.remainingFraction > 0
    ? { remainingFraction: window.remainingFraction, resetTime: window.resetTime }
    : { resetTime: window.resetTime };
}

/** retrieveUserQuotaSummary: one group per model family, a 5-hour and a weekly bucket each. */
export function quotaSummary(
  account: SimAccountState,
  models: readonly SimModelFixture[],
  now: number,
): Record<string, unknown> {
  const groups = new Map<string, SimModelFixture[]>();
  for (const model of models) {
    const group = quotaGroup(model);
    if (group && account.models.includes(model.id)) groups.set(group, [...(groups.get(group) ?? []), model]);
  }
  return {
    groups: [...groups].map(([name, members]) => {
      const windows = members.map((m) => currentQuota(account, m.id, now));
      const lowest = windows.reduce((a, b) => (b.remainingFraction < a.remainingFraction ? b : a));
      const weekly = refreshed(
        (account.weeklyQuota[name] ??= { remainingFraction: 1, resetTime: rfc3339(now + WEEK_MS) }),
        WEEK_MS,
        now,
      );
      const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
      return {
        displayName: name,
        description: `Usage limits for ${members.map((m) => m.displayName).join(', ')}`,
        buckets: [
          { bucketId: `${slug}-5h`, window: '5h', displayName: '5-hour limit', ...quotaInfo(lowest) },
          { bucketId: `${slug}-weekly`, window: 'weekly', displayName: 'Weekly limit', ...quotaInfo(weekly) },
        ],
      };
    }),
  };
}

/** retrieveUserQuota (Gemini CLI's shape): one request bucket per model. */
export function userQuotaBuckets(
  account: SimAccountState,
  models: readonly SimModelFixture[],
  now: number,
): Record<string, unknown> {
  const buckets = models
    .filter((m) => account.models.includes(m.id))
    .map((m) => ({ ...quotaInfo(currentQuota(account, m.id, now)), tokenType: 'REQUESTS', modelId: m.id }));
  return { buckets };
}
