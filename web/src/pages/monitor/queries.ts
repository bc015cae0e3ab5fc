import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get } from '../../api/client.ts';
import { filterQuery, type LogFilters } from './filters.ts';
import type {
  ApiKeyList,
  LogDetail,
  LogPage,
  UsageBucket,
  UsageGroupBy,
  UsageReport,
  UsageWindow,
} from './types.ts';

export const LOG_PAGE_SIZE = 50;

/**
 * The stored log, newest first, a page at a time ("load older" follows the cursor). Live rows come
 * through the event stream instead (use-live-log.ts), so this is not refetched on focus; a filter
 * chosen again is fetched again, though, since its live rows were left behind when it was left.
 */
export const useLogPages = (filters: LogFilters) =>
  useInfiniteQuery({
    queryKey: ['logs', filters],
    queryFn: ({ pageParam }) =>
      get<LogPage>(`/api/logs?${filterQuery(filters, { limit: LOG_PAGE_SIZE, cursor: pageParam })}`),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchOnWindowFocus: false,
    gcTime: 0,
  });

export const useLogDetail = (id: number | null) =>
  useQuery({
    queryKey: ['logs', 'detail', id],
    queryFn: () => get<LogDetail>(`/api/logs/${id}`),
    enabled: id !== null,
  });

export function useClearLogs() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => del<{ deleted: number }>('/api/logs'),
    onSuccess: () => queryClient.resetQueries({ queryKey: ['logs'] }),
  });
}

/** Same key and shape as the Proxy page's key list. */
export const useKeyList = () =>
  useQuery({ queryKey: ['proxy-keys'], queryFn: () => get<ApiKeyList>('/api/proxy/keys') });

export interface UsageQuery {
  window: UsageWindow;
  by: UsageGroupBy;
  bucket: UsageBucket;
}

/** Days start at the browser's midnight. */
export function usagePath(query: UsageQuery, format: 'json' | 'csv' = 'json'): string {
  const params = new URLSearchParams({
    window: query.window,
    by: query.by,
    bucket: query.bucket,
    tzOffset: String(-new Date().getTimezoneOffset()),
  });
  return `/api/usage${format === 'csv' ? '.csv' : ''}?${params}`;
}

/** Usage moves with every request: the usage view refetches on live `log` events, and each minute. */
export const useUsage = (query: UsageQuery) =>
  useQuery({
    queryKey: ['usage', query],
    queryFn: () => get<UsageReport>(usagePath(query)),
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
