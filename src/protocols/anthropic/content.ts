/**
 * Anthropic `messages` → v1internal `contents` (wire.md §6.2; pitfalls §6.8 #1–5, #16–19).
 *
 * - Roles user/assistant → user/model; `system` messages leave the conversation for the system
 *   instruction; turns that end up empty are dropped and consecutive turns of one role merged.
 * - A model turn is ordered thinking → text → function calls; a user turn starts with all its
 *   function responses, and media a tool result carried follow them as sibling parts (ACP's form,
 *   which both families take).
 * - Thinking is replayed only to the family that signed it, and only to Claude (Gemini has no use
 *   for it; its signature rides on the turn's first function call instead). Signatures are never
 *   made up: what cannot be vouched for is dropped, and the target rules add Gemini's sentinel later.
 * - Only fields this module names are copied, so `cache_control` and other client-only keys never
 *   reach the output.
 */
import type { SignatureLookup } from '../shared/signature-book.ts';
import { documentParts, imageParts, searchResultText } from './media.ts';
import type { ContentBlock, MessageParam, ToolResultContentBlock } from './request-schema.ts';
import type { ToolNames } from './tools.ts';

type Part = Record<string, unknown>;

export interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

export interface ContentContext {
  target: { model: string; family: 'claude' | 'gemini' };
  signatures: SignatureLookup;
  sessionKey?: string;
  names: ToolNames;
}

/** Real signatures are long base64 (ACP `MIN_SIGNATURE_LENGTH`); anything shorter is a placeholder. */
export const MIN_SIGNATURE_LENGTH = 50;
/** Gemini's bypass values: never a real signature, whoever sends them. */
const SENTINELS = new Set(['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go']);

/** A signature worth looking up: long enough and not a bypass value. */
export function plausibleSignature(signature: unknown): signature is string {
  return (
    typeof signature === 'string' && signature.length >= MIN_SIGNATURE_LENGTH && !SENTINELS.has(signature)
  );
}

/** A turn in three groups, so merged turns can be ordered as a whole. */
interface Turn {
  role: 'user' | 'model';
  /** User: function responses. Model: thought parts. */
  lead: Part[];
  /** Text and media, in the client's order. */
  body: Part[];
  /** Model: function calls. */
  calls: Part[];
  /** Model, Gemini targets: a Gemini signature from the turn's thinking, for its first call. */
  thoughtSignature?: string;
}

export interface MessagesTranslation {
  contents: Content[];
  /** Text of `role:"system"` messages, for the system instruction. */
  systemTexts: string[];
}

export function translateMessages(
  messages: readonly MessageParam[],
  context: ContentContext,
): MessagesTranslation {
  const claude = context.target.family === 'claude';
  const keepText = claude ? (text: string) => text.trim() !== '' : (text: string) => text !== '';
  const toolNames = new Map<string, string>();
  const systemTexts: string[] = [];
  const turns: Turn[] = [];

  for (const message of messages) {
    if (message.role === 'system') {
      systemTexts.push(...systemTextsOf(message.content));
      continue;
    }
    const blocks: ContentBlock[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    const turn =
      message.role === 'user'
        ? userTurn(blocks, keepText, toolNames, context)
        : modelTurn(blocks, keepText, toolNames, context);
    if (turn.lead.length + turn.body.length + turn.calls.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === turn.role) merge(last, turn);
    else turns.push(turn);
  }

  const contents = turns.map((turn) => ({ role: turn.role, parts: flatten(turn, claude) }));
  // Gemini wants the conversation to open with the user (wire.md §2.13 #3); Claude takes either.
  if (!claude && contents[0]?.role === 'model') contents.unshift({ role: 'user', parts: [{ text: '.' }] });
  return { contents, systemTexts };
}

function systemTextsOf(content: MessageParam['content']): string[] {
  if (typeof content === 'string') return content ? [content] : [];
  return content.flatMap((block) => (block.type === 'text' && block.text ? [block.text] : []));
}

function merge(into: Turn, next: Turn): void {
  into.lead.push(...next.lead);
  into.body.push(...next.body);
  into.calls.push(...next.calls);
  into.thoughtSignature ??= next.thoughtSignature;
}

function flatten(turn: Turn, claude: boolean): Part[] {
  if (turn.role === 'model' && !claude) placeGeminiSignature(turn);
  return [...turn.lead, ...turn.body, ...turn.calls];
}

/** Gemini checks the signature on the first call of a replayed turn (wire.md §2.13 #1). */
function placeGeminiSignature(turn: Turn): void {
  const first = turn.calls[0];
  if (first && first.thoughtSignature === undefined && turn.thoughtSignature !== undefined) {
    turn.calls[0] = { ...first, thoughtSignature: turn.thoughtSignature };
  }
}

// ---------------------------------------------------------------------------------------------
// User turns

function userTurn(
  blocks: readonly ContentBlock[],
  keepText: (text: string) => boolean,
  toolNames: Map<string, string>,
  context: ContentContext,
): Turn {
  const turn: Turn = { role: 'user', lead: [], body: [], calls: [] };
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        if (keepText(block.text)) turn.body.push({ text: block.text });
        break;
      case 'image':
        turn.body.push(...imageParts(block));
        break;
      case 'document':
        turn.body.push(...documentParts(block, keepText));
        break;
      case 'search_result':
        turn.body.push({ text: searchResultText(block) });
        break;
      case 'tool_result': {
        const name =
          toolNames.get(block.tool_use_id) ?? context.names.sanitize(nameFromId(block.tool_use_id));
        const { text, media } = toolResultContent(block.content, keepText);
        const response = block.is_error ? { error: text } : { result: text };
        turn.lead.push({ functionResponse: { id: block.tool_use_id, name, response } });
        turn.body.push(...media);
        break;
      }
      default:
        // Assistant-side blocks (thinking, tool_use…) in a user message and server-only blocks: dropped.
        break;
    }
  }
  return turn;
}

/**
 * A tool_result whose tool_use is not in the history (trimmed by the client): CPA's guess, the id
 * minus its last `-` segment (`get_weather-3` → `get_weather`); Anthropic's `toolu_…` ids stay whole.
 * The upstream does not compare the name with the call's (wire.md §2.14).
 */
function nameFromId(id: string): string {
  const cut = id.lastIndexOf('-');
  return cut > 0 ? id.slice(0, cut) : id || 'unknown_tool';
}

/** A tool result's text (joined) and its media (images, documents), which travel as sibling parts. */
function toolResultContent(
  content: string | readonly ToolResultContentBlock[] | null | undefined,
  keepText: (text: string) => boolean,
): { text: string; media: Part[] } {
  if (content == null) return { text: '', media: [] };
  if (typeof content === 'string') return { text: content, media: [] };
  const texts: string[] = [];
  const media: Part[] = [];
  for (const item of content) {
    if (item.type === 'text') texts.push(item.text);
    else if (item.type === 'search_result') texts.push(searchResultText(item));
    else if (item.type === 'image') media.push(...imageParts(item));
    else if (item.type === 'document') {
      for (const part of documentParts(item, keepText)) {
        if (typeof part.text === 'string') texts.push(part.text);
        else media.push(part);
      }
    }
  }
  return { text: texts.join('\n'), media };
}

// ---------------------------------------------------------------------------------------------
// Model turns

function modelTurn(
  blocks: readonly ContentBlock[],
  keepText: (text: string) => boolean,
  toolNames: Map<string, string>,
  context: ContentContext,
): Turn {
  const claude = context.target.family === 'claude';
  const turn: Turn = { role: 'model', lead: [], body: [], calls: [] };
  for (const block of blocks) {
    switch (block.type) {
      case 'thinking': {
        const signature = block.signature;
        if (!plausibleSignature(signature)) break;
        const family = context.signatures.issuerOf(signature)?.family;
        if (claude && family === 'claude') {
          turn.lead.push({ text: block.thinking, thought: true, thoughtSignature: signature });
        } else if (!claude && family === 'gemini') {
          turn.thoughtSignature ??= signature;
        }
        break;
      }
      case 'text':
        if (keepText(block.text)) turn.body.push({ text: block.text });
        break;
      case 'tool_use': {
        const name = context.names.sanitize(block.name);
        toolNames.set(block.id, name);
        const call: Part = { functionCall: { id: block.id, name, args: block.input } };
        const cached = claude
          ? undefined
          : context.signatures.toolCallSignature(block.id, context.sessionKey);
        if (cached?.family === 'gemini' && plausibleSignature(cached.signature))
          call.thoughtSignature = cached.signature;
        turn.calls.push(call);
        break;
      }
      case 'web_search_tool_result':
        if (Array.isArray(block.content) && block.content.length > 0) {
          const lines = block.content.map((result) => `- ${result.title ?? result.url} (${result.url})`);
          turn.body.push({ text: `Web search results:\n${lines.join('\n')}` });
        }
        break;
      case 'image':
        turn.body.push(...imageParts(block));
        break;
      case 'document':
        turn.body.push(...documentParts(block, keepText));
        break;
      case 'search_result':
        turn.body.push({ text: searchResultText(block) });
        break;
      default:
        // redacted_thinking (opaque to any other model), server_tool_use, and server-only results.
        break;
    }
  }
  return turn;
}
