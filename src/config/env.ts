import { setPath, type Layer } from './layers.ts';
import type { SettingsLayer } from './schema.ts';

type Parse = (raw: string) => unknown;

/** Numbers are converted only when they look like numbers, so "abc" reaches zod and is reported. */
const int: Parse = (raw) => (/^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw);
const text: Parse = (raw) => raw;
const list: Parse = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** Environment variables of contract.md, each mapped to one setting. */
export const ENV_SETTINGS: ReadonlyArray<{ name: string; key: string; parse: Parse }> = [
  { name: 'BETTER_MANAGER_PORT', key: 'server.port', parse: int },
  { name: 'BETTER_MANAGER_HOST', key: 'server.host', parse: text },
  { name: 'BETTER_MANAGER_ADMIN_PASSWORD', key: 'server.adminPassword', parse: text },
  { name: 'BETTER_MANAGER_LOG_LEVEL', key: 'server.logLevel', parse: text },
  { name: 'BETTER_MANAGER_API_KEY', key: 'proxy.apiKeys', parse: list },
  { name: 'BETTER_MANAGER_UPSTREAM_URLS', key: 'upstream.baseUrls', parse: list },
  { name: 'BETTER_MANAGER_OAUTH_AUTH_URL', key: 'upstream.oauthAuthUrl', parse: text },
  { name: 'BETTER_MANAGER_OAUTH_TOKEN_URL', key: 'upstream.oauthTokenUrl', parse: text },
  { name: 'BETTER_MANAGER_USERINFO_URL', key: 'upstream.userinfoUrl', parse: text },
  { name: 'BETTER_MANAGER_OAUTH_CLIENT_ID', key: 'upstream.oauthClientId', parse: text },
  { name: 'BETTER_MANAGER_OAUTH_CLIENT_SECRET', key: 'upstream.oauthClientSecret', parse: text },
  { name: 'BETTER_MANAGER_CLIENT_VERSION', key: 'upstream.clientVersion', parse: text },
];

/** Outbound proxy: our own variable first, then the conventional ones. */
const PROXY_VARIABLES = ['BETTER_MANAGER_HTTP_PROXY', 'HTTPS_PROXY', 'https_proxy'];

export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values: SettingsLayer = {};
  const origins = new Map<string, string>();
  for (const { name, key, parse } of ENV_SETTINGS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(values, key, parse(raw));
    origins.set(key, name);
  }
  const proxyVar = PROXY_VARIABLES.find((name) => env[name]);
  if (proxyVar) {
    setPath(values, 'upstream.httpProxy', env[proxyVar]);
    origins.set('upstream.httpProxy', proxyVar);
  }
  return { kind: 'env', label: 'the environment', values, origins };
}

export { int as parseIntLike };
