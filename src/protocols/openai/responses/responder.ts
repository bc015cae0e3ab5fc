import type { UpstreamChunk } from '../../../google/generate-client.ts';
import type { ProtocolError, Responder } from '../../../proxy/adapter.ts';
import { randomId } from '../../anthropic/from-upstream.ts';
import { OutputTranslator, type TranslatorOptions } from './from-upstream.ts';
import { SILENT_SINK } from './output-items.ts';
import {
  EMPTY_ECHO,
  responseObject,
  type ResponseEcho,
  type ResponseIdentity,
  type ResponseObject,
} from './response-object.ts';
import { KEEP_ALIVE, SseWriter } from './stream-writer.ts';
import { responsesUsage } from './usage.ts';

export interface ResponsesResponderOptions extends TranslatorOptions {
  /** The model name the client asked for: `response.model`. */
  requestedModel: string;
  /** The request's settings the Response repeats (response-object.ts `responseEcho`). */
  echo?: ResponseEcho;
  responseId?: () => string;
  /** The clock, in milliseconds (`created_at` is in seconds). */
  now?: () => number;
  /** Called with the final Response of an exchange that ended normally (completed or incomplete). */
  onFinal?: (response: ResponseObject) => void;
}

/** A `Responder` whose non-stream answer is typed: the Response of wire.md §5.6. */
export interface ResponsesResponder extends Responder {
  servedBy(accountId: string): void;
  assemble(chunks: readonly UpstreamChunk[]): ResponseObject;
}

/** The `code` of a failed Response, as Codex and the SDK classify it (`rate_limit_exceeded` is retried after its hint). */
function failureCode(error: ProtocolError): string {
  if (error.status === 429) return 'rate_limit_exceeded';
  if (error.status === 400) return 'invalid_prompt';
  return 'server_error';
}

/** The message, with a retry hint in the words Codex parses (`try again in 12s`). */
function failureMessage(error: ProtocolError): string {
  if (error.retryAfterSeconds === undefined || /try again in/i.test(error.message)) return error.message;
  const message = error.message.trimEnd();
  const stop = /[.!?]$/.test(message) ? '' : '.';
  return `${message}${stop} Please try again in ${error.retryAfterSeconds}s.`;
}

/**
 * The Responses API answer of one exchange (wire.md §5.6): SSE for a stream, or the Response
 * assembled from the same events. Lifecycle: `response.created` and `response.in_progress` before
 * the first item, then the items' events, then exactly one terminal event —
 * `response.completed`, `response.incomplete` (MAX_TOKENS, a safety stop), or `response.failed`
 * when the stream fails after the first byte. Codex reads a stream that ends without a terminal
 * event as "stream closed before response.completed", so none ends that way; it also reports
 * `response.incomplete` as an error and retries, as it does with OpenAI's own.
 *
 * `fail()` leaves the open item without its `output_item.done` and gives the failed Response the
 * items as far as they got (the open one `incomplete`): the SDK keeps them, Codex drops the turn.
 */
class SseResponsesResponder implements ResponsesResponder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  /** Long thinking or a retry can keep the upstream silent; a comment every 15 s keeps proxies from closing the stream. */
  readonly keepAlive = { everyMs: 15_000, text: KEEP_ALIVE };
  private readonly options: ResponsesResponderOptions;
  private readonly identity: ResponseIdentity;
  private readonly writer = new SseWriter();
  private readonly translator: OutputTranslator;
  private started = false;
  private done = false;

  constructor(options: ResponsesResponderOptions) {
    this.options = options;
    this.identity = {
      id: options.responseId?.() ?? randomId('resp_'),
      createdAt: Math.floor((options.now?.() ?? Date.now()) / 1000),
      model: options.requestedModel,
      echo: options.echo ?? EMPTY_ECHO,
    };
    this.translator = new OutputTranslator(this.writer, options);
  }

  servedBy(accountId: string): void {
    this.translator.servedBy(accountId);
  }

  event(chunk: UpstreamChunk): string {
    if (this.done) return '';
    this.start();
    this.translator.push(chunk);
    return this.writer.take();
  }

  close(): string {
    if (this.done) return '';
    this.start();
    this.done = true;
    const outcome = this.translator.end();
    const response = responseObject(this.identity, {
      status: outcome.status,
      output: this.translator.output,
      usage: responsesUsage(outcome.usage),
      ...(outcome.incompleteReason ? { incompleteReason: outcome.incompleteReason } : {}),
    });
    this.writer.lifecycle(`response.${outcome.status}`, response);
    this.options.onFinal?.(response);
    return this.writer.take();
  }

  fail(error: ProtocolError): string {
    if (this.done) return '';
    this.start();
    this.done = true;
    const { output, usage } = this.translator.cut();
    const response = responseObject(this.identity, {
      status: 'failed',
      output,
      usage: responsesUsage(usage),
      error: { code: failureCode(error), message: failureMessage(error) },
    });
    this.writer.lifecycle('response.failed', response);
    return this.writer.take();
  }

  assemble(chunks: readonly UpstreamChunk[]): ResponseObject {
    const translator = new OutputTranslator(SILENT_SINK, this.options, this.translator.accountId);
    for (const chunk of chunks) translator.push(chunk);
    const outcome = translator.end();
    const response = responseObject(this.identity, {
      status: outcome.status,
      output: translator.output,
      usage: responsesUsage(outcome.usage),
      ...(outcome.incompleteReason ? { incompleteReason: outcome.incompleteReason } : {}),
    });
    this.options.onFinal?.(response);
    return response;
  }

  /** `response.created` and `response.in_progress`, once, before anything else. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    const response = responseObject(this.identity, { status: 'in_progress', output: [] });
    this.writer.lifecycle('response.created', response);
    this.writer.lifecycle('response.in_progress', response);
  }
}

/** The responder of `POST /v1/responses` for one request. */
export function createResponsesResponder(options: ResponsesResponderOptions): ResponsesResponder {
  return new SseResponsesResponder(options);
}
