import type { PoolEntry } from './model-view.ts';
import { offers } from './model-view.ts';
import type { CooldownKind, Selection } from './types.ts';

/**
 * Explains why nothing can serve a model. Only runs on that error path, so it may walk every account.
 * 429 when accounts that offer the model merely cool down (the client may retry at a known time);
 * 503 when none is usable at all.
 */

const COOLDOWN_WORDS: Record<CooldownKind, string> = {
  rate_limited: 'rate limited',
  quota_exhausted: 'quota exhausted',
  credits_exhausted: 'credits exhausted',
  not_found: 'model not found upstream',
};

export interface UnavailableInput {
  model: string;
  entries: Iterable<PoolEntry>;
  now: number;
  exclude: ReadonlySet<string> | undefined;
  cooldown: (accountId: string, model: string) => { until: number; reason: CooldownKind } | undefined;
}

type Unavailable = Extract<Selection, { kind: 'unavailable' }>;

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export function unavailable({ model, entries, now, exclude, cooldown }: UnavailableInput): Unavailable {
  let total = 0;
  let disabled = 0;
  let needsLogin = 0;
  let forbidden = 0;
  let lacking = 0;
  let tried = 0;
  let earliest = Infinity;
  const cooling = new Map<CooldownKind, number>();
  for (const entry of entries) {
    total += 1;
    if (!entry.enabled) disabled += 1;
    else if (entry.status === 'needs_login') needsLogin += 1;
    else if (entry.status === 'forbidden') forbidden += 1;
    else if (!offers(entry, model)) lacking += 1;
    else {
      const active = cooldown(entry.id, model);
      if (active !== undefined && active.until > now) {
        earliest = Math.min(earliest, active.until);
        cooling.set(active.reason, (cooling.get(active.reason) ?? 0) + 1);
      } else if (exclude?.has(entry.id)) {
        tried += 1;
      }
    }
  }

  if (earliest !== Infinity) {
    const retryAfterMs = earliest - now;
    const kinds = [...cooling].map(([reason, count]) => `${count} ${COOLDOWN_WORDS[reason]}`).join(', ');
    const coolingCount = [...cooling.values()].reduce((sum, count) => sum + count, 0);
    const others = tried > 0 ? `, ${tried} already tried for this request` : '';
    return {
      kind: 'unavailable',
      status: 429,
      retryAfterMs,
      reason:
        `No account can serve model "${model}" right now: ` +
        `${plural(coolingCount, 'account is', 'accounts are')} cooling down (${kinds})${others}; ` +
        `the first is free again in ${Math.ceil(retryAfterMs / 1000)} s.`,
    };
  }

  if (total === 0) {
    return {
      kind: 'unavailable',
      status: 503,
      reason: `No account can serve model "${model}": the pool is empty.`,
    };
  }
  const parts = [
    disabled > 0 ? `${disabled} disabled` : '',
    needsLogin > 0 ? `${needsLogin} ${needsLogin === 1 ? 'needs' : 'need'} login` : '',
    forbidden > 0 ? `${forbidden} forbidden` : '',
    lacking > 0 ? `${lacking} ${lacking === 1 ? 'does' : 'do'} not offer the model` : '',
    tried > 0 ? `${tried} already tried for this request` : '',
  ].filter((part) => part !== '');
  return {
    kind: 'unavailable',
    status: 503,
    reason: `No account can serve model "${model}": ${plural(total, 'account', 'accounts')}, ${parts.join(', ')}.`,
  };
}
