import type { ProtocolError } from '../../../proxy/adapter.ts';
import { openaiError } from '../errors.ts';
import type { ChatDelta, ChatSink } from './from-upstream.ts';
import type { ChatUsage, FinishReason } from './usage.ts';

/**
 * The Chat Completions SSE (wire.md §5.3): each chunk is `data: <json>\n\n`, no `event:` names,
 * the stream ends with `data: [DONE]\n\n`. Every chunk has the same `id`, `created` and `model`
 * (OSDK's ChatCompletionStream starts a new completion when the id changes); with `include_usage`
 * every chunk has `"usage":null` and one last chunk with `choices:[]` carries the usage. The fixed
 * part of a chunk is built once, so each delta costs one `JSON.stringify` of the delta alone.
 */

export const DONE = 'data: [DONE]\n\n';
/** An SSE comment: proxies see traffic, clients (OSDK included) ignore it. */
export const KEEP_ALIVE_COMMENT = ': keep-alive\n\n';

/** The error chunk after the first byte (OSDK throws an `APIError` when a data object has `error`), then `[DONE]`. */
export function errorChunk(error: ProtocolError): string {
  return `data: ${JSON.stringify(openaiError(error).body)}\n\n${DONE}`;
}

/** Collects the SSE text of what the translator emits; `take()` hands it over per upstream event. */
export class SseWriter implements ChatSink {
  private out = '';
  /** `data: {"id":…,"object":…,"created":…,"model":…,` */
  private readonly head: string;
  /** `,"usage":null}\n\n` or `}\n\n`. */
  private readonly tail: string;
  private readonly includeUsage: boolean;

  constructor(id: string, created: number, model: string, includeUsage: boolean) {
    const fixed = JSON.stringify({ id, object: 'chat.completion.chunk', created, model });
    this.head = `data: ${fixed.slice(0, -1)},`;
    this.tail = includeUsage ? ',"usage":null}\n\n' : '}\n\n';
    this.includeUsage = includeUsage;
  }

  /** The text written since the last call. */
  take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  delta(delta: ChatDelta): void {
    this.out += `${this.head}"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":null}]${this.tail}`;
  }

  finish(delta: ChatDelta, reason: FinishReason, usage: ChatUsage): void {
    this.out += `${this.head}"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":"${reason}"}]${this.tail}`;
    if (this.includeUsage) this.out += `${this.head}"choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
    this.out += DONE;
  }
}
