import type { UpstreamChunk, UsageMetadata } from '../../../google/generate-client.ts';
import type { SignatureFamily, SignatureIssuer, SignatureRecorder } from '../../shared/signature-book.ts';
import { chatUsage, finishReasonOf, type ChatUsage, type FinishReason } from './usage.ts';
import { pooledRandomBytes } from '../../shared/random-bytes.ts';

/**
 * v1internal events → the deltas of one Chat Completions choice (wire.md §6.3 second half, §5.3).
 * The rules live here once; a sink turns the deltas into SSE chunks (stream-writer.ts) or into the
 * non-stream ChatCompletion (assemble.ts), so both answers always say the same.
 *
 * - The first delta carries `role:"assistant"`, together with what it delivers: text as `content`,
 *   thought text as `reasoning_content` (DeepSeek's field), a tool call with `content:null` as
 *   OpenAI sends it. Text parts → `content`; `inlineData` images → markdown with a data URL in
 *   `content`, as the peers do (thought images are drafts: skipped).
 * - Each `functionCall` → a tool call at the next `index`: one delta with `id` (the upstream's or
 *   `call_…`), `type` and the restored `function.name` (arguments `""`), then one with the whole
 *   `JSON.stringify(args)` — OpenAI's own order, which every client accumulator reads.
 * - The end: a delta with `finish_reason` (wire.md §6.6), then the usage of the last usageMetadata.
 *   `content` ends as the text, or `null` when there is none but tool calls, or `""`.
 *
 * Signatures (wire.md §2.8, §6.10): clients cannot send them back through Chat Completions, so the
 * signature book keeps what the request side needs. A thinking signature (on a thought part, a
 * carrier, or visible text) is recorded with `recordThinking`; a call's own signature with
 * `recordToolCall` by its id (and with `recordThinking` too when Claude issued it); and when the
 * reply's first call has none of its own, the turn's thinking signature is recorded for it, so a
 * replay can put it back (Gemini: on that call; Claude: on the thinking the client returns as
 * `reasoning_content`).
 */

export interface ChatResponderOptions {
  /** The model name the client asked for: `model` of every chunk. */
  requestedModel: string;
  /** The family of the upstream model: who issued the signatures this reply relays. */
  family: SignatureFamily;
  /** Sanitised tool name → the client's original name (wire.md §6.8 #15). */
  toolNames: ReadonlyMap<string, string>;
  signatures: SignatureRecorder;
  sessionKey?: string;
  /** `stream_options.include_usage`: one more chunk, with `choices: []` and the usage. */
  includeUsage: boolean;
  /** The completion's id, `chatcmpl-…`. */
  id?: () => string;
  /** The completion's `created`, in seconds. */
  created?: () => number;
  /** Ids of tool calls the upstream gave none, `call_…`. */
  toolCallId?: () => string;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string;
  tool_calls?: ToolCallDelta[];
}

/** What a translator tells its sink, in order. */
export interface ChatSink {
  delta(delta: ChatDelta): void;
  /** The last choice delta (possibly empty) with the finish reason, then the usage. */
  finish(delta: ChatDelta, reason: FinishReason, usage: ChatUsage): void;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `<prefix><n alphanumerics>`: the shape of OpenAI's ids (`chatcmpl-B9MH…`, `call_abc…`). */
export function randomId(prefix: string, length = 24): string {
  const bytes = pooledRandomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

const newToolCallId = () => randomId('call_');

type Part = Record<string, unknown>;

interface FunctionCall {
  id?: unknown;
  name?: unknown;
  args?: unknown;
}

export class ChatTranslator {
  private readonly sink: ChatSink;
  private readonly options: ChatResponderOptions;
  private readonly toolCallId: () => string;
  private issuer: SignatureIssuer;
  private started = false;
  private ended = false;
  private wroteText = false;
  private calls = 0;
  /** The reply's first call while it still has no signature. */
  private unsignedFirstCall: string | undefined;
  /** The last thinking signature, for a first call that comes after it. */
  private thinkingSignature = '';
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private usage: UsageMetadata | undefined;

  constructor(sink: ChatSink, options: ChatResponderOptions, accountId = '') {
    this.sink = sink;
    this.options = options;
    this.toolCallId = options.toolCallId ?? newToolCallId;
    this.issuer = { family: options.family, accountId };
  }

  get accountId(): string {
    return this.issuer.accountId;
  }

  /** The account whose answer follows: the issuer of the signatures recorded from now on. */
  servedBy(accountId: string): void {
    this.issuer = { family: this.options.family, accountId };
  }

  push(chunk: UpstreamChunk): void {
    if (this.ended) return;
    const response = chunk.response;
    if (!response) return;
    if (response.usageMetadata) this.usage = response.usageMetadata;
    const feedback = response.promptFeedback as { blockReason?: unknown } | undefined;
    if (typeof feedback?.blockReason === 'string' && feedback.blockReason)
      this.blockReason = feedback.blockReason;
    const candidate = response.candidates?.[0];
    if (!candidate) return;
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
    const parts = candidate.content?.parts;
    if (parts) for (let i = 0; i < parts.length; i++) this.part(parts[i]!);
  }

  /** The stream completed (or ended without a finish reason): the last delta, the reason, the usage. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const last: ChatDelta = {};
    if (!this.started) last.role = 'assistant';
    if (!this.wroteText && this.calls === 0) last.content = '';
    this.sink.finish(
      last,
      finishReasonOf(this.finishReason, this.blockReason, this.calls > 0),
      chatUsage(this.usage),
    );
  }

  private part(part: Part): void {
    if (part.functionCall) return this.functionCall(part.functionCall as FunctionCall, part.thoughtSignature);
    if (typeof part.thoughtSignature === 'string' && part.thoughtSignature)
      this.thinkingSigned(part.thoughtSignature);
    if (part.inlineData) {
      if (part.thought !== true) this.image(part.inlineData as { mimeType?: unknown; data?: unknown });
      return;
    }
    const text = part.text;
    // An empty part is a signature carrier or nothing; whitespace is text.
    if (typeof text !== 'string' || text === '') return;
    if (part.thought === true) this.emit({ reasoning_content: text });
    else this.text(text);
  }

  private text(text: string): void {
    this.wroteText = true;
    this.emit({ content: text });
  }

  private image(data: { mimeType?: unknown; data?: unknown }): void {
    const mimeType = typeof data.mimeType === 'string' && data.mimeType ? data.mimeType : 'image/png';
    const base64 = typeof data.data === 'string' ? data.data : '';
    this.text(`![image](data:${mimeType};base64,${base64})`);
  }

  private functionCall(call: FunctionCall, signature: unknown): void {
    const index = this.calls++;
    const id = typeof call.id === 'string' && call.id ? call.id : this.toolCallId();
    const sanitized = typeof call.name === 'string' ? call.name : '';
    const name = this.options.toolNames.get(sanitized) ?? sanitized;
    const args =
      typeof call.args === 'object' && call.args !== null && !Array.isArray(call.args) ? call.args : {};
    const first: ChatDelta = {
      tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }],
    };
    if (!this.started) first.content = null;
    this.emit(first);
    this.emit({ tool_calls: [{ index, function: { arguments: JSON.stringify(args) } }] });

    if (typeof signature === 'string' && signature) {
      this.record(id, signature);
      if (this.options.family === 'claude') this.options.signatures.recordThinking(signature, this.issuer);
    } else if (index === 0) {
      if (this.thinkingSignature) this.record(id, this.thinkingSignature);
      else this.unsignedFirstCall = id;
    }
  }

  /** A thinking signature: vouched for, and the first call's if that call came without one. */
  private thinkingSigned(signature: string): void {
    if (signature === this.thinkingSignature) return;
    this.thinkingSignature = signature;
    this.options.signatures.recordThinking(signature, this.issuer);
    if (this.unsignedFirstCall !== undefined) {
      this.record(this.unsignedFirstCall, signature);
      this.unsignedFirstCall = undefined;
    }
  }

  private record(callId: string, signature: string): void {
    this.options.signatures.recordToolCall(callId, signature, this.issuer, this.options.sessionKey);
  }

  private emit(delta: ChatDelta): void {
    if (!this.started) {
      this.started = true;
      this.sink.delta({ role: 'assistant', ...delta });
      return;
    }
    this.sink.delta(delta);
  }
}
