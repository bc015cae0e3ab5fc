import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { isLoopbackHost } from '../paths.ts';
import { AdminPassword } from './admin-password.ts';
import { LOGIN_WINDOW_MS, sessionCookie, type AdminSessions } from './auth.ts';
import { AdminError, sendAdminError } from './errors.ts';
import { parseBody } from './validation.ts';

export const MIN_PASSWORD_LENGTH = 8;

const changeBody = z
  .object({
    currentPassword: z.string().max(1024).optional(),
    newPassword: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `expected a password of at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(1024)
      .nullable(),
  })
  .strict();

/**
 * `PUT /api/auth/password` body `{currentPassword?, newPassword}` (`newPassword: null` removes it):
 * the admin password set from the dashboard, stored as an scrypt hash. The current password is
 * required when one is set (401 when wrong or missing; guesses count like sign-ins); without one,
 * only loopback callers may set it. A password from the config file or environment wins: then this
 * answers 409 `password_from_config`. A server listening beyond loopback keeps its password (409
 * `password_required`). Afterwards every other session is signed out; the caller gets a new
 * session cookie. Answers `{passwordRequired, signedIn: true}`, like `GET /api/auth/status`.
 */
export const passwordRoutes = (ctx: AppContext, sessions: AdminSessions): FastifyPluginAsync =>
  async function routes(app) {
    const password = new AdminPassword(ctx);

    app.put('/auth/password', async (request, reply) => {
      const source = password.source();
      if (source === 'config') {
        throw new AdminError(
          409,
          'password_from_config',
          'The admin password is set by the environment (BETTER_MANAGER_ADMIN_PASSWORD) or the config file ' +
            '(server.adminPassword), and that one wins: change or remove it there, then restart Better Manager',
        );
      }
      const address = request.socket.remoteAddress ?? 'unknown';
      // This route is outside the admin guard: without a password it keeps the guard's loopback rule.
      if (source === null && !isLoopbackHost(address))
        throw new AdminError(403, 'forbidden', 'Only this machine may set the first admin password');
      const body = parseBody(changeBody, request.body);
      if (source === 'stored') {
        if (!sessions.allowAttempt(address)) {
          reply.header('retry-after', String(LOGIN_WINDOW_MS / 1000));
          return sendAdminError(reply, 429, 'too_many_attempts', 'Too many wrong passwords; wait a minute');
        }
        if (body.currentPassword === undefined || !(await password.matches(body.currentPassword))) {
          throw new AdminError(
            401,
            'unauthorized',
            body.currentPassword === undefined
              ? 'Give the current password (currentPassword) to change it'
              : 'The current password is wrong',
          );
        }
      }
      const host = ctx.settings.current.server.host;
      if (body.newPassword === null && !isLoopbackHost(host)) {
        throw new AdminError(
          409,
          'password_required',
          `Better Manager listens on ${host}, reachable from other machines, so it needs an admin password; ` +
            'change it instead, or listen on 127.0.0.1 first',
        );
      }

      await password.store(body.newPassword);
      sessions.revokeAll();
      reply.header('set-cookie', sessionCookie(body.newPassword === null ? null : sessions.create()));
      return { passwordRequired: body.newPassword !== null, signedIn: true };
    });
  };
