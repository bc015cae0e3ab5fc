import type { FastifyPluginAsync } from 'fastify';
import type { Settings } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { isPlainObject } from '../util/json.ts';
import { AdminError } from './errors.ts';
import { maskProxyUrl, maskSecret, restoreMaskedSecrets } from './settings-masks.ts';

/** The settings sections the Proxy page edits whole. */
const PROXY_SECTIONS = ['proxy', 'scheduling', 'models', 'routing', 'retry'] as const;
/** Of `upstream`, only how long to wait and the outbound proxy belong to the Proxy page. */
const UPSTREAM_KEYS = [
  'connectTimeoutSeconds',
  'firstByteTimeoutSeconds',
  'idleTimeoutSeconds',
  'httpProxy',
] as const;

const OWN_PATHS = [...PROXY_SECTIONS, ...UPSTREAM_KEYS.map((key) => `upstream.${key}`)];

function proxySettingsView(settings: Settings) {
  const { upstream } = settings;
  return {
    proxy: { ...settings.proxy, apiKeys: settings.proxy.apiKeys.map(maskSecret) },
    scheduling: settings.scheduling,
    models: settings.models,
    routing: settings.routing,
    retry: settings.retry,
    upstream: {
      connectTimeoutSeconds: upstream.connectTimeoutSeconds,
      firstByteTimeoutSeconds: upstream.firstByteTimeoutSeconds,
      idleTimeoutSeconds: upstream.idleTimeoutSeconds,
      httpProxy: upstream.httpProxy === undefined ? null : maskProxyUrl(upstream.httpProxy),
    },
  };
}

/** Refuses anything outside the Proxy page's settings, naming the first such key. */
function checkPatch(body: unknown): asserts body is Record<string, unknown> {
  if (!isPlainObject(body))
    throw new AdminError(400, 'invalid_request', 'Expected a JSON object of proxy settings sections');
  const notOurs = (key: string) =>
    new AdminError(
      400,
      'invalid_request',
      `"${key}" is not a proxy setting: proxy settings are ${OWN_PATHS.join(', ')}; ` +
        'other settings are changed with PUT /api/config',
    );
  for (const [section, value] of Object.entries(body)) {
    if ((PROXY_SECTIONS as readonly string[]).includes(section)) continue;
    if (section !== 'upstream') throw notOurs(section);
    if (!isPlainObject(value)) throw new AdminError(400, 'invalid_request', '"upstream" must be an object');
    for (const key of Object.keys(value))
      if (!(UPSTREAM_KEYS as readonly string[]).includes(key)) throw notOurs(`upstream.${key}`);
  }
}

/**
 * `GET /api/proxy/config` and `PUT /api/proxy/config` (contract.md): the proxy's settings (client
 * keys masked, scheduling, model mapping and aliases, routing, retry, upstream timeouts and the
 * outbound HTTP proxy with its password masked). Both answer `{settings, overridden}`, where
 * `overridden` lists the dotted keys among them that the config file, environment or flags set (a
 * change to those has no effect). PUT takes a partial tree of only these sections (any other key is
 * a 400 naming it) and applies it live; a masked value sent back unchanged keeps the real secret,
 * and `null` removes a saved value (`upstream.httpProxy: null` turns the outbound proxy off).
 */
export const proxyConfigRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const describe = () => ({
      settings: proxySettingsView(ctx.settings.current),
      overridden: ctx.settings
        .overriddenKeys()
        .filter((key) => OWN_PATHS.some((path) => key === path || key.startsWith(`${path}.`))),
    });

    app.get('/proxy/config', async () => describe());

    app.put('/proxy/config', async (request) => {
      const body = request.body;
      checkPatch(body);
      ctx.settings.update(restoreMaskedSecrets(body, ctx.settings.current));
      return describe();
    });
  };
