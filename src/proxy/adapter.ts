/**
 * The contract between the exchange pipeline and a public API's front end. An adapter only
 * translates: client body in, v1internal request out; upstream events in, client bytes out; errors
 * in its protocol's shape. Auth, model resolution, sessions, the engine, abort, backpressure, the
 * clock and the log row belong to the pipeline (src/proxy/pipeline.ts), once for every protocol.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { UpstreamChunk } from '../google/generate-client.ts';
import type { RequestLogEntry } from '../monitor/request-log.ts';

export type Protocol = RequestLogEntry['protocol'];

/** A failure as the client will be told it, before the adapter gives it its protocol's shape. */
export interface ProtocolError {
  status: number;
  /** A short class for the log and the protocol's error code: invalid_request, not_found, rate_limited… */
  code: string;
  message: string;
  retryAfterSeconds?: number;
  /** The request field at fault, where the protocol names one (OpenAI's `param`). */
  param?: string;
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProtocolError).status === 'number' &&
    typeof (value as ProtocolError).message === 'string' &&
    typeof (value as ProtocolError).code === 'string'
  );
}

export function invalidRequest(message: string, param?: string): ProtocolError {
  return { status: 400, code: 'invalid_request', message, ...(param ? { param } : {}) };
}

/** A whole answer: status, extra headers and a JSON body. */
export interface ClientReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** What an adapter is given of the HTTP request: no framework types, so it stays a pure translator. */
export interface ClientInput {
  body: unknown;
  /** Path parameters the route extracted (e.g. `model`, `method`). */
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, unknown>>;
  headers: IncomingHttpHeaders;
}

/** What background-task routing looks at (product.md §4). */
export interface BackgroundFeatures {
  systemTexts: readonly string[];
  /** The first and the last user text. */
  userTexts: readonly string[];
  maxTokens?: number;
  toolCount: number;
}

/** A client request, validated, with what the pipeline needs to know of it in neutral terms. */
export interface ParsedRequest<Body> {
  /** The model name as the client asked for it. */
  model: string;
  stream: boolean;
  /** The validated client body in the adapter's own type: only the adapter reads it. */
  body: Body;
  /** Where the session key comes from (product.md §2), besides the headers the pipeline reads itself. */
  session: { explicit?: string; firstSystemText?: string; firstUserText?: string };
  features: BackgroundFeatures;
}

/** The model a request goes to upstream, with the family that decides the target-model rules. */
export interface TargetModel {
  model: string;
  family: 'claude' | 'gemini';
  /** What the catalog knows of the model's limits, for translators that must stay within them. */
  limits?: { maxOutputTokens?: number; thinkingBudget?: { min: number; max: number } };
}

/** What the pipeline knows of the exchange when the adapter translates it. */
export interface ExchangeContext {
  /** The conversation's key (stickiness, upstream sessionId, signatures cached per session). */
  sessionKey?: string;
}

/** The v1internal `request` and its envelope's `requestType`. */
export interface UpstreamCall {
  request: Record<string, unknown>;
  requestType?: 'agent' | 'image_gen';
  /**
   * The request as one account may receive it, when that depends on the account: a Claude
   * thinking signature goes back only to the account that issued it (product.md §3). Runs once
   * per attempt, so a request that rotates is fixed up for each account it tries.
   */
  forAccount?(request: Record<string, unknown>, accountId: string): Record<string, unknown>;
  /**
   * Non-stream only: send the request this many times at once on the serving account (image
   * generation's `n`, which v1internal cannot do in one call); the answer assembles every copy's
   * events in order, and a failed copy fails the attempt.
   */
  copies?: number;
}

/**
 * Turns the upstream events of one exchange into the client's answer. Created per request before
 * the upstream is called, so it keeps only the little state it needs (ids, names, the model) and
 * the client body can be let go of while the stream runs.
 */
export interface Responder {
  readonly contentType: string;
  /** The account whose answer follows (signatures it issues are its own). Called before any event. */
  servedBy?(accountId: string): void;
  /** Text before the first event (e.g. `[` of a JSON array). */
  open?(): string;
  /** One upstream event as client bytes; '' when the event carries nothing for the client. */
  event(chunk: UpstreamChunk): string;
  /** The terminal text of a stream that completed. */
  close(): string;
  /** The protocol's error event after the first byte (the status line is already sent). */
  fail(error: ProtocolError): string;
  /** A non-stream client's answer, from every event of the completed stream. */
  assemble(chunks: readonly UpstreamChunk[]): unknown;
  /** A comment or event written when the upstream is silent this long (Anthropic `ping`), so proxies keep the stream. */
  keepAlive?: { everyMs: number; text: string };
}

/** A generate route of one protocol. */
export interface GenerateAdapter<Body> {
  protocol: Protocol;
  /** The route as the log shows it, e.g. `/v1beta/models/{model}:generateContent`. */
  route: string;
  parse(input: ClientInput): ParsedRequest<Body> | ProtocolError;
  /** A promise only when the translation must fetch something (a remote image): most are synchronous. */
  toUpstream(
    body: Body,
    target: TargetModel,
    context: ExchangeContext,
  ): UpstreamCall | ProtocolError | Promise<UpstreamCall | ProtocolError>;
  responder(parsed: ParsedRequest<Body>, target: TargetModel, context: ExchangeContext): Responder;
  error(error: ProtocolError): ClientReply;
}

/** A token-count route of one protocol. */
export interface CountAdapter<Body> {
  protocol: Protocol;
  route: string;
  parse(input: ClientInput): { model: string; body: Body } | ProtocolError;
  /** The `request` of v1internal `countTokens`. */
  toUpstream(body: Body, target: TargetModel): Record<string, unknown> | ProtocolError;
  /** The count where the upstream has none (Claude targets, wire.md §2.12 #9). */
  estimate(body: Body): number;
  answer(totalTokens: number): unknown;
  error(error: ProtocolError): ClientReply;
}
