import type { SettingsService } from '../config/settings-service.ts';
import { clientIdentityHeaders, UpstreamNetworkError, type HttpResponse, type UpstreamHttp } from './http.ts';
import { classifyUpstreamError, type UpstreamErrorInfo } from './upstream-errors.ts';

/** An error answer from v1internal, classified for the caller (wire.md §2.11). */
export class UpstreamError extends Error {
  readonly info: UpstreamErrorInfo;
  readonly method: string;
  constructor(method: string, info: UpstreamErrorInfo) {
    super(`${method}: ${info.status} ${info.kind}${info.message ? ` — ${info.message}` : ''}`);
    this.name = 'UpstreamError';
    this.method = method;
    this.info = info;
  }
}

/**
 * A request too deeply nested to serialise (`JSON.stringify` runs out of stack): the client's
 * fault, so a 400 that no other account would answer differently, never a crash.
 */
export function tooDeepError(method: string): UpstreamError {
  return new UpstreamError(method, {
    kind: 'client_error',
    status: 400,
    message: 'The request is nested too deeply to be sent',
    rotate: false,
    cooldown: false,
  });
}

/** Statuses on which the next base URL is tried before giving up (wire.md §2.1, product.md §3). */
export function shouldTryNextHost(status: number): boolean {
  return status === 404 || status === 408 || status >= 500;
}

export interface CallOptions {
  signal?: AbortSignal;
  method?: 'GET' | 'POST';
}

/**
 * The control methods of Cloud Code v1internal (project discovery, onboarding, quota), with
 * fallback across the configured base URLs on 404/408/5xx and network errors.
 */
export class CodeAssistClient {
  private readonly http: UpstreamHttp;
  private readonly settings: SettingsService;
  private readonly now: () => number;

  constructor(http: UpstreamHttp, settings: SettingsService, now: () => number = Date.now) {
    this.http = http;
    this.settings = settings;
    this.now = now;
  }

  /** POSTs `body` to `{base}/v1internal:{method}` (or GETs `{base}/v1internal/{method}`); resolves to the JSON body. */
  async call(
    method: string,
    accessToken: string,
    body: unknown,
    options: CallOptions = {},
  ): Promise<unknown> {
    const settings = this.settings.current;
    const headers = {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
      ...clientIdentityHeaders(settings),
    };
    const isGet = options.method === 'GET';
    let last: HttpResponse | UpstreamNetworkError | undefined;
    for (const base of settings.upstream.baseUrls) {
      const url = `${base.replace(/\/+$/, '')}/v1internal${isGet ? '/' : ':'}${method}`;
      try {
        last = await this.http.send(url, {
          method: isGet ? 'GET' : 'POST',
          headers,
          body: isGet ? undefined : body,
          signal: options.signal,
        });
      } catch (error) {
        if (error instanceof RangeError) throw tooDeepError(method);
        if (!(error instanceof UpstreamNetworkError)) throw error;
        last = error;
        continue;
      }
      if (last.status >= 200 && last.status < 300) return last.json ?? {};
      if (!shouldTryNextHost(last.status)) break;
    }
    if (last instanceof UpstreamNetworkError || last === undefined) {
      throw last ?? new UpstreamNetworkError('http://invalid', 'ENOURL', 'no upstream base URL configured');
    }
    throw new UpstreamError(
      method,
      classifyUpstreamError({
        status: last.status,
        headers: last.headers,
        body: last.json,
        bodyText: last.text,
        now: this.now(),
      }),
    );
  }

  loadCodeAssist(accessToken: string): Promise<unknown> {
    return this.call('loadCodeAssist', accessToken, { metadata: { ideType: 'ANTIGRAVITY' } });
  }

  onboardUser(accessToken: string, tierId: string): Promise<unknown> {
    return this.call('onboardUser', accessToken, { tierId, metadata: { ideType: 'ANTIGRAVITY' } });
  }

  getOperation(accessToken: string, name: string): Promise<unknown> {
    return this.call(name, accessToken, undefined, { method: 'GET' });
  }

  fetchAvailableModels(accessToken: string, project: string | undefined): Promise<unknown> {
    return this.call('fetchAvailableModels', accessToken, project ? { project } : {});
  }

  retrieveUserQuotaSummary(accessToken: string, project: string | undefined): Promise<unknown> {
    return this.call('retrieveUserQuotaSummary', accessToken, project ? { project } : {});
  }
}
