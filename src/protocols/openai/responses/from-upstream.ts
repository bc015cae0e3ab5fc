import type { UpstreamChunk, UsageMetadata } from '../../../google/generate-client.ts';
import { randomId } from '../../anthropic/from-upstream.ts';
import { stopReasonOf } from '../../anthropic/stop-reason.ts';
import { webSearchOf } from '../../anthropic/web-search-blocks.ts';
import type { SignatureFamily, SignatureIssuer, SignatureRecorder } from '../../shared/signature-book.ts';
import type {
  ImageGenerationItem,
  MessageItem,
  OutputItem,
  OutputSink,
  ReasoningItem,
} from './output-items.ts';

/**
 * v1internal events → the output items of one Response (wire.md §5.6, §6.4). The rules live here
 * once; a sink turns them into SSE events (stream-writer.ts) or nothing (the non-stream Response
 * takes the items), so both answers always hold the same items.
 *
 * Items follow part-type changes: thought parts → a `reasoning` item whose one summary part holds
 * every thought delta (so the text replayed to Claude is exactly the text its signature signs),
 * text → a `message` item with one `output_text` part; `functionCall` → a `function_call` item, or a
 * `custom_tool_call` item whose `input` is the call's `args.input` when the client declared the tool
 * as custom; `inlineData` → an `image_generation_call` item; Google Search grounding → one
 * `web_search_call` item per query.
 *
 * Signatures (wire.md §2.8, §2.12 #7): Claude puts the thinking signature on the last thought part
 * or a trailing empty carrier, Gemini on the first visible part after the thoughts. A reasoning item
 * therefore stays open over empty carriers and takes the signature of the visible part that closes
 * it; it becomes the item's `encrypted_content` when the client asked for it, and the book learns who
 * issued it. A signature that arrives after the reasoning item closed (a carrier after text) gets a
 * reasoning item of its own with an empty summary, when the client sees reasoning at all (as the
 * Messages front end does). A `functionCall`'s own signature is the call's: it goes to the book by
 * call id (Codex drops fields it does not know, so the book is where Gemini's replay finds it).
 */

export interface TranslatorOptions {
  family: SignatureFamily;
  /** Sanitized tool name → the client's original name (wire.md §6.8 #15). */
  toolNames: ReadonlyMap<string, string>;
  /** Client names of the custom (freeform) tools. */
  customTools: ReadonlySet<string>;
  signatures: SignatureRecorder;
  sessionKey?: string;
  /** Whether reasoning items carry `encrypted_content` (`include: ["reasoning.encrypted_content"]`). */
  includeEncryptedReasoning: boolean;
  /** `<prefix><random>`: item ids `rs_`, `msg_`, `fc_`, `ctc_`, `ig_`, `ws_`. */
  itemId?: (prefix: string) => string;
  /** A call id for an upstream call that has none (Gemini's older replies). */
  callId?: () => string;
}

/** How the Response ends. */
export interface Outcome {
  status: 'completed' | 'incomplete';
  incompleteReason?: 'max_output_tokens' | 'content_filter';
  usage: UsageMetadata | undefined;
}

const NONE = 0;
const REASONING = 1;
const MESSAGE = 2;
type Open = typeof NONE | typeof REASONING | typeof MESSAGE;

type Part = Record<string, unknown>;

interface FunctionCall {
  id?: unknown;
  name?: unknown;
  args?: unknown;
}

const IMAGE_FORMATS: Record<string, ImageGenerationItem['output_format']> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** A custom tool's input: `args.input` as the declaration asks, else the one string given, else the JSON. */
export function customInputOf(args: Record<string, unknown>): string {
  if (typeof args.input === 'string') return args.input;
  const values = Object.values(args);
  if (values.length === 1 && typeof values[0] === 'string') return values[0];
  return JSON.stringify(args);
}

export class OutputTranslator {
  /** Every item so far, in output order; the open item holds its state at opening. */
  readonly output: OutputItem[] = [];
  private readonly sink: OutputSink;
  private readonly options: TranslatorOptions;
  private readonly itemId: (prefix: string) => string;
  private readonly callId: () => string;
  private issuer: SignatureIssuer;
  private ended = false;
  private open: Open = NONE;
  private openId = '';
  /** The open item's text so far. */
  private text = '';
  /** The signature the open reasoning item will get when it closes. */
  private signature = '';
  /** The last signature relayed, so a carrier repeating it adds nothing. */
  private relayed = '';
  private sawThinking = false;
  private toolUsed = false;
  private readonly callIds = new Set<string>();
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private usage: UsageMetadata | undefined;
  private searchedQueries: Set<string> | undefined;

  constructor(sink: OutputSink, options: TranslatorOptions, accountId = '') {
    this.sink = sink;
    this.options = options;
    this.itemId = options.itemId ?? randomId;
    this.callId = options.callId ?? (() => randomId('call_'));
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
    if (candidate.groundingMetadata !== undefined) this.grounding(candidate.groundingMetadata);
  }

  /**
   * The stream completed: close the open item and say how the Response ends. A tool call makes it
   * `completed` whatever the finish reason (the calls are whole; wire.md §6.6); `MAX_TOKENS` makes it
   * `incomplete` (max_output_tokens), a safety stop or a blocked prompt `incomplete`
   * (content_filter). An upstream that ends without a finish reason ended normally: `completed`.
   */
  end(): Outcome {
    const stop = stopReasonOf(this.finishReason, this.blockReason, this.toolUsed);
    const incompleteReason =
      stop === 'max_tokens' ? 'max_output_tokens' : stop === 'refusal' ? 'content_filter' : undefined;
    if (!this.ended) {
      this.closeOpen(incompleteReason === undefined ? 'completed' : 'incomplete');
      this.ended = true;
    }
    return incompleteReason === undefined
      ? { status: 'completed', usage: this.usage }
      : { status: 'incomplete', incompleteReason, usage: this.usage };
  }

  /** The items of a stream cut short: the open one as far as it got, `incomplete`. Ends the translator. */
  cut(): { output: OutputItem[]; usage: UsageMetadata | undefined } {
    if (!this.ended && this.open !== NONE) this.output[this.output.length - 1] = this.openItem('incomplete');
    this.ended = true;
    return { output: this.output, usage: this.usage };
  }

  private part(part: Part): void {
    if (part.functionCall) return this.functionCall(part.functionCall as FunctionCall, part.thoughtSignature);
    if (part.inlineData) {
      // Draft images of an image model's thinking are not part of the answer.
      if (part.thought !== true) this.image(part.inlineData as { mimeType?: unknown; data?: unknown });
      return;
    }
    const text = part.text;
    if (typeof text !== 'string') return;
    const signature = typeof part.thoughtSignature === 'string' ? part.thoughtSignature : '';
    if (part.thought === true) {
      if (this.open !== REASONING) {
        if (!text && !signature) return;
        this.start(REASONING);
      }
      if (text) this.reasoningDelta(text);
      if (signature) this.signature = signature;
      return;
    }
    if (signature) this.lateSignature(signature);
    // An empty part is a signature carrier or nothing; whitespace is text.
    if (!text) return;
    if (this.open !== MESSAGE) this.start(MESSAGE);
    const index = this.output.length - 1;
    if (!this.text) this.sink.textPartAdded(index, this.openId);
    this.text += text;
    this.sink.textDelta(index, this.openId, text);
  }

  private reasoningDelta(text: string): void {
    const index = this.output.length - 1;
    if (!this.text) this.sink.summaryPartAdded(index, this.openId);
    this.text += text;
    this.sink.summaryDelta(index, this.openId, text);
  }

  /** A signature on a part that is not a thought (wire.md §2.8 variants 2 and 3). */
  private lateSignature(signature: string): void {
    if (this.open === REASONING) {
      this.signature = signature;
      return;
    }
    if (signature === this.relayed) return;
    if (!this.options.includeEncryptedReasoning) return;
    if (!this.sawThinking && this.options.family !== 'claude') return;
    this.start(REASONING);
    this.signature = signature;
    this.closeOpen('completed');
  }

  private functionCall(call: FunctionCall, signature: unknown): void {
    this.closeOpen('completed');
    let callId = typeof call.id === 'string' && call.id ? call.id : this.callId();
    // The SDK refuses two calls with one call_id in a Response.
    while (this.callIds.has(callId)) callId = this.callId();
    this.callIds.add(callId);
    const sanitized = typeof call.name === 'string' ? call.name : '';
    const name = this.options.toolNames.get(sanitized) ?? sanitized;
    const args =
      typeof call.args === 'object' && call.args !== null && !Array.isArray(call.args)
        ? (call.args as Record<string, unknown>)
        : {};
    const index = this.output.length;
    if (this.options.customTools.has(name)) {
      const id = this.itemId('ctc_');
      const input = customInputOf(args);
      this.add({ id, type: 'custom_tool_call', status: 'in_progress', call_id: callId, name, input: '' });
      this.sink.customInputDone(index, id, input);
      this.done(index, { id, type: 'custom_tool_call', status: 'completed', call_id: callId, name, input });
    } else {
      const id = this.itemId('fc_');
      const json = JSON.stringify(args);
      this.add({ id, type: 'function_call', status: 'in_progress', call_id: callId, name, arguments: '' });
      this.sink.argumentsDone(index, id, name, json);
      this.done(index, {
        id,
        type: 'function_call',
        status: 'completed',
        call_id: callId,
        name,
        arguments: json,
      });
    }
    this.toolUsed = true;
    if (typeof signature === 'string' && signature) {
      this.options.signatures.recordToolCall(callId, signature, this.issuer, this.options.sessionKey);
    }
  }

  private image(data: { mimeType?: unknown; data?: unknown }): void {
    this.closeOpen('completed');
    const index = this.output.length;
    const id = this.itemId('ig_');
    this.add({ id, type: 'image_generation_call', status: 'in_progress', result: null });
    const format = typeof data.mimeType === 'string' ? IMAGE_FORMATS[data.mimeType.toLowerCase()] : undefined;
    const item: ImageGenerationItem = {
      id,
      type: 'image_generation_call',
      status: 'completed',
      result: typeof data.data === 'string' ? data.data : '',
    };
    if (format) item.output_format = format;
    this.done(index, item);
  }

  /** One search item per query, where the grounding arrives; a query already shown (cumulative metadata) is not repeated. */
  private grounding(metadata: unknown): void {
    const search = webSearchOf(metadata);
    if (!search) return;
    const sources = search.results.map((result) => ({ type: 'url' as const, url: result.url }));
    for (const query of search.queries) {
      this.searchedQueries ??= new Set();
      if (this.searchedQueries.has(query)) continue;
      this.searchedQueries.add(query);
      this.closeOpen('completed');
      const index = this.output.length;
      const id = this.itemId('ws_');
      this.add({ id, type: 'web_search_call', status: 'in_progress', action: { type: 'search', query } });
      this.done(index, {
        id,
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query, sources },
      });
    }
  }

  private add(item: OutputItem): void {
    this.output.push(item);
    this.sink.itemAdded(this.output.length - 1, item);
  }

  private done(index: number, item: OutputItem): void {
    this.output[index] = item;
    this.sink.itemDone(index, item);
  }

  private start(type: typeof REASONING | typeof MESSAGE): void {
    this.closeOpen('completed');
    this.open = type;
    this.text = '';
    if (type === REASONING) {
      this.sawThinking = true;
      this.openId = this.itemId('rs_');
      this.add({ id: this.openId, type: 'reasoning', summary: [] });
    } else {
      this.openId = this.itemId('msg_');
      this.add({ id: this.openId, type: 'message', status: 'in_progress', role: 'assistant', content: [] });
    }
  }

  /** The open item with what it holds now. */
  private openItem(status: 'completed' | 'incomplete'): OutputItem {
    if (this.open === REASONING) {
      const item: ReasoningItem = {
        id: this.openId,
        type: 'reasoning',
        summary: this.text ? [{ type: 'summary_text', text: this.text }] : [],
      };
      if (this.signature && this.options.includeEncryptedReasoning) item.encrypted_content = this.signature;
      return item;
    }
    const item: MessageItem = { id: this.openId, type: 'message', status, role: 'assistant', content: [] };
    if (this.text) item.content.push({ type: 'output_text', text: this.text, annotations: [], logprobs: [] });
    return item;
  }

  private closeOpen(status: 'completed' | 'incomplete'): void {
    if (this.open === NONE) return;
    const index = this.output.length - 1;
    if (this.text) {
      if (this.open === REASONING) this.sink.summaryPartDone(index, this.openId, this.text);
      else this.sink.textPartDone(index, this.openId, this.text);
    }
    const item = this.openItem(status);
    if (this.open === REASONING && this.signature) {
      this.relayed = this.signature;
      this.options.signatures.recordThinking(this.signature, this.issuer);
    }
    this.signature = '';
    this.text = '';
    this.open = NONE;
    this.done(index, item);
  }
}
