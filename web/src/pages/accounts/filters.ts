import type { AccountState, AccountView, CooldownView } from './types.ts';

/** `cooling` is not an account state (cooldowns are per model) but users filter by it all the same. */
export type StateFilter = 'all' | AccountState | 'cooling';
export const STATE_FILTERS: readonly StateFilter[] = [
  'all',
  'active',
  'disabled',
  'needs_login',
  'forbidden',
  'cooling',
];

/** `none` = accounts whose tier is not known yet. */
export const ALL_TIERS = 'all';
export const NO_TIER = 'none';

export interface AccountFilter {
  search: string;
  state: StateFilter;
  tier: string;
}

export const EMPTY_FILTER: AccountFilter = { search: '', state: 'all', tier: ALL_TIERS };

/** The filter a link asks for (`/accounts?state=cooling`, from the Dashboard's pool health). */
export function filterFromSearch(search: string): AccountFilter {
  const state = new URLSearchParams(search).get('state');
  const known = STATE_FILTERS.find((candidate) => candidate === state);
  return known ? { ...EMPTY_FILTER, state: known } : EMPTY_FILTER;
}

/** The cooldowns still in force at `now`: the list is fetched, so an ended one may linger until the next fetch. */
export function activeCooldowns(account: AccountView, now: number): CooldownView[] {
  return account.cooldowns.filter((cooldown) => new Date(cooldown.until).getTime() > now);
}

function matchesSearch(account: AccountView, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [account.email, account.label, account.displayName, account.tier, account.tierName].some(
    (field) => field?.toLowerCase().includes(needle) ?? false,
  );
}

function matchesState(account: AccountView, state: StateFilter, now: number): boolean {
  if (state === 'all') return true;
  if (state === 'cooling') return activeCooldowns(account, now).length > 0;
  return account.state === state;
}

function matchesTier(account: AccountView, tier: string): boolean {
  if (tier === ALL_TIERS) return true;
  if (tier === NO_TIER) return account.tier === null;
  return account.tier === tier;
}

export function filterAccounts(
  accounts: readonly AccountView[],
  filter: AccountFilter,
  now: number,
): AccountView[] {
  return accounts.filter(
    (account) =>
      matchesSearch(account, filter.search) &&
      matchesState(account, filter.state, now) &&
      matchesTier(account, filter.tier),
  );
}

/** The tiers present in the list, for the tier filter, with `none` last when some tier is unknown. */
export function tiersOf(accounts: readonly AccountView[]): string[] {
  const tiers = [...new Set(accounts.flatMap((account) => (account.tier ? [account.tier] : [])))].sort();
  return accounts.some((account) => account.tier === null) ? [...tiers, NO_TIER] : tiers;
}
