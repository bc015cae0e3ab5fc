import type { FastifyPluginAsync } from 'fastify';
import { OAuthFlowError } from '../accounts/oauth-flow.ts';
import type { AppContext } from '../context.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/**
 * The browser lands here after Google's consent screen. It needs no admin session: the random
 * `state` ties it to a flow the admin started, and a flow completes once.
 */
export const oauthCallbackRoute = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    app.get('/oauth-callback', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!query.state)
        return reply.code(400).send(page('Sign-in failed', 'The callback has no state parameter.'));
      const url = `http://localhost${request.url}`;
      try {
        const result = await ctx.accounts.flows.complete(query.state, { callbackUrl: url });
        const verb = result.outcome === 'created' ? 'added' : 'updated';
        return page(
          'Account ' + verb,
          `${result.account.email} was ${verb}. You can close this tab and return to Better Manager.`,
        );
      } catch (error) {
        const status = error instanceof OAuthFlowError && error.code === 'unknown_flow' ? 404 : 400;
        return reply.code(status).send(page('Sign-in failed', (error as Error).message));
      }
    });
  };
