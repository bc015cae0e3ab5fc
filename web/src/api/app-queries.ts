import { useQuery } from '@tanstack/react-query';
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

export const useAuthStatus = () =>
  useQuery({ queryKey: ['auth'], queryFn: () => get<AuthStatus>('/api/auth/status'), staleTime: 60_000 });

export const useConfig = (enabled = true) =>
  useQuery({
    queryKey: ['config'],
    queryFn: () => get<ConfigView>('/api/config'),
    enabled,
    staleTime: 30_000,
  });
