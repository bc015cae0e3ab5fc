import type { UpstreamChunk } from '../../../google/generate-client.ts';
import type { ProtocolError, Responder } from '../../../proxy/adapter.ts';
import { assembleCompletion, type ChatCompletion } from './assemble.ts';
import { ChatTranslator, randomId, type ChatResponderOptions } from './from-upstream.ts';
import { errorChunk, KEEP_ALIVE_COMMENT, SseWriter } from './stream-writer.ts';

export type { ChatResponderOptions } from './from-upstream.ts';

/** A `Responder` whose non-stream answer is typed: the ChatCompletion of wire.md §5.2. */
export interface ChatResponder extends Responder {
  servedBy(accountId: string): void;
  assemble(chunks: readonly UpstreamChunk[]): ChatCompletion;
}

/** Long thinking or a retry can keep the upstream silent; a comment every 15 s keeps proxies from closing the stream. */
const KEEP_ALIVE = { everyMs: 15_000, text: KEEP_ALIVE_COMMENT };

/**
 * The Chat Completions answer of one exchange (wire.md §5.2, §5.3): SSE for a stream, or the
 * ChatCompletion assembled from the same events. After `close()` or `fail()` it writes nothing more.
 *
 * `fail()` after the first byte writes the error chunk and `[DONE]`, without a finish reason: OSDK
 * throws an `APIError` on the error chunk, and a finish reason would tell other clients that a cut
 * answer was complete.
 */
class SseChatResponder implements ChatResponder {
  readonly contentType = 'text/event-stream';
  readonly keepAlive = KEEP_ALIVE;
  private readonly options: ChatResponderOptions;
  private readonly id: string;
  private readonly created: number;
  private readonly writer: SseWriter;
  private readonly translator: ChatTranslator;
  private done = false;

  constructor(options: ChatResponderOptions) {
    this.options = options;
    this.id = options.id?.() ?? randomId('chatcmpl-', 29);
    this.created = options.created?.() ?? Math.floor(Date.now() / 1000);
    this.writer = new SseWriter(this.id, this.created, options.requestedModel, options.includeUsage);
    this.translator = new ChatTranslator(this.writer, options);
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
    return this.writer.take() + errorChunk(error);
  }

  assemble(chunks: readonly UpstreamChunk[]): ChatCompletion {
    return assembleCompletion(chunks, this.options, this.id, this.created, this.translator.accountId);
  }
}

/** The responder of `POST /v1/chat/completions` for one request. */
export function createChatResponder(options: ChatResponderOptions): ChatResponder {
  return new SseChatResponder(options);
}
