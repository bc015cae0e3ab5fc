import type { onRequestHookHandler } from 'fastify';

/** The headers clients of the three APIs send; a browser asks for each before it sends them. */
const ALLOWED_HEADERS = [
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'content-type',
  'x-session-id',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-goog-api-client',
  'openai-organization',
  'openai-project',
].join(', ');

const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': ALLOWED_HEADERS,
  'access-control-max-age': '86400',
};

/** Headers a browser client may read from an answer (a 429's wait, Anthropic's retry advice). */
const EXPOSED = 'retry-after, x-should-retry';

function isProxyPath(url: string): boolean {
  return url.startsWith('/v1/') || url.startsWith('/v1beta/') || url === '/v1' || url === '/v1beta';
}

/**
 * CORS for the proxy routes only (product.md §7): any origin may call them (browser clients send
 * their key in a header, not a cookie), and a preflight is answered before client auth, since a
 * browser never sends credentials with it. The admin API gets no CORS header: same origin only.
 */
export const proxyCors: onRequestHookHandler = (request, reply, done) => {
  if (!isProxyPath(request.url)) {
    done();
    return;
  }
  if (request.method === 'OPTIONS') {
    const asked = request.headers['access-control-request-headers'];
    void reply
      .code(204)
      .headers(PREFLIGHT_HEADERS)
      // Echoing what was asked keeps a client with a header not listed above working.
      .header('access-control-allow-headers', typeof asked === 'string' && asked ? asked : ALLOWED_HEADERS)
      .send();
    return;
  }
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', EXPOSED);
  done();
};
