import type { DashboardAccount, QuotaBucket } from './types.ts';

/** The families of product.md §6. Models outside them (gpt-oss, internal tab models) are not averaged. */
export type Family = 'geminiPro' | 'geminiFlash' | 'claude' | 'image';
export const FAMILIES: readonly Family[] = ['geminiPro', 'geminiFlash', 'claude', 'image'];

/**
 * A model's family by its id, as the upstream names them: gemini-3.1-pro-low, gemini-pro-agent,
 * gemini-3-flash, gemini-3.1-flash-lite, claude-sonnet-4-6, gemini-3-pro-image. Image models carry
 * "pro" or "flash" too, but spend their own quota, so they are a family of their own.
 */
export function familyOf(model: string): Family | null {
  const id = model.toLowerCase();
  if (id.includes('image')) return 'image';
  if (id.startsWith('claude')) return 'claude';
  if (!id.startsWith('gemini')) return null;
  if (id.includes('pro')) return 'geminiPro';
  if (id.includes('flash')) return 'geminiFlash';
  return null;
}

/** The family an upstream quota bucket group speaks for ("Claude and partner models" → claude). */
export function familyOfBucketGroup(group: string | null): Family | null {
  const name = (group ?? '').toLowerCase();
  if (name.includes('image')) return 'image';
  if (name.includes('claude')) return 'claude';
  if (name.includes('pro')) return 'geminiPro';
  if (name.includes('flash')) return 'geminiFlash';
  return null;
}

export interface BucketAverage {
  /** Average remaining percent over the accounts that report this bucket with a figure. */
  percent: number;
  accounts: number;
}

export interface FamilyQuota {
  family: Family;
  /** Average remaining percent over every known (account, model) figure; null when none is known. */
  averagePercent: number | null;
  known: number;
  unknown: number;
  fiveHour: BucketAverage | null;
  weekly: BucketAverage | null;
  /** The active account not cooling for this family with the most remaining quota. */
  best: { account: DashboardAccount; percent: number } | null;
}

/** Cooldowns still in force at `now` (the list is fetched, so an ended one may linger a moment). */
export function isCooling(account: DashboardAccount, now: number, family?: Family): boolean {
  return account.cooldowns.some(
    (cooldown) =>
      new Date(cooldown.until).getTime() > now &&
      (family === undefined || familyOf(cooldown.model) === family),
  );
}

function average(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function bucketAverage(buckets: QuotaBucket[]): BucketAverage | null {
  const figures = buckets.flatMap((bucket) =>
    bucket.remainingFraction === null ? [] : [bucket.remainingFraction * 100],
  );
  const mean = average(figures);
  return mean === null ? null : { percent: mean, accounts: figures.length };
}

/**
 * The pool's quota per family, over the active accounts (a disabled or signed-out account's
 * figures are not quota anyone can use). Unknown figures are counted, never averaged as full or empty.
 */
export function familyQuotas(accounts: readonly DashboardAccount[], now: number): FamilyQuota[] {
  const active = accounts.filter((account) => account.state === 'active');
  return FAMILIES.map((family) => {
    let unknown = 0;
    const figures: number[] = [];
    const fiveHour: QuotaBucket[] = [];
    const weekly: QuotaBucket[] = [];
    let best: FamilyQuota['best'] = null;
    for (const account of active) {
      const own: number[] = [];
      for (const quota of account.quota.models) {
        if (familyOf(quota.model) !== family) continue;
        if (quota.status === 'known') own.push(quota.remainingFraction * 100);
        else unknown++;
      }
      figures.push(...own);
      for (const bucket of account.quota.buckets) {
        if (familyOfBucketGroup(bucket.group) !== family) continue;
        if (bucket.window === '5h') fiveHour.push(bucket);
        else if (bucket.window === 'weekly') weekly.push(bucket);
      }
      const mine = average(own);
      if (mine === null || isCooling(account, now, family)) continue;
      if (!best || mine > best.percent) best = { account, percent: mine };
    }
    return {
      family,
      averagePercent: average(figures),
      known: figures.length,
      unknown,
      fiveHour: bucketAverage(fiveHour),
      weekly: bucketAverage(weekly),
      best,
    };
  });
}

export type HealthState = 'active' | 'cooling' | 'disabled' | 'needs_login' | 'forbidden';
export const HEALTH_STATES: readonly HealthState[] = [
  'active',
  'cooling',
  'disabled',
  'needs_login',
  'forbidden',
];

/** Accounts by state; an active account with a cooldown in force counts as cooling, so the counts add up. */
export function poolHealth(accounts: readonly DashboardAccount[], now: number): Record<HealthState, number> {
  const counts: Record<HealthState, number> = {
    active: 0,
    cooling: 0,
    disabled: 0,
    needs_login: 0,
    forbidden: 0,
  };
  for (const account of accounts) {
    const state = account.state === 'active' && isCooling(account, now) ? 'cooling' : account.state;
    counts[state]++;
  }
  return counts;
}
