import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An AbortSignal that fires when the client goes away before its answer is complete. */
export function abortOnClose(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  request.raw.on('aborted', () => controller.abort(new Error('client aborted')));
  return controller.signal;
}

/**
 * Writes and, when the socket's buffer is full, waits until it drains: a slow client slows the
 * upstream read instead of growing memory. Resolves at once (undefined) in the common case, so the
 * caller pays no promise per event.
 */
export function writeWithBackpressure(raw: ServerResponse, text: string): Promise<void> | undefined {
  if (text === '' || raw.write(text)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}
