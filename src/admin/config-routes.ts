import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { AdminPassword } from './admin-password.ts';
import { AdminError } from './errors.ts';
import { publicSettings, restoreMaskedSecrets } from './settings-masks.ts';
import { isPlainObject } from '../util/json.ts';

/**
 * `GET /api/config` and `PUT /api/config`: every setting, secrets masked. A PUT takes a partial
 * tree of sections; a masked secret sent back unchanged keeps the real one, and `null` removes a
 * saved value (the default, or the config file's value, applies again).
 */
export const configRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const password = new AdminPassword(ctx);
    const describe = () => {
      const source = password.source();
      return {
        settings: publicSettings(ctx.settings.current, { set: source !== null, source }),
        overridden: ctx.settings.overriddenKeys(),
        dataDir: ctx.dataDir,
        configFile: ctx.settings.configPath,
        version: ctx.version,
        demo: ctx.demo,
      };
    };

    app.get('/config', async () => describe());

    app.put('/config', async (request) => {
      if (!isPlainObject(request.body)) {
        throw new AdminError(400, 'invalid_request', 'Expected a JSON object of settings sections');
      }
      ctx.settings.update(restoreMaskedSecrets(request.body, ctx.settings.current));
      return describe();
    });
  };
