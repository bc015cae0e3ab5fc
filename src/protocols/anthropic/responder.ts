import type { UpstreamChunk } from '../../google/generate-client.ts';
import type { ProtocolError, Responder } from '../../proxy/adapter.ts';
import { assembleMessage, type AnthropicMessage } from './assemble.ts';
import { randomId, UpstreamTranslator, type ResponderOptions } from './from-upstream.ts';
import { errorEvent, PING, SseWriter } from './from-upstream-stream.ts';

export type { ResponderOptions } from './from-upstream.ts';

/** A `Responder` whose non-stream answer is typed: the Message of wire.md §4.3. */
export interface MessagesResponder extends Responder {
  servedBy(accountId: string): void;
  assemble(chunks: readonly UpstreamChunk[]): AnthropicMessage;
}

/** Long thinking or a retry can keep the upstream silent; a ping every 15 s keeps proxies from closing the stream. */
const KEEP_ALIVE = { everyMs: 15_000, text: PING };

/**
 * The Messages API answer of one exchange (wire.md §4.3, §4.4): SSE for a stream, or the Message
 * assembled from the same events. After `close()` or `fail()` it writes nothing more.
 *
 * `fail()` after the first byte writes only `event: error`, leaving an open block unclosed: the
 * Messages API itself does so (an overloaded stream ends on the error event), and every client
 * throws there anyway (the SDK raises an `APIError` and drops the partial message), so closing the
 * block would only pretend a cut block had ended.
 */
class SseMessagesResponder implements MessagesResponder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  readonly keepAlive = KEEP_ALIVE;
  private readonly options: ResponderOptions;
  private readonly messageId: string;
  private readonly writer: SseWriter;
  private readonly translator: UpstreamTranslator;
  private done = false;

  constructor(options: ResponderOptions) {
    this.options = options;
    this.messageId = options.messageId?.() ?? randomId('msg_');
    this.writer = new SseWriter(this.messageId, options.requestedModel);
    this.translator = new UpstreamTranslator(this.writer, options);
  }

  servedBy(accountId: string): void {
    this.translator.servedBy(accountId);
  }

  event(chunk: UpstreamChunk): string {
    if (this.done) return '';
    this.translator.push(chunk);
    return this.writer.take();
  }

  close(): string {
    if (this.done) return '';
    this.done = true;
    this.translator.end();
    return this.writer.take();
  }

  fail(error: ProtocolError): string {
    if (this.done) return '';
    this.done = true;
    return this.writer.take() + errorEvent(error);
  }

  assemble(chunks: readonly UpstreamChunk[]): AnthropicMessage {
    return assembleMessage(chunks, this.options, this.messageId, this.translator.accountId);
  }
}

/** The responder of `POST /v1/messages` for one request. */
export function createMessagesResponder(options: ResponderOptions): MessagesResponder {
  return new SseMessagesResponder(options);
}
