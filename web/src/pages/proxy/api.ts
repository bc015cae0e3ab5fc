import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post, put } from '../../api/client.ts';
import type { ConfigView } from '../../api/app-queries.ts';

/** GET /api/proxy/status; the fields after `models` arrive with a newer server and may be absent. */
export interface ProxyStatus {
  running: boolean;
  accounts: number;
  models: number;
  cooldowns: Array<{ accountId: string; model: string; until: string; reason: string }>;
  version?: string;
  uptimeSeconds?: number;
  requests?: number;
  errors?: number;
}

export interface ApiKeyRow {
  id: string;
  label: string;
  keyPrefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyList {
  keys: ApiKeyRow[];
  /** How many keys come from the settings (`BETTER_MANAGER_API_KEY` or `proxy.apiKeys`). */
  fromEnvironment: number;
}

export interface CreatedKey extends ApiKeyRow {
  key: string;
}

export interface MappingRule {
  match: string;
  target: string;
}

/** POST /api/models/test */
export interface ModelTestResult {
  requested: string;
  normalized: string;
  upstream: string;
  rule: string | null;
  ruleIndex: number | null;
  routed: boolean;
  description: string;
  known: boolean;
}

/** The settings sections this page edits, as GET /api/config shows them (secrets masked). */
export interface ProxySettings {
  scheduling: {
    mode: SchedulingMode;
    maxWaitSeconds: number;
    stickyTtlSeconds: number;
    stickyMaxEntries: number;
  };
  quotaProtection: { enabled: boolean; thresholdPercent: number };
  retry: { maxAttempts: 'auto' | number; budgetSeconds: number };
  routing: { background: { enabled: boolean; model: string } };
  models: { mapping: MappingRule[]; aliases: Record<string, string> };
  upstream: {
    connectTimeoutSeconds: number;
    firstByteTimeoutSeconds: number;
    idleTimeoutSeconds: number;
    httpProxy?: string;
  };
}

export const SCHEDULING_MODES = ['sticky', 'balance', 'round-robin', 'quota-first', 'current-first'] as const;
export type SchedulingMode = (typeof SCHEDULING_MODES)[number];

/** The config view narrowed to what this page reads; the sections are always present (server defaults). */
export function proxySettingsOf(config: ConfigView): ProxySettings {
  return config.settings as unknown as ProxySettings;
}

export const useProxyStatus = () =>
  useQuery({
    queryKey: ['proxy-status'],
    queryFn: () => get<ProxyStatus>('/api/proxy/status'),
    refetchInterval: 30_000,
  });

export const useProxyKeys = () =>
  useQuery({ queryKey: ['proxy-keys'], queryFn: () => get<ApiKeyList>('/api/proxy/keys') });

export function useCreateKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (label: string) => post<CreatedKey>('/api/proxy/keys', { label }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['proxy-keys'] }),
  });
}

export function useRevokeKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/proxy/keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['proxy-keys'] }),
  });
}

/** PUT /api/config with a partial tree of settings sections; the answer is the new config view. */
export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) => put<ConfigView>('/api/config', patch),
    onSuccess: (config) => {
      queryClient.setQueryData(['config'], config);
      void queryClient.invalidateQueries({ queryKey: ['proxy-config'] });
    },
  });
}

export const testModel = (model: string, mapping: MappingRule[]) =>
  post<ModelTestResult>('/api/models/test', { model, mapping });

interface AccountsResponse {
  accounts: Array<{ id: string; email: string; quota?: { models?: Array<{ model: string }> } }>;
}

/** Module-level so TanStack Query memoizes the selection instead of rebuilding it every render. */
function modelsAndEmails(data: AccountsResponse) {
  const ids = new Set<string>();
  const emails = new Map<string, string>();
  for (const account of data.accounts) {
    emails.set(account.id, account.email);
    for (const quota of account.quota?.models ?? []) ids.add(quota.model);
  }
  return { modelIds: [...ids].sort(), emails };
}

/**
 * Upstream model ids and account emails from GET /api/accounts. Not GET /v1/models: that is a proxy
 * route, which needs a client key as soon as one exists, while the admin API does not.
 */
export const useAccountModels = () =>
  useQuery({
    queryKey: ['accounts', 'proxy-page-models'],
    queryFn: () => get<AccountsResponse>('/api/accounts'),
    select: modelsAndEmails,
    staleTime: 60_000,
  });
