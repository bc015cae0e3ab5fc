import { useQuery, type QueryClient } from '@tanstack/react-query';
import { get } from './client.ts';

export interface AuthStatus {
  passwordRequired: boolean;
  signedIn: boolean;
}

/** GET /api/config: settings as the dashboard may see them (secrets masked). */
export interface ConfigView {
  settings: Record<string, unknown> & {
    server: { host: string; port: number; adminPasswordSet: boolean } & Record<string, unknown>;
    ui: { language: 'en' | 'zh-CN'; theme: 'light' | 'dark' | 'system' } & Record<string, unknown>;
  };
  overridden: string[];
  dataDir: string;
  configFile: string;
  version: string;
  demo: boolean;
}

const authQuery = {
  queryKey: ['auth'],
  queryFn: () => get<AuthStatus>('/api/auth/status'),
  staleTime: 60_000,
} as const;

export const useAuthStatus = () => useQuery(authQuery);

/** Asks for the sign-in status before React's first render, so the answer is there when the frame is. */
export function prefetchAppQueries(client: QueryClient): void {
  void client.prefetchQuery(authQuery);
}

export const useConfig = (enabled = true) =>
  useQuery({
    queryKey: ['config'],
    queryFn: () => get<ConfigView>('/api/config'),
    enabled,
    staleTime: 30_000,
  });
