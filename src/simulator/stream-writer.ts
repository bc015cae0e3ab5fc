import { sleep, type Exchange } from './http.ts';

/**
 * Puts a planned reply on the wire: SSE (`alt=sse`), the JSON-array stream (no `alt`), or one JSON
 * body, with the delays, stalls and mid-stream failures a scripted outcome asks for.
 */

export interface WriteOptions {
  framing: 'crlf' | 'lf';
  firstByteDelayMs: number;
  chunkDelayMs: number;
  /** Destroy the socket after this many events (server-side cut, not a client abort). */
  cutAfter?: number;
  cutBeforeHeaders?: boolean;
  stall?: { afterChunks: number; ms: number };
  /** Send this many events, then the error body as one more data event. */
  errorAfter?: { afterChunks: number; body: unknown };
}

function write(ex: Exchange, data: string): Promise<boolean> {
  if (ex.signal.aborted || ex.res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (): void => {
      ex.signal.removeEventListener('abort', done);
      resolve(!ex.signal.aborted && !ex.res.destroyed);
    };
    ex.signal.addEventListener('abort', done, { once: true });
    ex.res.write(data, () => done());
  });
}

function head(ex: Exchange, contentType: string): void {
  ex.record.status = 200;
  ex.res.writeHead(200, { 'content-type': contentType, 'x-content-type-options': 'nosniff' });
  ex.res.flushHeaders();
}

function cut(ex: Exchange): void {
  ex.markServerClose();
  ex.req.socket.destroy();
}

/** Waits for the first byte; false when the client left meanwhile, or when the outcome cuts before headers. */
async function start(ex: Exchange, options: WriteOptions): Promise<boolean> {
  if (!(await sleep(options.firstByteDelayMs, ex.signal))) return false;
  if (options.cutBeforeHeaders) {
    cut(ex);
    return false;
  }
  return true;
}

/** Shared event loop of both stream forms; `encode(event, index)` renders one event. */
async function writeEvents(
  ex: Exchange,
  events: unknown[],
  options: WriteOptions,
  encode: (event: unknown, index: number) => string,
): Promise<number | undefined> {
  const limit = Math.min(
    events.length,
    options.cutAfter ?? Infinity,
    options.errorAfter?.afterChunks ?? Infinity,
  );
  for (let i = 0; i < limit; i++) {
    if (options.stall && i === options.stall.afterChunks && !(await sleep(options.stall.ms, ex.signal)))
      return undefined;
    if (i > 0 && !(await sleep(options.chunkDelayMs, ex.signal))) return undefined;
    if (!(await write(ex, encode(events[i], i)))) return undefined;
  }
  if (options.stall && options.stall.afterChunks >= limit && !(await sleep(options.stall.ms, ex.signal))) {
    return undefined;
  }
  return limit;
}

export async function writeSse(ex: Exchange, events: unknown[], options: WriteOptions): Promise<void> {
  if (!(await start(ex, options))) return;
  const eol = options.framing === 'lf' ? '\n' : '\r\n';
  const frame = (event: unknown): string => `data: ${JSON.stringify(event)}${eol}${eol}`;
  head(ex, 'text/event-stream');
  const sent = await writeEvents(ex, events, options, frame);
  if (sent === undefined) return;
  if (options.cutAfter !== undefined) return cut(ex);
  if (options.errorAfter) await write(ex, frame(options.errorAfter.body));
  ex.res.end();
}

/** Without `alt=sse` the endpoint streams one JSON array, element by element. */
export async function writeJsonArray(ex: Exchange, events: unknown[], options: WriteOptions): Promise<void> {
  if (!(await start(ex, options))) return;
  head(ex, 'application/json; charset=UTF-8');
  const sent = await writeEvents(
    ex,
    events,
    options,
    (event, i) => `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(event)}`,
  );
  if (sent === undefined) return;
  if (options.cutAfter !== undefined) return cut(ex);
  const error = options.errorAfter
    ? `${sent === 0 ? '[' : ',\r\n'}${JSON.stringify(options.errorAfter.body)}`
    : '';
  ex.res.end(`${sent === 0 && !error ? '[' : ''}${error}]`);
}

/** generateContent: one body; a cut sends the status line and half the body, a stall holds the body back. */
export async function writeNonStream(ex: Exchange, body: unknown, options: WriteOptions): Promise<void> {
  if (!(await start(ex, options))) return;
  const text = JSON.stringify(body);
  const holdAfterHead = options.stall !== undefined && options.stall.afterChunks > 0;
  if (options.cutAfter !== undefined || holdAfterHead) {
    head(ex, 'application/json; charset=UTF-8');
  }
  if (options.cutAfter !== undefined) {
    if (options.cutAfter > 0) await write(ex, text.slice(0, Math.floor(text.length / 2)));
    return cut(ex);
  }
  if (options.stall && !(await sleep(options.stall.ms, ex.signal))) return;
  if (ex.res.headersSent) {
    ex.res.end(text);
    return;
  }
  ex.record.status = 200;
  ex.res.writeHead(200, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  ex.res.end(text);
}
