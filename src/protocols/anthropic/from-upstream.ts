import type { UpstreamChunk, UsageMetadata } from '../../google/generate-client.ts';
import type { SignatureFamily, SignatureIssuer, SignatureRecorder } from '../shared/signature-book.ts';
import { stopReasonOf, type StopReason } from './stop-reason.ts';
import { anthropicUsage, startUsage, type AnthropicUsage } from './usage.ts';
import { webSearchOf, type WebSearchResult } from './web-search-blocks.ts';
import { pooledRandomBytes } from '../shared/random-bytes.ts';

/**
 * v1internal events → the blocks of one Messages API reply (wire.md §6.2 second half, §4.4). The
 * rules live here once; a sink turns them into SSE text (from-upstream-stream.ts) or into the
 * non-stream Message (assemble.ts), so both answers always hold the same blocks.
 *
 * Blocks open and close on part-type changes: thought parts → `thinking`, text → `text`;
 * `functionCall` → `tool_use`, `inlineData` → `image` and grounding → web search blocks are whole
 * at once. `index` is the position in the final `content`.
 *
 * Signatures (wire.md §2.8, §2.12 #7, §6.8 #8): Claude puts the thinking signature on the last
 * thought part or on a trailing empty carrier `{text:"", thoughtSignature}`; Gemini on the first
 * visible part after the thoughts. A thinking block therefore stays open over empty carriers, and
 * takes the signature of a visible text part that closes it; `signature_delta` comes right before
 * its `content_block_stop`. A signature that arrives after the thinking block was closed (a carrier
 * after text or a tool call) cannot go back: the SDK applies `signature_delta` only to a thinking
 * block at that index, and blocks never interleave. It becomes an extra thinking block with empty
 * thinking that carries only the signature (what AM does): the client keeps it and sends it back,
 * and the request side replays it as a detached carrier (CPA `appendDetachedCarrier`). That block
 * is added only when the client already sees thinking, or for Claude (whose signatures are always
 * thinking signatures): a Gemini signature on visible text with no thought shown belongs to hidden
 * reasoning, and a thinking block the client never asked for would break `content[0].text`.
 * A `functionCall`'s own signature is the call's (Gemini 3 needs it back on replay): it goes to the
 * signature book by the call's id, never to a thinking block.
 */

export interface ResponderOptions {
  /** The model name the client asked for: `message.model`. */
  requestedModel: string;
  /** The family of the upstream model: who issued the signatures this reply relays. */
  family: SignatureFamily;
  /** Sanitized tool name → the client's original name (wire.md §6.8 #15). */
  toolNames: ReadonlyMap<string, string>;
  signatures: SignatureRecorder;
  sessionKey?: string;
  messageId?: () => string;
  toolUseId?: () => string;
  serverToolUseId?: () => string;
}

/** What a translator tells its sink, in block order. `index` is the block's place in `content`. */
export interface MessageSink {
  messageStart(usage: AnthropicUsage): void;
  openBlock(index: number, type: 'thinking' | 'text'): void;
  thinkingDelta(index: number, thinking: string): void;
  textDelta(index: number, text: string): void;
  signatureDelta(index: number, signature: string): void;
  closeBlock(index: number): void;
  /** A whole tool_use block (start, one input_json_delta, stop). */
  toolUse(index: number, id: string, name: string, input: Record<string, unknown>): void;
  image(index: number, mediaType: string, data: string): void;
  serverToolUse(index: number, id: string, query: string): void;
  webSearchResult(index: number, toolUseId: string, results: WebSearchResult[]): void;
  messageEnd(stopReason: StopReason, usage: AnthropicUsage): void;
}

/** `<prefix><24 url-safe random characters>`: the shape of the Messages API's ids. */
export function randomId(prefix: string): string {
  return prefix + pooledRandomBytes(18).toString('base64url');
}

const newToolUseId = () => randomId('toolu_');
const newServerToolUseId = () => randomId('srvtoolu_');

const NONE = 0;
const THINKING = 1;
const TEXT = 2;
type OpenBlock = typeof NONE | typeof THINKING | typeof TEXT;

type Part = Record<string, unknown>;

interface FunctionCall {
  id?: unknown;
  name?: unknown;
  args?: unknown;
}

export class UpstreamTranslator {
  private readonly sink: MessageSink;
  private readonly options: ResponderOptions;
  private readonly toolUseId: () => string;
  private readonly serverToolUseId: () => string;
  private issuer: SignatureIssuer;
  private started = false;
  private ended = false;
  /** The index the next block gets; the open block, if any, is `next - 1`. */
  private next = 0;
  private open: OpenBlock = NONE;
  /** The signature the open thinking block will get before it closes. */
  private signature = '';
  /** The last signature relayed, so a carrier repeating it adds nothing. */
  private relayed = '';
  private sawThinking = false;
  private toolUsed = false;
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private usage: UsageMetadata | undefined;
  private searchedQueries: Set<string> | undefined;

  constructor(sink: MessageSink, options: ResponderOptions, accountId = '') {
    this.sink = sink;
    this.options = options;
    this.toolUseId = options.toolUseId ?? newToolUseId;
    this.serverToolUseId = options.serverToolUseId ?? newServerToolUseId;
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
    if (response?.usageMetadata) this.usage = response.usageMetadata;
    if (!this.started) {
      this.started = true;
      this.sink.messageStart(startUsage(this.usage));
    }
    if (!response) return;
    const feedback = response.promptFeedback as { blockReason?: unknown } | undefined;
    if (typeof feedback?.blockReason === 'string' && feedback.blockReason) {
      this.blockReason = feedback.blockReason;
    }
    const candidate = response.candidates?.[0];
    if (!candidate) return;
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
    const parts = candidate.content?.parts;
    if (parts) for (let i = 0; i < parts.length; i++) this.part(parts[i]!);
    if (candidate.groundingMetadata !== undefined) this.grounding(candidate.groundingMetadata);
  }

  /** The stream completed: close the open block, then the stop reason and the final usage. */
  end(): void {
    if (this.ended) return;
    if (!this.started) {
      this.started = true;
      this.sink.messageStart(startUsage(undefined));
    }
    this.closeOpen();
    this.ended = true;
    const searches = this.searchedQueries?.size ?? 0;
    this.sink.messageEnd(
      stopReasonOf(this.finishReason, this.blockReason, this.toolUsed),
      anthropicUsage(this.usage, searches),
    );
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
      if (this.open !== THINKING) {
        if (!text && !signature) return;
        this.openBlock(THINKING);
      }
      if (text) this.sink.thinkingDelta(this.next - 1, text);
      if (signature) this.signature = signature;
      return;
    }
    if (signature) this.lateSignature(signature);
    // An empty part is a signature carrier or nothing; whitespace is text.
    if (!text) return;
    if (this.open !== TEXT) this.openBlock(TEXT);
    this.sink.textDelta(this.next - 1, text);
  }

  /** A signature on a part that is not a thought (wire.md §2.8 variants 2 and 3). */
  private lateSignature(signature: string): void {
    if (this.open === THINKING) {
      this.signature = signature;
      return;
    }
    if (signature === this.relayed) return;
    if (!this.sawThinking && this.options.family !== 'claude') return;
    this.openBlock(THINKING);
    this.signature = signature;
    this.closeOpen();
  }

  private functionCall(call: FunctionCall, signature: unknown): void {
    this.closeOpen();
    const id = typeof call.id === 'string' && call.id ? call.id : this.toolUseId();
    const sanitized = typeof call.name === 'string' ? call.name : '';
    const name = this.options.toolNames.get(sanitized) ?? sanitized;
    const args =
      typeof call.args === 'object' && call.args !== null && !Array.isArray(call.args)
        ? (call.args as Record<string, unknown>)
        : {};
    this.sink.toolUse(this.next++, id, name, args);
    this.toolUsed = true;
    if (typeof signature === 'string' && signature) {
      this.options.signatures.recordToolCall(id, signature, this.issuer, this.options.sessionKey);
    }
  }

  private image(data: { mimeType?: unknown; data?: unknown }): void {
    this.closeOpen();
    const mediaType = typeof data.mimeType === 'string' && data.mimeType ? data.mimeType : 'image/png';
    this.sink.image(this.next++, mediaType, typeof data.data === 'string' ? data.data : '');
  }

  /** Search blocks where the grounding arrives; a query already shown (cumulative metadata) is not repeated. */
  private grounding(metadata: unknown): void {
    const search = webSearchOf(metadata);
    if (!search) return;
    for (const query of search.queries) {
      this.searchedQueries ??= new Set();
      if (this.searchedQueries.has(query)) continue;
      this.searchedQueries.add(query);
      this.closeOpen();
      const id = this.serverToolUseId();
      this.sink.serverToolUse(this.next++, id, query);
      this.sink.webSearchResult(this.next++, id, search.results);
    }
  }

  private openBlock(type: typeof THINKING | typeof TEXT): void {
    this.closeOpen();
    this.open = type;
    if (type === THINKING) this.sawThinking = true;
    this.sink.openBlock(this.next++, type === THINKING ? 'thinking' : 'text');
  }

  private closeOpen(): void {
    if (this.open === NONE) return;
    const index = this.next - 1;
    if (this.open === THINKING && this.signature) {
      const signature = this.signature;
      this.signature = '';
      this.sink.signatureDelta(index, signature);
      this.relayed = signature;
      this.options.signatures.recordThinking(signature, this.issuer);
    }
    this.open = NONE;
    this.sink.closeBlock(index);
  }
}
