import { Agent, ProxyAgent, request, type Dispatcher } from './undici-parts.ts';
import type { SettingsService } from '../config/settings-service.ts';
import type { Settings } from '../config/schema.ts';
import { redactSecrets } from './upstream-errors.ts';

/** A transport failure (DNS, refused, reset, timeout): transient, never the account's fault. */
export class UpstreamNetworkError extends Error {
  readonly code: string;
  readonly url: string;
  constructor(url: string, code: string, message: string) {
    super(`${new URL(url).host}: ${message}`);
    this.name = 'UpstreamNetworkError';
    this.code = code;
    this.url = url;
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** An object is sent as JSON, URLSearchParams as a form. */
  body?: unknown;
  signal?: AbortSignal;
  /** Time allowed for the response headers and between body chunks. */
  timeoutMs?: number;
}

const CONTROL_CALL_TIMEOUT_MS = 60_000;

/**
 * Every outbound Google call goes through this one undici dispatcher: a keep-alive pool per
 * host, the connect timeout and the optional HTTP proxy from the settings, rebuilt when they change.
 */
export class UpstreamHttp {
  private current: Dispatcher;
  private key: string;
  private readonly settings: SettingsService;
  private readonly onChange: (next: Settings) => void;

  constructor(settings: SettingsService) {
    this.settings = settings;
    this.key = dispatcherKey(settings.current);
    this.current = createDispatcher(settings.current);
    this.onChange = (next) => {
      const key = dispatcherKey(next);
      if (key === this.key) return;
      const previous = this.current;
      this.key = key;
      this.current = createDispatcher(next);
      // In-flight requests keep the old pool until they finish.
      void previous.close().catch(() => undefined);
    };
    settings.on('change', this.onChange);
  }

  get dispatcher(): Dispatcher {
    return this.current;
  }

  async send(url: string, options: HttpRequest = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body instanceof URLSearchParams) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = options.body.toString();
    } else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeout = options.timeoutMs ?? CONTROL_CALL_TIMEOUT_MS;
    try {
      const response = await request(url, {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        signal: options.signal,
        dispatcher: this.current,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await response.body.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, headers: response.headers, text, json };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      const code = err.code ?? err.cause?.code ?? 'ENETWORK';
      throw new UpstreamNetworkError(url, code, redactSecrets(err.cause?.message ?? err.message));
    }
  }

  async close(): Promise<void> {
    this.settings.off('change', this.onChange);
    await this.current.close().catch(() => undefined);
  }
}

function dispatcherKey(settings: Settings): string {
  return `${settings.upstream.httpProxy ?? ''}|${settings.upstream.connectTimeoutSeconds}`;
}

function createDispatcher(settings: Settings): Dispatcher {
  const connectTimeout = settings.upstream.connectTimeoutSeconds * 1000;
  const common = { connectTimeout, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 };
  if (settings.upstream.httpProxy) {
    return new ProxyAgent({
      uri: settings.upstream.httpProxy,
      ...common,
      proxyTls: { timeout: connectTimeout },
    });
  }
  return new Agent({ ...common, connect: { timeout: connectTimeout } });
}

/**
 * How the upstream sees this client (wire.md §2.2). The version comes from the live setting
 * `upstream.clientVersion`, so raising it takes effect on the next call.
 */
export function clientIdentityHeaders(settings: Settings): Readonly<Record<string, string>> {
  // Settings objects are replaced, never changed, on every update: one set of headers per version of them.
  let headers = identityHeadersBySettings.get(settings);
  if (!headers) {
    headers = identityHeaders(settings.upstream.clientVersion);
    identityHeadersBySettings.set(settings, headers);
  }
  return headers;
}
const identityHeadersBySettings = new WeakMap<Settings, Readonly<Record<string, string>>>();

function identityHeaders(version: string): Readonly<Record<string, string>> {
  const platform =
    process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  return {
    'user-agent': `antigravity/${version} ${platform}/${arch}`,
    'x-client-name': 'antigravity',
    'x-client-version': version,
  };
}
