import type { RecordedRequest, Simulator } from '../../src/simulator/index.ts';

export const PRO = 'alice.pro@gmail.com';
export const FREE = 'bob.free@gmail.com';
export const ULTRA = 'carol.ultra@gmail.com';
export const NEW = 'dave.new@gmail.com';
export const BANNED = 'erin.banned@gmail.com';
export const VERIFY = 'frank.verify@gmail.com';
export const WORKSPACE = 'grace@example.com';

/** An access token for the account, obtained the way the product does: a refresh grant. */
export async function accessToken(sim: Simulator, email: string): Promise<string> {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: sim.account(email).refreshToken,
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    }),
  });
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface RpcOptions {
  base?: string;
  query?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function rpc(
  sim: Simulator,
  token: string,
  method: string,
  body: unknown,
  options: RpcOptions = {},
): Promise<Response> {
  return fetch(`${options.base ?? sim.url}/v1internal:${method}${options.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
    signal: options.signal,
  });
}

export function generateBody(
  project: string,
  model: string,
  request: Record<string, unknown>,
): Record<string, unknown> {
  return { project, model, userAgent: 'antigravity', requestType: 'agent', requestId: 'agent-test', request };
}

export function hello(text = 'Hello'): Record<string, unknown> {
  return { contents: [{ role: 'user', parts: [{ text }] }] };
}

export interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  inlineData?: { mimeType: string; data: string };
}

export interface Envelope {
  response: {
    candidates?: { content?: { role: string; parts: Part[] }; finishReason?: string }[];
    usageMetadata?: Record<string, number | unknown[]>;
    modelVersion: string;
    responseId: string;
  };
  traceId: string;
  consumedCredits?: { creditType: string; creditAmount: string }[];
}

export interface Detail {
  '@type': string;
  reason?: string;
  metadata?: Record<string, string>;
  retryDelay?: string;
  links?: { description: string; url: string }[];
  violations?: { quotaId: string }[];
}

export interface RpcBody {
  error: { code: number; message: string; status: string; details?: Detail[] };
}

export function partsOf(envelope: Envelope): Part[] {
  return envelope.response.candidates?.[0]?.content?.parts ?? [];
}

/** The JSON of every `data:` event of an SSE body (CRLF or LF framing). */
export function sseEvents(raw: string): Envelope[] {
  return raw
    .split(/\r?\n\r?\n/)
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)) as Envelope);
}

export async function waitFor(check: () => boolean, timeoutMs = 1000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function lastRequest(sim: Simulator, rpcName: string): RecordedRequest {
  const found = sim.requests.filter((r) => r.rpc === rpcName).at(-1);
  if (!found) throw new Error(`no ${rpcName} request recorded`);
  return found;
}
