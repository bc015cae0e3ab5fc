import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SettingsService } from '../config/settings-service.ts';
import { shouldTryNextHost, tooDeepError, UpstreamError } from './code-assist-client.ts';
import { clientIdentityHeaders, UpstreamNetworkError, type UpstreamHttp } from './http.ts';
import { SseDispatchHandler, type UpstreamEventStream } from './upstream-stream.ts';
import { classifyUpstreamError, redactSecrets } from './upstream-errors.ts';

/** One event of `streamGenerateContent`: the envelope `{response, traceId}` (wire.md §2.8). */
export interface UpstreamChunk {
  response?: GenerateResponse;
  traceId?: string;
}

export interface GenerateResponse {
  candidates?: Array<{
    content?: { role?: string; parts?: Array<Record<string, unknown>> };
    finishReason?: string;
    index?: number;
    [key: string]: unknown;
  }>;
  usageMetadata?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
  [key: string]: unknown;
}

export interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  [key: string]: unknown;
}

/** Nothing arrived in time: before the first event (rotates like a 5xx) or between events (a stalled stream). */
export class UpstreamTimeoutError extends Error {
  readonly phase: 'first_byte' | 'idle';
  constructor(phase: 'first_byte' | 'idle', seconds: number) {
    super(
      phase === 'first_byte'
        ? `The upstream sent nothing within ${seconds} s`
        : `The upstream stream stalled: no event for ${seconds} s`,
    );
    this.name = 'UpstreamTimeoutError';
    this.phase = phase;
  }
}

export interface StreamCall {
  accessToken: string;
  project: string;
  model: string;
  /** The GenerateContentRequest (contents, tools, generationConfig, sessionId…). */
  request: Record<string, unknown>;
  requestType?: 'agent' | 'image_gen';
  signal: AbortSignal;
}

export interface OpenedStream {
  /** The first event, already received: the attempt counts as started once this exists. */
  first: UpstreamChunk;
  /**
   * The remaining events; throws UpstreamError, UpstreamTimeoutError or UpstreamNetworkError
   * mid-stream. `return()` aborts the upstream request.
   */
  rest: UpstreamEventStream<UpstreamChunk>;
  baseUrl: string;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Bodies larger than this are handed to undici as a one-chunk stream (see requestBody). */
export const STREAMED_BODY_BYTES = 64 * 1024;

/**
 * undici keeps a string or Buffer body (as a Buffer copy) until the response has ended, so an open
 * stream would hold its whole request (often hundreds of KB of conversation) for its whole life.
 * A large body is given as a stream instead, which holds nothing once it has been written; small
 * ones stay strings, which undici writes together with the headers in one syscall.
 */
export function requestBody(
  body: string,
  headers: Record<string, string>,
): { body: string | Readable; headers: Record<string, string> } {
  if (body.length <= STREAMED_BODY_BYTES / 3) return { body, headers };
  const bytes = Buffer.from(body);
  if (bytes.length <= STREAMED_BODY_BYTES) return { body, headers };
  return { body: oneShotStream(bytes), headers: { ...headers, 'content-length': String(bytes.length) } };
}

/** A stream of one chunk that lets go of it once read (`Readable.from` keeps its source array). */
function oneShotStream(bytes: Buffer): Readable {
  let pending: Buffer | undefined = bytes;
  return new Readable({
    read() {
      const chunk = pending;
      pending = undefined;
      this.push(chunk ?? null);
    },
  });
}

const splitUrls = new Map<string, { origin: string; path: string }>();
/** Origin and path of a base URL's method URL, parsed once per URL rather than once per request. */
function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url);
  if (!split) {
    const parsed = new URL(url);
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (splitUrls.size > 64) splitUrls.clear();
    splitUrls.set(url, split);
  }
  return split;
}

/**
 * Calls `streamGenerateContent?alt=sse` for every request (non-stream clients get an assembled
 * answer from the same events), with fallback across base URLs before the first event, the
 * first-byte and idle timeouts of the settings, and abort as soon as the caller's signal fires.
 */
export class GenerateClient {
  private readonly http: UpstreamHttp;
  private readonly settings: SettingsService;

  constructor(http: UpstreamHttp, settings: SettingsService) {
    this.http = http;
    this.settings = settings;
  }

  async open(call: StreamCall): Promise<OpenedStream> {
    const settings = this.settings.current;
    let envelope: string;
    try {
      envelope = JSON.stringify({
        project: call.project,
        model: call.model,
        userAgent: 'antigravity',
        requestType: call.requestType ?? 'agent',
        requestId: `agent-${randomUUID()}`,
        request: call.request,
      });
    } catch (error) {
      if (error instanceof RangeError) throw tooDeepError('streamGenerateContent');
      throw error;
    }
    const headers = {
      authorization: `Bearer ${call.accessToken}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...clientIdentityHeaders(settings),
    };
    let lastError: Error | undefined;
    for (const base of settings.upstream.baseUrls) {
      const url = `${base.replace(/\/+$/, '')}/v1internal:streamGenerateContent?alt=sse`;
      try {
        return await this.openAt(url, base, envelope, headers, call.signal);
      } catch (error) {
        lastError = error as Error;
        if (call.signal.aborted) throw error;
        // A timeout is not a host problem (product.md §3): the engine rotates the account instead.
        const fallThrough =
          error instanceof UpstreamNetworkError ||
          (error instanceof UpstreamError &&
            shouldTryNextHost(error.info.status) &&
            error.info.kind !== 'capacity');
        if (!fallThrough) throw error;
      }
    }
    throw (
      lastError ?? new UpstreamNetworkError('http://invalid', 'ENOURL', 'no upstream base URL configured')
    );
  }

  private async openAt(
    url: string,
    base: string,
    body: string,
    headers: Record<string, string>,
    callerSignal: AbortSignal,
  ): Promise<OpenedStream> {
    if (callerSignal.aborted) throw callerSignal.reason;
    const upstream = this.settings.current.upstream;
    const firstByteMs = upstream.firstByteTimeoutSeconds * 1000;
    const idleMs = upstream.idleTimeoutSeconds * 1000;
    const target = splitUrl(url);
    let timedOut: UpstreamTimeoutError | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const onCallerAbort = () => handler.abort(callerSignal.reason as Error);
    const firstByteTimer = setTimeout(() => {
      timedOut = new UpstreamTimeoutError('first_byte', upstream.firstByteTimeoutSeconds);
      handler.abort(timedOut);
    }, firstByteMs);
    const handler: SseDispatchHandler<UpstreamChunk> = new SseDispatchHandler<UpstreamChunk>({
      parse: (data) => this.parseEvent(data),
      onEvent: () => {
        if (idleTimer) {
          idleTimer.refresh();
          return;
        }
        clearTimeout(firstByteTimer);
        idleTimer = setTimeout(() => {
          timedOut = new UpstreamTimeoutError('idle', upstream.idleTimeoutSeconds);
          handler.abort(timedOut);
        }, idleMs);
      },
      errorFromBody: (status, responseHeaders, text) => this.errorFromBody(status, responseHeaders, text),
      mapError: (error) => {
        if (timedOut) return timedOut;
        if (callerSignal.aborted) return callerSignal.reason ?? error;
        return this.networkError(url, error);
      },
      onFinished: () => {
        clearTimeout(firstByteTimer);
        clearTimeout(idleTimer);
        callerSignal.removeEventListener('abort', onCallerAbort);
      },
      maxErrorBody: MAX_ERROR_BODY,
    });
    callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    try {
      this.dispatchTo(target, body, headers, firstByteMs, handler);
    } catch (error) {
      // Refused before it started (a closed pool, an invalid header): fails the stream like any other error.
      handler.abort(error as Error);
    }

    const events = handler.events;
    const first = await events.next();
    if (first.done) {
      throw new UpstreamError('streamGenerateContent', {
        kind: 'server_error',
        status: 502,
        message: 'The upstream answered with an empty stream',
        rotate: true,
        cooldown: false,
      });
    }
    return { first: first.value, rest: events, baseUrl: base };
  }

  private dispatchTo(
    target: { origin: string; path: string },
    body: string,
    headers: Record<string, string>,
    firstByteMs: number,
    handler: SseDispatchHandler<UpstreamChunk>,
  ): void {
    this.http.dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        ...requestBody(body, headers),
        headersTimeout: firstByteMs + 1000,
        bodyTimeout: 0,
      },
      handler,
    );
  }

  /** One event's data: blank and `[DONE]` are skipped; an error object inside the stream is thrown. */
  private parseEvent(text: string): UpstreamChunk | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed === '[DONE]') return undefined;
      throw new UpstreamError('streamGenerateContent', {
        kind: 'server_error',
        status: 502,
        message: `The upstream sent an unreadable event: ${redactSecrets(text.slice(0, 200))}`,
        rotate: true,
        cooldown: false,
      });
    }
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const envelope = parsed as Record<string, unknown>;
    if ('error' in envelope && !('response' in envelope)) {
      const inner = envelope.error as { code?: number } | undefined;
      throw this.errorFromBody(typeof inner?.code === 'number' ? inner.code : 500, {}, text);
    }
    return envelope as UpstreamChunk;
  }

  private errorFromBody(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
  ): UpstreamError {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return new UpstreamError(
      'streamGenerateContent',
      classifyUpstreamError({ status, headers, body, bodyText: text, now: Date.now() }),
    );
  }

  private networkError(url: string, error: unknown): UpstreamNetworkError {
    const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    return new UpstreamNetworkError(
      url,
      err.code ?? err.cause?.code ?? 'ENETWORK',
      redactSecrets(err.message ?? String(error)),
    );
  }
}
