import type { LogRow, Protocol } from './types.ts';

export type StatusFilter = '' | '2xx' | '4xx' | '5xx' | 'error';
export const STATUS_FILTERS: readonly Exclude<StatusFilter, ''>[] = ['2xx', '4xx', '5xx', 'error'];

/** The list filters of `GET /api/logs`; '' means "any". */
export interface LogFilters {
  status: StatusFilter;
  model: string;
  /** Account id. */
  account: string;
  protocol: '' | Protocol;
  /** Key id (or masked key for keys the proxy did not check). */
  key: string;
  q: string;
}

export const NO_FILTERS: LogFilters = { status: '', model: '', account: '', protocol: '', key: '', q: '' };

export function hasFilters(filters: LogFilters): boolean {
  return Object.values(filters).some((value) => value.trim() !== '');
}

/** The query string of `/api/logs` and `/api/logs.csv` for these filters (without `?`). */
export function filterQuery(
  filters: LogFilters,
  extra: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value.trim()) params.set(name, value.trim());
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) params.set(name, String(value));
  return params.toString();
}

const STATUS_RANGES: Record<Exclude<StatusFilter, ''>, [number, number]> = {
  '2xx': [200, 299],
  '4xx': [400, 499],
  '5xx': [500, 599],
  error: [400, 999],
};

/**
 * Whether a live row belongs in the list under these filters: the same rules as the server's
 * (src/monitor/log-query.ts), so a row that arrives live is one the next reload would show.
 */
export function matchesFilters(row: LogRow, filters: LogFilters): boolean {
  if (filters.status) {
    const [low, high] = STATUS_RANGES[filters.status];
    if (row.status < low || row.status > high) return false;
  }
  if (filters.model && row.mappedModel !== filters.model && row.requestedModel !== filters.model)
    return false;
  if (
    filters.account &&
    row.accountId !== filters.account &&
    row.accountEmail?.toLowerCase() !== filters.account.toLowerCase()
  )
    return false;
  if (filters.protocol && row.protocol !== filters.protocol) return false;
  if (filters.key && row.keyId !== filters.key && row.clientKey !== filters.key) return false;
  const needle = filters.q.trim().toLowerCase();
  if (needle) {
    const fields = [row.route, row.requestedModel, row.mappedModel, row.accountEmail, row.errorMessage];
    if (!fields.some((field) => field?.toLowerCase().includes(needle))) return false;
  }
  return true;
}
