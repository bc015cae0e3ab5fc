import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Logger } from 'pino';
import type { AttemptTarget, ProxyEngine, RoutedModel } from '../engine/engine.ts';
import { streamBrokenFrom, type EngineError } from '../engine/errors.ts';
import type { OpenedStream, StreamCall, UpstreamChunk } from '../google/generate-client.ts';
import type { RequestLog } from '../monitor/request-log.ts';
import type { ProxyMetrics } from '../monitor/metrics.ts';
import { applyTargetRules } from '../protocols/target/target-rules.ts';
import {
  isProtocolError,
  type ClientInput,
  type ClientReply,
  type CountAdapter,
  type GenerateAdapter,
  type ParsedRequest,
  type ProtocolError,
  type Responder,
  type TargetModel,
} from './adapter.ts';
import type { ClientAuth } from './client-auth.ts';
import { abortOnClose, writeWithBackpressure } from './client-io.ts';
import { ExchangeRecord } from './exchange-record.ts';
import { sessionHash, sessionKeyFor } from './session-key.ts';

/** Model resolution as the pipeline needs it; the runtime implements it over the catalog and settings. */
export interface ModelDirectory {
  /** Mapping, aliases, deprecations and (with features) background routing: one decision. */
  decide(
    requested: string,
    features?: ParsedRequest<unknown>['features'],
    protocol?: string,
    headers?: Readonly<Record<string, string | undefined>>,
  ): RoutedModel;
  /** False when the accounts report their models and none offers this one. */
  isKnown(upstreamId: string): boolean;
  /** The upstream model with its family (which decides the target-model rules) and known limits. */
  target(upstreamId: string): TargetModel;
}

export interface PipelineDeps {
  engine: ProxyEngine;
  openStream(call: StreamCall): Promise<OpenedStream>;
  countTokens(target: AttemptTarget, model: string, request: Record<string, unknown>): Promise<number>;
  clientAuth: ClientAuth;
  models: ModelDirectory;
  log: RequestLog;
  metrics?: ProxyMetrics;
  logger: Logger;
  /** Body logging, read per request so the setting applies live; absent = off. */
  bodyLogging?: () => { enabled: boolean; maxBytes: number };
}

const CLIENT_KEY = Symbol('clientKey');
const KEY_ID = Symbol('keyId');
type AuthedRequest = FastifyRequest & { [CLIENT_KEY]?: string; [KEY_ID]?: string };

function toProtocolError(error: EngineError): ProtocolError {
  return {
    status: error.status,
    code: error.code,
    message: error.message,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

function inputOf(request: FastifyRequest): ClientInput {
  return {
    body: request.body,
    params: request.params as ClientInput['params'],
    query: (request.query ?? {}) as ClientInput['query'],
    headers: request.headers,
  };
}

/**
 * The one path every proxied request takes (product.md §2–5): client auth, model resolution and
 * background routing, the session key, the engine (rotation and retries), client abort,
 * backpressured writes, and the request-log row. Protocols plug in as adapters that only translate.
 */
export class ExchangePipeline {
  private readonly deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.deps = deps;
  }

  /** An onRequest hook that checks the client key and answers 401 in the protocol's shape. */
  authHook(shape: (error: ProtocolError, request: FastifyRequest) => ClientReply): onRequestHookHandler {
    return (request, reply, done) => {
      const auth = this.deps.clientAuth.check(request);
      if (!auth.ok) {
        const error: ProtocolError = { status: 401, code: 'unauthorized', message: auth.message };
        send(reply, errorReply({ error: (failure) => shape(failure, request) }, error));
        return;
      }
      (request as AuthedRequest)[CLIENT_KEY] = auth.clientKey;
      (request as AuthedRequest)[KEY_ID] = auth.keyId;
      done();
    };
  }

  async generate<Body>(
    adapter: GenerateAdapter<Body>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { engine, models } = this.deps;
    const record = this.record(adapter, request);
    const fail = (error: ProtocolError) => {
      const answer = errorReply(adapter, error);
      if (record.capturing) record.sent(JSON.stringify(answer.body));
      record.finish(error.status, error);
      return send(reply, answer);
    };
    const parsed = adapter.parse(inputOf(request));
    if (isProtocolError(parsed)) return fail(parsed);
    record.requested = parsed.model;
    record.stream = parsed.stream;

    const model = models.decide(parsed.model, parsed.features, adapter.protocol, clientHeaders(request));
    record.model = model;
    if (!models.isKnown(model.upstream)) return fail(unknownModel(parsed.model, model.upstream));
    const target = models.target(model.upstream);
    const sessionKey = sessionKeyFor({
      headers: request.headers,
      clientKey: (request as AuthedRequest)[CLIENT_KEY],
      ...parsed.session,
    });
    record.sessionHash = sessionHash(sessionKey);
    const context = { sessionKey };
    const pending = adapter.toUpstream(parsed.body, target, context);
    const translated = pending instanceof Promise ? await pending : pending;
    if (isProtocolError(translated)) return fail(translated);
    const upstreamRequest = applyTargetRules(translated.request, target);
    const responder = adapter.responder(parsed, target, context);
    // The upstream call holds what it needs; an open stream should not keep the client's body
    // (often hundreds of KB of conversation) alive until it ends.
    (request as { body?: unknown }).body = undefined;

    const signal = abortOnClose(request, reply);
    const forAccount = translated.forAccount;
    const open = (attempt: AttemptTarget) => {
      responder.servedBy?.(attempt.accountId);
      const request = forAccount ? forAccount(upstreamRequest, attempt.accountId) : upstreamRequest;
      return this.deps.openStream({
        accessToken: attempt.accessToken,
        project: attempt.project,
        model: model.upstream,
        request: { ...request, sessionId: attempt.sessionId },
        requestType: translated.requestType,
        signal: attempt.signal,
      });
    };
    const exchange = { model: model.upstream, sessionKey, signal, startedAt: record.startedAt };

    if (!parsed.stream) {
      // A non-stream client has seen nothing until the stream completes, so a cut anywhere is retried.
      const copies = Math.max(1, translated.copies ?? 1);
      const call =
        copies === 1
          ? (attempt: AttemptTarget) => drain(open(attempt))
          : async (attempt: AttemptTarget) =>
              (await Promise.all(Array.from({ length: copies }, () => drain(open(attempt))))).flat();
      const result = await engine.run({ ...exchange, call });
      this.settle(record, result);
      if (!result.ok) return this.failed(reply, record, adapter, result.error, signal);
      record.usage = lastUsage(result.value);
      const answer = responder.assemble(result.value);
      if (record.capturing) record.sent(typeof answer === 'string' ? answer : JSON.stringify(answer));
      record.finish(200);
      return send(reply, { status: 200, body: answer });
    }

    const result = await engine.run({ ...exchange, call: open });
    this.settle(record, result);
    if (!result.ok) return this.failed(reply, record, adapter, result.error, signal);
    await this.stream(reply, record, responder, result.value, signal);
    return reply;
  }

  async countTokens<Body>(
    adapter: CountAdapter<Body>,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { engine, models } = this.deps;
    const record = this.record(adapter, request);
    const fail = (error: ProtocolError) => {
      const answer = errorReply(adapter, error);
      if (record.capturing) record.sent(JSON.stringify(answer.body));
      record.finish(error.status, error);
      return send(reply, answer);
    };
    const parsed = adapter.parse(inputOf(request));
    if (isProtocolError(parsed)) return fail(parsed);
    record.requested = parsed.model;
    const model = models.decide(parsed.model);
    record.model = model;
    if (!models.isKnown(model.upstream)) return fail(unknownModel(parsed.model, model.upstream));
    const target = models.target(model.upstream);
    if (target.family === 'claude') {
      // v1internal cannot count for Claude (wire.md §2.12 #9): the adapter's documented estimate.
      record.inputTokens = adapter.estimate(parsed.body);
      return this.counted(reply, record, adapter.answer(record.inputTokens));
    }
    const translated = adapter.toUpstream(parsed.body, target);
    if (isProtocolError(translated)) return fail(translated);
    const upstreamRequest = applyTargetRules(translated, target);
    const signal = abortOnClose(request, reply);
    const result = await engine.run({
      model: model.upstream,
      signal,
      startedAt: record.startedAt,
      call: (attempt) => this.deps.countTokens(attempt, model.upstream, upstreamRequest),
    });
    this.settle(record, result);
    if (!result.ok) return this.failed(reply, record, adapter, result.error, signal);
    record.inputTokens = result.value;
    return this.counted(reply, record, adapter.answer(result.value));
  }

  private counted(reply: FastifyReply, record: ExchangeRecord, answer: unknown): FastifyReply {
    if (record.capturing) record.sent(JSON.stringify(answer));
    record.finish(200);
    return send(reply, { status: 200, body: answer });
  }

  private record(adapter: { protocol: ExchangeRecord['protocol']; route: string }, request: FastifyRequest) {
    const record = new ExchangeRecord({
      protocol: adapter.protocol,
      route: adapter.route,
      clientKey: (request as AuthedRequest)[CLIENT_KEY],
      keyId: (request as AuthedRequest)[KEY_ID],
      now: this.deps.engine.now,
      log: this.deps.log,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
    });
    const bodies = this.deps.bodyLogging?.();
    if (bodies?.enabled) record.captureBodies(request.body, bodies.maxBytes);
    return record;
  }

  private settle(record: ExchangeRecord, result: Awaited<ReturnType<ProxyEngine['run']>>): void {
    record.attempts = result.attempts;
    if (result.ok) {
      record.accountId = result.accountId;
      record.accountEmail = result.accountEmail;
      record.firstByteMs = this.deps.engine.now() - record.startedAt;
    }
  }

  private failed(
    reply: FastifyReply,
    record: ExchangeRecord,
    adapter: { error(error: ProtocolError): ClientReply },
    error: EngineError,
    signal: AbortSignal,
  ): FastifyReply {
    const failure = toProtocolError(error);
    const answer = errorReply(adapter, failure);
    if (record.capturing) record.sent(JSON.stringify(answer.body));
    record.finish(failure.status, failure);
    // Nobody is listening any more: nothing to send.
    if (signal.aborted) return reply;
    return send(reply, answer);
  }

  /** Relays a stream whose first event is in: after this byte, failures travel as the protocol's error event. */
  private async stream(
    reply: FastifyReply,
    record: ExchangeRecord,
    responder: Responder,
    opened: OpenedStream,
    signal: AbortSignal,
  ): Promise<void> {
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': responder.contentType,
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    const keepAlive = responder.keepAlive;
    let silence: NodeJS.Timeout | undefined;
    if (keepAlive) {
      silence = setInterval(() => {
        if (!raw.destroyed) raw.write(keepAlive.text);
      }, keepAlive.everyMs);
    }
    let usage = opened.first.response?.usageMetadata;
    const rest = opened.rest;
    let status = 200;
    let failure: ProtocolError | undefined;
    let closing = '';
    this.deps.metrics?.streamOpened();
    try {
      const head = (responder.open?.() ?? '') + responder.event(opened.first);
      record.sent(head);
      const waiting = writeWithBackpressure(raw, head);
      if (waiting) await waiting;
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        const chunk: UpstreamChunk = next.value;
        if (chunk.response?.usageMetadata) usage = chunk.response.usageMetadata;
        if (raw.destroyed) {
          status = 499;
          await rest.return?.();
          break;
        }
        silence?.refresh();
        const text = responder.event(chunk);
        record.sent(text);
        const pending = writeWithBackpressure(raw, text);
        if (pending) await pending;
      }
      // The terminal text goes with the end: one write less per stream.
      if (status === 200 && !raw.destroyed) closing = responder.close();
    } catch (error) {
      if (signal.aborted || raw.destroyed) status = 499;
      else {
        const broken = streamBrokenFrom(error);
        failure = { status: broken.status, code: broken.code, message: broken.message };
        status = broken.status;
        if (status >= 500 && broken.code === 'internal_error')
          this.deps.logger.error({ err: error }, 'stream relay failed');
        closing = responder.fail(failure);
      }
    } finally {
      if (silence) clearInterval(silence);
      this.deps.metrics?.streamClosed();
    }
    record.sent(closing);
    if (closing && !raw.destroyed) raw.end(closing);
    else raw.end();
    record.usage = usage;
    record.finish(
      status,
      status === 499 ? { code: 'client_closed', message: 'The client closed the stream' } : failure,
    );
  }
}

/** The headers background detection may look at (which client sent the request). */
function clientHeaders(request: FastifyRequest): Record<string, string | undefined> {
  const { 'user-agent': agent, 'x-app': app } = request.headers;
  return { 'user-agent': agent, 'x-app': typeof app === 'string' ? app : undefined };
}

function unknownModel(requested: string, upstream: string): ProtocolError {
  const mapped = upstream !== requested ? ` (mapped to ${upstream})` : '';
  return {
    status: 404,
    code: 'not_found',
    message: `Model ${requested}${mapped} is not offered by any account; list the models with GET /v1/models or /v1beta/models`,
    param: 'model',
  };
}

async function drain(opening: Promise<OpenedStream>): Promise<UpstreamChunk[]> {
  const opened = await opening;
  const chunks = [opened.first];
  for (;;) {
    const next = await opened.rest.next();
    if (next.done) return chunks;
    chunks.push(next.value);
  }
}

function lastUsage(chunks: readonly UpstreamChunk[]) {
  for (let index = chunks.length - 1; index >= 0; index--) {
    const usage = chunks[index]!.response?.usageMetadata;
    if (usage) return usage;
  }
  return undefined;
}

/** The adapter's error body, with `retry-after` whenever the error says when to come back. */
export function errorReply(
  adapter: { error(error: ProtocolError): ClientReply },
  error: ProtocolError,
): ClientReply {
  const answer = adapter.error(error);
  if (error.retryAfterSeconds === undefined) return answer;
  return { ...answer, headers: { ...answer.headers, 'retry-after': String(error.retryAfterSeconds) } };
}

export function send(reply: FastifyReply, answer: ClientReply): FastifyReply {
  if (answer.headers) reply.headers(answer.headers);
  return reply.code(answer.status).type('application/json').send(answer.body);
}
