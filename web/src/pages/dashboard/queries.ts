import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client.ts';
import type { StatsReport, StatsWindow } from '../monitor/types.ts';
import type { DashboardAccount, ProxyStatus } from './types.ts';

/** The same key and shape as the Accounts page: live `account`/`cooldown` events refresh it. */
export const useAccountList = () =>
  useQuery({
    queryKey: ['accounts'],
    queryFn: async () => (await get<{ accounts: DashboardAccount[] }>('/api/accounts')).accounts,
    staleTime: 5_000,
  });

/** Live `log` events refresh `['stats']` (at most once a second); a minute timer moves the window on. */
export const useStats = (window: StatsWindow) =>
  useQuery({
    queryKey: ['stats', window],
    queryFn: () => get<StatsReport>(`/api/stats?window=${window}`),
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });

export const useProxyStatus = () =>
  useQuery({
    queryKey: ['proxy-status'],
    queryFn: () => get<ProxyStatus>('/api/proxy/status'),
    refetchInterval: 30_000,
  });
