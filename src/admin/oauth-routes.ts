import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { parseBody } from './validation.ts';

const completeBody = z
  .object({
    state: z.string().min(1).max(200),
    code: z.string().min(1).max(4096).optional(),
    callbackUrl: z.string().min(1).max(8192).optional(),
  })
  .strict()
  .refine(
    (body) => body.code !== undefined || body.callbackUrl !== undefined,
    'Give "code" or "callbackUrl"',
  );

const stateParams = z.object({ state: z.string().min(1).max(200) });

/**
 * Google accepts any port on a loopback redirect for installed apps, so the callback always
 * names localhost and the port this server listens on; a browser on another machine cannot
 * reach it, and its user pastes the URL instead.
 */
export function callbackUrlFor(request: FastifyRequest): string {
  return `http://localhost:${request.socket.localPort}/oauth-callback`;
}

export const oauthRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const flows = ctx.accounts.flows;

    app.post('/oauth/start', async (request) => {
      const flow = flows.start(callbackUrlFor(request));
      return {
        authUrl: flow.authUrl,
        state: flow.state,
        redirectUri: flow.redirectUri,
        expiresAt: flow.expiresAt,
      };
    });

    app.get('/oauth/status/:state', async (request) => {
      const { state } = parseBody(stateParams, request.params);
      return flows.status(state);
    });

    app.post('/oauth/complete', async (request) => {
      const body = parseBody(completeBody, request.body);
      return flows.complete(body.state, { code: body.code, callbackUrl: body.callbackUrl });
    });
  };
