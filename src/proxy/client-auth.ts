import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SettingsService } from '../config/settings-service.ts';
import { isLoopbackHost } from '../paths.ts';
import { hashApiKey, type ApiKeysTable } from '../store/api-keys-table.ts';

/** Every place a client of one of the three APIs may put its key (contract.md). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
    if (bearer?.[1]) return bearer[1].trim();
  }
  for (const header of ['x-api-key', 'x-goog-api-key'] as const) {
    const value = request.headers[header];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query?.key === 'string' && query.key) return query.key;
  return undefined;
}

/**
 * A key from the settings (`BETTER_MANAGER_API_KEY`, the config file) has no api_keys row; it is
 * named by the first 6 hex digits of its SHA-256, stable across restarts and useless for guessing it.
 */
export const ENVIRONMENT_KEY_PREFIX = 'env:';

export function environmentKeyId(keyHash: Buffer): string {
  return `${ENVIRONMENT_KEY_PREFIX}${keyHash.toString('hex', 0, 3)}`;
}

export type ClientAuthResult =
  | {
      ok: true;
      clientKey: string | undefined;
      /** Which configured key matched (api_keys id or `env:...`); undefined when none was checked. */
      keyId: string | undefined;
    }
  | { ok: false; message: string };

/**
 * Keys from the settings (env `BETTER_MANAGER_API_KEY`) and from the dashboard's key table are
 * accepted; with none configured the proxy is open to loopback callers only.
 */
export class ClientAuth {
  private readonly settings: SettingsService;
  private readonly keys: ApiKeysTable;

  constructor(settings: SettingsService, keys: ApiKeysTable) {
    this.settings = settings;
    this.keys = keys;
  }

  check(request: FastifyRequest): ClientAuthResult {
    const configured = this.settings.current.proxy.apiKeys;
    const key = presentedKey(request);
    if (configured.length === 0 && !this.keys.hasActiveKeys()) {
      if (isLoopbackHost(request.socket.remoteAddress ?? ''))
        return { ok: true, clientKey: key, keyId: undefined };
      return { ok: false, message: 'No API key is configured, so only local clients are accepted' };
    }
    if (!key)
      return {
        ok: false,
        message: 'Missing API key (Authorization: Bearer, x-api-key, x-goog-api-key or ?key=)',
      };
    const given = hashApiKey(key);
    let matched: Buffer | undefined;
    for (const candidate of configured) {
      const hash = hashApiKey(candidate);
      if (timingSafeEqual(given, hash)) matched = hash;
    }
    if (matched) return { ok: true, clientKey: key, keyId: environmentKeyId(matched) };
    const stored = this.keys.match(key);
    if (stored) return { ok: true, clientKey: key, keyId: stored };
    return { ok: false, message: 'Invalid API key' };
  }
}
