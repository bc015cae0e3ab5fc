import type { z } from 'zod';
import { ENV_SETTINGS } from './env.ts';
import { defaultSettings, settingsSchema } from './schema.ts';
import { getPath } from './layers.ts';

/** One line per setting for the README's configuration reference. */
export const SETTING_DESCRIPTIONS: Record<string, string> = {
  'server.host': 'Listen address. Anything but loopback requires an admin password.',
  'server.port': 'Listen port for the dashboard, admin API and proxy.',
  'server.adminPassword': 'Password for the dashboard and admin API (required off loopback).',
  'server.logLevel': 'fatal, error, warn, info, debug, trace or silent.',
  'upstream.baseUrls': 'Cloud Code base URLs, tried in this order.',
  'upstream.oauthAuthUrl': 'Google OAuth authorize URL.',
  'upstream.oauthTokenUrl': 'Google OAuth token URL.',
  'upstream.userinfoUrl': 'Google userinfo URL.',
  'upstream.oauthClientId': 'Installed-app OAuth client id (Antigravity’s public client).',
  'upstream.oauthClientSecret': 'Installed-app OAuth client secret (public, non-confidential).',
  'upstream.httpProxy': 'Outbound HTTP(S) proxy for every Google call.',
  'upstream.clientVersion':
    'Client version sent upstream; raise it when Google says the version is no longer supported.',
  'upstream.connectTimeoutSeconds': 'Connect timeout for upstream calls.',
  'upstream.firstByteTimeoutSeconds':
    'Time allowed until the upstream’s first byte; past it the attempt rotates.',
  'upstream.idleTimeoutSeconds': 'Longest gap between stream events before the stream counts as stalled.',
  'proxy.apiKeys': 'Client API keys accepted by the proxy (besides keys created in the dashboard).',
  'proxy.fetchImageUrls':
    'Fetch http(s) image URLs of OpenAI requests (10 s timeout); off = such requests get a 400.',
  'proxy.imageUrlMaxMb': 'Largest image fetched from a URL.',
  'proxy.responsesStoreHours':
    'Responses API answers are kept this long for previous_response_id; 0 = not stored (such requests get a 400).',
  'proxy.responsesStoreMaxEntries': 'Most stored Responses API answers kept (oldest dropped first).',
  'scheduling.mode': 'sticky, balance, round-robin, quota-first or current-first.',
  'scheduling.maxWaitSeconds': 'Sticky mode waits for a cooldown this short instead of switching accounts.',
  'scheduling.stickyTtlSeconds': 'A session’s account binding expires after this long unused.',
  'scheduling.stickyMaxEntries': 'Most session bindings kept (least recently used dropped first).',
  'retry.maxAttempts':
    'Upstream attempts per request; auto = one per account able to serve (one whose cooldown ends meanwhile included), at most 5.',
  'retry.budgetSeconds': 'Total time all attempts of one request may take.',
  'quotaProtection.enabled': 'Skip accounts whose quota for the model is below the threshold.',
  'quotaProtection.thresholdPercent': 'Remaining-quota threshold for quota protection.',
  'refresh.quotaIntervalMinutes': 'Background quota refresh interval; 0 = manual only.',
  'refresh.concurrency': 'Accounts refreshed at once.',
  'logging.bodies': 'Store request and response bodies in the request log.',
  'logging.bodyMaxKb': 'Stored bodies are cut to this size.',
  'logging.retentionDays': 'Request-log rows older than this are pruned.',
  'logging.retentionMaxRows': 'Most request-log rows kept.',
  'limits.bodyMb': 'Largest request body accepted.',
  'limits.requestTimeoutSeconds': 'Longest time a client may take to send a request.',
  'models.mapping': 'Ordered rules {match, target}: exact name or glob → upstream model id.',
  'models.aliases': 'Extra model names shown to clients, each → an upstream id.',
  'routing.background.enabled': 'Send recognised background tasks (titles, summaries) to a cheap model.',
  'routing.background.model': 'The model background tasks are routed to.',
  'ui.language': 'Dashboard language: en or zh-CN.',
  'ui.theme': 'Dashboard theme: light, dark or system.',
};

type AnySchema = z.core.$ZodType;

/** Dotted paths of every leaf setting, in schema order (objects are walked, everything else is a leaf). */
export function settingKeys(schema: AnySchema = settingsSchema, prefix = ''): string[] {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; shape?: Record<string, AnySchema> };
  if (def.type === 'default' || def.type === 'prefault' || def.type === 'optional') {
    return settingKeys(def.innerType!, prefix);
  }
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([key, child]) =>
      settingKeys(child, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '—';
  const json = JSON.stringify(value);
  return json.length > 60 ? 'see `src/config/schema.ts`' : `\`${json}\``;
}

/** The configuration reference table of the README, generated from the schema. */
export function configurationReference(): string {
  const defaults = defaultSettings();
  const envByKey = new Map(ENV_SETTINGS.map((entry) => [entry.key, entry.name]));
  envByKey.set('upstream.httpProxy', 'BETTER_MANAGER_HTTP_PROXY');
  const flags: Record<string, string> = {
    'server.port': '--port',
    'server.host': '--host',
    'server.logLevel': '--log-level',
  };
  const rows = settingKeys().map((key) => {
    const sources = [flags[key] && `\`${flags[key]}\``, envByKey.has(key) && `\`${envByKey.get(key)}\``]
      .filter(Boolean)
      .join(', ');
    return `| \`${key}\` | ${formatDefault(getPath(defaults, key))} | ${sources || '—'} | ${SETTING_DESCRIPTIONS[key] ?? ''} |`;
  });
  return ['| setting | default | flag / env | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
