import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths the dashboard never owns: a client-side route fallback must not answer them with HTML. */
const NOT_DASHBOARD = /^\/(api|v1|v1beta|metrics|health|oauth-callback)(\/|$|\?)/;

/**
 * Where the built dashboard is: beside the bundle (dist/cli.js → dist/web) when running the
 * package, or in the clone's dist/web when running from source (src/server → ../../dist/web).
 */
export function findDashboardRoot(here = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (const candidate of [join(here, 'web'), join(here, '..', '..', 'dist', 'web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

function missingDashboard(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .send('The dashboard is not built. Run `npm run build` (or `npm start`, which builds it) and reload.');
}

/**
 * The dashboard's static files: hashed assets cached for a year, index.html (never cached) for every
 * client-side route, and nothing from outside the build folder. Runs as the root not-found handler,
 * so every API route and each protocol's own 404 keep precedence.
 */
export function dashboardFiles(root: string | undefined = findDashboardRoot()) {
  const indexPath = root ? join(root, 'index.html') : undefined;
  // index.html is small and read on every navigation; the build replaces it only between runs.
  let indexHtml: Buffer | undefined;
  const index = () => (indexHtml ??= indexPath ? readFileSync(indexPath) : undefined);

  const sendIndex = (reply: FastifyReply) => {
    const html = index();
    if (!html) return missingDashboard(reply);
    return reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .type('text/html; charset=utf-8')
      .send(html);
  };

  /** Answers a GET the routes did not take, or returns false when it is not the dashboard's. */
  return function serve(request: FastifyRequest, reply: FastifyReply): FastifyReply | false {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = request.url.split('?')[0] ?? '/';
    if (NOT_DASHBOARD.test(pathname)) return false;
    let path: string;
    try {
      path = decodeURIComponent(pathname).replace(/^\/+/, '');
    } catch {
      return false;
    }
    if (path === '' || path === 'index.html') return sendIndex(reply);
    if (root && !path.includes('\0')) {
      const file = normalize(join(root, path));
      if (file.startsWith(root + sep) && existsSync(file)) {
        const stat = statSync(file);
        if (stat.isFile()) {
          const hashed = path.startsWith('assets/');
          return reply
            .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
            .header('x-content-type-options', 'nosniff')
            .header('content-length', stat.size)
            .type(MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
            .send(createReadStream(file));
        }
      }
    }
    // A missing file is a 404; a page a browser navigates to is a client-side route.
    const accept = request.headers.accept ?? '';
    if (path.startsWith('assets/') || extname(path) !== '' || !accept.includes('text/html')) return false;
    return sendIndex(reply);
  };
}
