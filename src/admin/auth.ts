import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../paths.ts';
import type { AppContext } from '../context.ts';
import { sendAdminError } from './errors.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares secrets in constant time (hashing first makes the lengths equal). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

/**
 * Admin API guard: with an admin password, a matching `Authorization: Bearer` is required;
 * without one, only loopback callers are let in (the server refuses other hosts at start anyway).
 */
export function adminAuthHook(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const password = ctx.settings.current.server.adminPassword;
    if (password) {
      const token = bearerToken(request);
      if (!token || !secretsEqual(token, password)) {
        await sendAdminError(
          reply,
          401,
          'unauthorized',
          'Admin password required (Authorization: Bearer <password>)',
        );
      }
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
