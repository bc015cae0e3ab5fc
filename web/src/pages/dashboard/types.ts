/**
 * What the Dashboard reads of `GET /api/accounts` (src/accounts/views.ts AccountView and the
 * cooldowns of src/admin/accounts-routes.ts) and `GET /api/proxy/status` (src/admin/proxy-routes.ts).
 * The Accounts page caches the same `['accounts']` query as the list of accounts, so this page does too.
 */

export type AccountState = 'active' | 'disabled' | 'needs_login' | 'forbidden';

export type ModelQuota =
  | { model: string; status: 'known'; remainingFraction: number; percent: number; resetAt: string | null }
  | { model: string; status: 'unknown' };

export interface QuotaBucket {
  id: string;
  /** The upstream's group name: "Gemini Pro", "Gemini Flash", "Claude and partner models". */
  group: string | null;
  /** "5h" or "weekly". */
  window: string | null;
  remainingFraction: number | null;
  resetAt: string | null;
}

export interface Cooldown {
  model: string;
  until: string;
  reason: string;
}

export interface DashboardAccount {
  id: string;
  email: string;
  label: string | null;
  state: AccountState;
  tier: string | null;
  quota: { models: ModelQuota[]; buckets: QuotaBucket[] };
  cooldowns: Cooldown[];
}

export interface ProxyStatus {
  running: boolean;
  accounts: number;
  models: number;
  cooldowns: Array<{ accountId: string; model: string; until: string; reason: string }>;
  memory: Record<string, number>;
}
