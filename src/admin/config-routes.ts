import type { FastifyPluginAsync } from 'fastify';
import type { Settings } from '../config/schema.ts';
import type { AppContext } from '../context.ts';
import { AdminError } from './errors.ts';
import { isPlainObject } from '../util/json.ts';

export function maskSecret(value: string): string {
  if (value.length <= 8) return '****';
  return `${value.slice(0, 4)}…${value.slice(-2)}`;
}

function maskProxyUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '****';
  }
}

/** Settings as the dashboard may see them: secrets masked or left out. */
export function publicSettings(settings: Settings): Record<string, unknown> {
  const { adminPassword, ...server } = settings.server;
  return {
    ...settings,
    server: { ...server, adminPasswordSet: adminPassword !== undefined },
    upstream: {
      ...settings.upstream,
      oauthClientSecret: maskSecret(settings.upstream.oauthClientSecret),
      httpProxy: settings.upstream.httpProxy ? maskProxyUrl(settings.upstream.httpProxy) : undefined,
    },
    proxy: { ...settings.proxy, apiKeys: settings.proxy.apiKeys.map(maskSecret) },
  };
}

export const configRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const describe = () => ({
      settings: publicSettings(ctx.settings.current),
      overridden: ctx.settings.overriddenKeys(),
      dataDir: ctx.dataDir,
      configFile: ctx.settings.configPath,
      version: ctx.version,
      demo: ctx.demo,
    });

    app.get('/config', async () => describe());

    app.put('/config', async (request) => {
      if (!isPlainObject(request.body)) {
        throw new AdminError(400, 'invalid_request', 'Expected a JSON object of settings sections');
      }
      ctx.settings.update(request.body);
      return describe();
    });
  };
