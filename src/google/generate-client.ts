import { randomUUID } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { SettingsService } from '../config/settings-service.ts';
import { shouldTryNextHost, UpstreamError } from './code-assist-client.ts';
import { clientIdentityHeaders, UpstreamNetworkError, type UpstreamHttp } from './http.ts';
import { readSseData } from './sse-reader.ts';
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
  /** The remaining events; throws UpstreamError, UpstreamTimeoutError or UpstreamNetworkError mid-stream. */
  rest: AsyncGenerator<UpstreamChunk>;
  baseUrl: string;
}

const MAX_ERROR_BODY = 64 * 1024;

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
    const envelope = JSON.stringify({
      project: call.project,
      model: call.model,
      userAgent: 'antigravity',
      requestType: call.requestType ?? 'agent',
      requestId: `agent-${randomUUID()}`,
      request: call.request,
    });
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
    const upstream = this.settings.current.upstream;
    const firstByteMs = upstream.firstByteTimeoutSeconds * 1000;
    const idleMs = upstream.idleTimeoutSeconds * 1000;
    const controller = new AbortController();
    const abortFromCaller = () => controller.abort(callerSignal.reason);
    callerSignal.addEventListener('abort', abortFromCaller, { once: true });
    let timedOut: UpstreamTimeoutError | undefined;
    let timer = setTimeout(() => {
      timedOut = new UpstreamTimeoutError('first_byte', upstream.firstByteTimeoutSeconds);
      controller.abort(timedOut);
    }, firstByteMs);
    const cleanup = () => {
      clearTimeout(timer);
      callerSignal.removeEventListener('abort', abortFromCaller);
    };

    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'POST',
        headers,
        body,
        signal: controller.signal,
        dispatcher: this.http.dispatcher,
        headersTimeout: firstByteMs + 1000,
        bodyTimeout: 0,
      });
    } catch (error) {
      cleanup();
      if (timedOut) throw timedOut;
      if (callerSignal.aborted) throw error;
      throw this.networkError(url, error);
    }

    if (response.statusCode < 200 || response.statusCode >= 300) {
      let text = '';
      try {
        for await (const chunk of response.body) {
          text += chunk.toString();
          if (text.length > MAX_ERROR_BODY) break;
        }
      } catch {
        // A cut error body still carries its status.
      } finally {
        response.body.destroy();
        cleanup();
      }
      throw this.errorFromBody(response.statusCode, response.headers, text);
    }

    const events = this.events(readSseData(response.body), () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = new UpstreamTimeoutError('idle', upstream.idleTimeoutSeconds);
        controller.abort(timedOut);
      }, idleMs);
    });
    const close = () => {
      cleanup();
      response.body.destroy();
    };
    try {
      const first = await events.next();
      if (first.done) {
        close();
        throw new UpstreamError('streamGenerateContent', {
          kind: 'server_error',
          status: 502,
          message: 'The upstream answered with an empty stream',
          rotate: true,
          cooldown: false,
        });
      }
      const rest = this.guard(events, close, () => timedOut, url);
      return { first: first.value, rest, baseUrl: base };
    } catch (error) {
      close();
      if (timedOut) throw timedOut;
      if (error instanceof UpstreamError || callerSignal.aborted) throw error;
      throw this.networkError(url, error);
    }
  }

  /** Parses each event; an error object inside the stream becomes an UpstreamError. */
  private async *events(data: AsyncGenerator<string>, onEvent: () => void): AsyncGenerator<UpstreamChunk> {
    for await (const text of data) {
      onEvent();
      if (!text.trim() || text.trim() === '[DONE]') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new UpstreamError('streamGenerateContent', {
          kind: 'server_error',
          status: 502,
          message: `The upstream sent an unreadable event: ${redactSecrets(text.slice(0, 200))}`,
          rotate: true,
          cooldown: false,
        });
      }
      const envelope = parsed as Record<string, unknown>;
      if (envelope && typeof envelope === 'object' && 'error' in envelope && !('response' in envelope)) {
        const inner = envelope.error as { code?: number } | undefined;
        throw this.errorFromBody(typeof inner?.code === 'number' ? inner.code : 500, {}, text);
      }
      yield envelope as UpstreamChunk;
    }
  }

  private async *guard(
    events: AsyncGenerator<UpstreamChunk>,
    close: () => void,
    timedOut: () => UpstreamTimeoutError | undefined,
    url: string,
  ): AsyncGenerator<UpstreamChunk> {
    try {
      yield* events;
    } catch (error) {
      const timeout = timedOut();
      if (timeout) throw timeout;
      if (error instanceof UpstreamError) throw error;
      throw this.networkError(url, error);
    } finally {
      close();
    }
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
