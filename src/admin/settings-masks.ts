import type { Settings, SettingsLayer } from '../config/schema.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * Secrets in the settings leave the server masked, and the dashboard sends whole sections back.
 * A masked value that comes back unchanged means "keep what is there": it is turned back into the
 * real secret (or dropped from the change) before anything is saved, so a save never overwrites
 * a key, the OAuth client secret or the proxy password with its mask.
 */

const PASSWORD_MASK = '****';

export function maskSecret(value: string): string {
  if (value.length <= 8) return PASSWORD_MASK;
  return `${value.slice(0, 4)}\u2026${value.slice(-2)}`;
}

/** The proxy URL with its password hidden (user, host and port stay readable). */
export function maskProxyUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = PASSWORD_MASK;
    return parsed.toString();
  } catch {
    return PASSWORD_MASK;
  }
}

/** Each masked key of `sent` becomes the real key it stands for; new keys pass as they are. */
function restoreKeys(sent: unknown[], real: readonly string[]): unknown[] {
  const byMask = new Map<string, string[]>();
  for (const key of real) {
    const mask = maskSecret(key);
    byMask.set(mask, [...(byMask.get(mask) ?? []), key]);
  }
  return sent.map((value) => (typeof value === 'string' ? (byMask.get(value)?.shift() ?? value) : value));
}

/** The masked proxy URL sent back, or one edited around its masked password, keeps the real password. */
function restoreProxyUrl(sent: string, real: string): string {
  if (sent === maskProxyUrl(real)) return real;
  try {
    const edited = new URL(sent);
    const original = new URL(real);
    if (edited.password !== PASSWORD_MASK || !original.password || edited.username !== original.username)
      return sent;
    edited.password = original.password;
    return edited.toString();
  } catch {
    return sent;
  }
}

const sameList = (left: readonly unknown[], right: readonly unknown[]) =>
  left.length === right.length && left.every((value, index) => value === right[index]);

/** `patch` with every masked secret replaced by the real one, or left out when it would change nothing. */
export function restoreMaskedSecrets(patch: SettingsLayer, current: Settings): SettingsLayer {
  const restored: SettingsLayer = { ...patch };
  if (isPlainObject(patch.upstream)) {
    const upstream = { ...patch.upstream };
    if (upstream.oauthClientSecret === maskSecret(current.upstream.oauthClientSecret))
      delete upstream.oauthClientSecret;
    const realProxy = current.upstream.httpProxy;
    if (typeof upstream.httpProxy === 'string' && realProxy !== undefined) {
      const proxyUrl = restoreProxyUrl(upstream.httpProxy, realProxy);
      if (proxyUrl === realProxy) delete upstream.httpProxy;
      else upstream.httpProxy = proxyUrl;
    }
    restored.upstream = upstream;
  }
  if (isPlainObject(patch.proxy) && Array.isArray(patch.proxy.apiKeys)) {
    const proxy = { ...patch.proxy };
    const keys = restoreKeys(patch.proxy.apiKeys, current.proxy.apiKeys);
    // Unchanged keys are left out, so keys that come from the environment are never copied into the database.
    if (sameList(keys, current.proxy.apiKeys)) delete proxy.apiKeys;
    else proxy.apiKeys = keys;
    restored.proxy = proxy;
  }
  return restored;
}

/** The `upstream` section as the dashboard may see it. */
export function publicUpstream(upstream: Settings['upstream']) {
  return {
    ...upstream,
    oauthClientSecret: maskSecret(upstream.oauthClientSecret),
    httpProxy: upstream.httpProxy ? maskProxyUrl(upstream.httpProxy) : undefined,
  };
}

/** Settings as the dashboard may see them: secrets masked or left out. */
export function publicSettings(
  settings: Settings,
  adminPassword: { set: boolean; source: 'config' | 'stored' | null },
): Record<string, unknown> {
  const { adminPassword: _configured, ...server } = settings.server;
  return {
    ...settings,
    server: { ...server, adminPasswordSet: adminPassword.set, adminPasswordSource: adminPassword.source },
    upstream: publicUpstream(settings.upstream),
    proxy: { ...settings.proxy, apiKeys: settings.proxy.apiKeys.map(maskSecret) },
  };
}
