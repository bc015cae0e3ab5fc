import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { isLoopbackHost } from '../paths.ts';
import { AdminPassword } from './admin-password.ts';
import { sendAdminError } from './errors.ts';
import { parseBody } from './validation.ts';

export { secretsEqual } from './secrets-equal.ts';

export const SESSION_COOKIE = 'bm_session';
const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
export const LOGIN_WINDOW_MS = 60_000;
const LOGIN_ATTEMPTS_PER_WINDOW = 10;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The Set-Cookie value that starts a dashboard session, or ends it (`null`). */
export function sessionCookie(token: string | null): string {
  const lifetime = token === null ? 0 : SESSION_LIFETIME_MS / 1000;
  return `${SESSION_COOKIE}=${token ?? ''}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${lifetime}`;
}

/**
 * Dashboard sessions: random tokens kept in memory (a restart signs everyone out), looked up by
 * their hash. Password guesses (sign-ins, and Bearer passwords that must be hashed to check) are
 * limited per client address.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, number>();
  private readonly attempts = new Map<string, { count: number; since: number }>();

  create(now = Date.now()): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(digest(token), now + SESSION_LIFETIME_MS);
    return token;
  }

  valid(token: string | undefined, now = Date.now()): boolean {
    if (!token) return false;
    const key = digest(token);
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    if (expires <= now) {
      this.sessions.delete(key);
      return false;
    }
    return true;
  }

  revoke(token: string | undefined): void {
    if (token) this.sessions.delete(digest(token));
  }

  /** The password changed: every session ends. */
  revokeAll(): void {
    this.sessions.clear();
  }

  /** False once an address has used up its attempts in the current window. */
  allowAttempt(address: string, now = Date.now()): boolean {
    const entry = this.attempts.get(address);
    if (!entry || now - entry.since > LOGIN_WINDOW_MS) {
      this.attempts.set(address, { count: 1, since: now });
      return true;
    }
    entry.count++;
    return entry.count <= LOGIN_ATTEMPTS_PER_WINDOW;
  }
}

/** State-changing admin calls must come from the dashboard's own origin (CSRF), when a browser says where from. */
function crossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin || request.method === 'GET' || request.method === 'HEAD') return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/**
 * Admin API guard (contract.md): with an admin password (from the config or set in the dashboard),
 * `Authorization: Bearer <password>` or a session cookie from `POST /api/auth/login`; without one,
 * loopback callers only (other hosts are refused at start anyway). The OAuth callback and the
 * `/api/auth/` routes are outside this guard (they check what they need themselves).
 */
export function adminAuthHook(ctx: AppContext, sessions: AdminSessions) {
  const password = new AdminPassword(ctx);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (crossOrigin(request)) {
      await sendAdminError(reply, 403, 'forbidden', 'Cross-origin admin requests are refused');
      return;
    }
    if (request.url.startsWith('/api/auth/')) return;
    if (password.isSet()) {
      const token = bearerToken(request);
      if (
        token === undefined ? sessions.valid(cookieValue(request, SESSION_COOKIE)) : password.knownGood(token)
      )
        return;
      if (token !== undefined && password.source() === 'stored') {
        // A stored password is checked by hashing: guesses count like sign-ins.
        if (!sessions.allowAttempt(request.socket.remoteAddress ?? 'unknown')) {
          reply.header('retry-after', String(LOGIN_WINDOW_MS / 1000));
          await sendAdminError(reply, 429, 'too_many_attempts', 'Too many wrong passwords; wait a minute');
          return;
        }
        if (await password.matches(token)) return;
      }
      await sendAdminError(
        reply,
        401,
        'unauthorized',
        'Sign in first (POST /api/auth/login) or send Authorization: Bearer <admin password>',
      );
      return;
    }
    if (!isLoopbackHost(request.socket.remoteAddress ?? '')) {
      await sendAdminError(
        reply,
        403,
        'forbidden',
        'The admin API is open to loopback callers only; set an admin password',
      );
    }
  };
}

const loginBody = z.object({ password: z.string().min(1).max(1024) }).strict();

export const authRoutes = (ctx: AppContext, sessions: AdminSessions): FastifyPluginAsync =>
  async function routes(app) {
    const password = new AdminPassword(ctx);

    app.get('/auth/status', async (request) => {
      const required = password.isSet();
      return {
        passwordRequired: required,
        signedIn: !required || sessions.valid(cookieValue(request, SESSION_COOKIE)),
      };
    });

    app.post('/auth/login', async (request, reply) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      if (!sessions.allowAttempt(address)) {
        reply.header('retry-after', String(LOGIN_WINDOW_MS / 1000));
        return sendAdminError(reply, 429, 'too_many_attempts', 'Too many sign-in attempts; wait a minute');
      }
      const body = parseBody(loginBody, request.body);
      if (!password.isSet()) return { signedIn: true };
      if (!(await password.matches(body.password)))
        return sendAdminError(reply, 401, 'unauthorized', 'Wrong password');
      reply.header('set-cookie', sessionCookie(sessions.create()));
      return { signedIn: true };
    });

    app.post('/auth/logout', async (request, reply) => {
      sessions.revoke(cookieValue(request, SESSION_COOKIE));
      reply.header('set-cookie', sessionCookie(null));
      return { signedIn: false };
    });
  };
