/**
 * Chat Completions `messages` → v1internal `contents` (wire.md §6.3; pitfalls §6.8 #2, #3, #5–7, #16–20).
 *
 * - `system` and `developer` messages, wherever they stand, leave the conversation for the system
 *   instruction. Roles map user/tool/function → user and assistant → model; turns that end up
 *   empty are dropped and consecutive turns of one role merged; a Gemini conversation opens with
 *   the user.
 * - A model turn is ordered thinking → text → function calls. The user turn after it starts with
 *   one function response per call, in call order: a call the client left unanswered gets an
 *   "interrupted" response, and a tool message that answers no call of that turn becomes text —
 *   both families refuse unpaired calls and responses.
 * - `reasoning_content` (DeepSeek's field, which some clients send back) carries no signature: it
 *   is replayed only to Claude, and only with the signature this proxy recorded for the turn's tool
 *   call, issued by Claude (the account check is the adapter's). Gemini targets get each call's own
 *   Gemini signature back from the signature book; calls without one get the sentinel from the
 *   target rules.
 */
import { plausibleSignature } from '../../anthropic/content.ts';
import type { ToolNames } from '../../anthropic/tools.ts';
import type { SignatureLookup } from '../../shared/signature-book.ts';
import { assistantParts, textOf, userParts, type RemoteImages } from './content-parts.ts';
import type { ChatMessage, ToolCall } from './request-schema.ts';

type Part = Record<string, unknown>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

export interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

export interface MessagesContext {
  target: { model: string; family: 'claude' | 'gemini' };
  signatures: SignatureLookup;
  sessionKey?: string;
  names: ToolNames;
  remoteImages: RemoteImages;
}

export interface MessagesTranslation {
  contents: Content[];
  systemTexts: string[];
}

/** The result a call gets when the client sent none for it. */
export const INTERRUPTED_RESULT = '[Tool call was interrupted.]';

/** A turn in three groups, so merged turns can be ordered as a whole. */
interface Turn {
  role: 'user' | 'model';
  /** User: function responses. Model: the thought part. */
  lead: Part[];
  /** Text and media, in the client's order. */
  body: Part[];
  /** Model: function calls. */
  calls: Part[];
}

interface State {
  context: MessagesContext;
  claude: boolean;
  keepText: (text: string) => boolean;
  /** Call id → sanitised name, for the responses. */
  callNames: Map<string, string>;
  /** Deprecated `function_call`s waiting for their `function` message, by name. */
  pendingFunctions: Map<string, string[]>;
  functionCalls: number;
}

export function translateMessages(
  messages: readonly ChatMessage[],
  context: MessagesContext,
): MessagesTranslation {
  const claude = context.target.family === 'claude';
  const state: State = {
    context,
    claude,
    keepText: claude ? (text) => text.trim() !== '' : (text) => text !== '',
    callNames: new Map(),
    pendingFunctions: new Map(),
    functionCalls: 0,
  };
  const systemTexts: string[] = [];
  const turns: Turn[] = [];

  for (const message of messages) {
    let turn: Turn;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        if (text.trim() !== '') systemTexts.push(text);
        continue;
      }
      case 'user':
        turn = {
          role: 'user',
          lead: [],
          body: userParts(message.content, state.keepText, context.remoteImages),
          calls: [],
        };
        break;
      case 'tool':
        turn = toolTurn(message, state);
        break;
      case 'function': {
        const id = state.pendingFunctions.get(message.name)?.shift() ?? message.name;
        turn = {
          role: 'user',
          lead: [functionResponse(id, state.context.names.sanitize(message.name), message.content ?? '')],
          body: [],
          calls: [],
        };
        break;
      }
      case 'assistant':
        turn = modelTurn(message, state);
        break;
    }
    if (turn.lead.length + turn.body.length + turn.calls.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === turn.role) {
      last.lead.push(...turn.lead);
      last.body.push(...turn.body);
      last.calls.push(...turn.calls);
    } else {
      turns.push(turn);
    }
  }

  pairCallsWithResponses(turns);
  const contents = turns.map((turn) => ({
    role: turn.role,
    parts: [...turn.lead, ...turn.body, ...turn.calls],
  }));
  // Gemini wants the conversation to open with the user (wire.md §2.13 #3); an empty one needs a turn.
  if (contents.length === 0 || (!claude && contents[0]!.role === 'model'))
    contents.unshift({ role: 'user', parts: [{ text: '.' }] });
  return { contents, systemTexts };
}

/** A tool message: its text is the result; images it carries follow the responses as user media. */
function toolTurn(message: Extract<ChatMessage, { role: 'tool' }>, state: State): Turn {
  const content = message.content;
  const texts = typeof content === 'string' ? content : content.filter((part) => part.type === 'text');
  const media = typeof content === 'string' ? [] : content.filter((part) => part.type !== 'text');
  const id = message.tool_call_id;
  return {
    role: 'user',
    lead: [functionResponse(id, state.callNames.get(id), textOf(texts))],
    body: userParts(media, state.keepText, state.context.remoteImages),
    calls: [],
  };
}

function functionResponse(id: string, name: string | undefined, result: string): Part {
  return { functionResponse: { id, name: name ?? nameFromId(id), response: { result } } };
}

/**
 * A response to a call not in the history (trimmed by the client): CPA's guess, the id minus its
 * last `-` segment (`get_weather-3` → `get_weather`). The upstream does not compare the name with
 * the call's (wire.md §2.14).
 */
function nameFromId(id: string): string {
  const cut = id.lastIndexOf('-');
  return cut > 0 ? id.slice(0, cut) : id || 'unknown_tool';
}

// ---------------------------------------------------------------------------------------------
// Model turns

function modelTurn(message: AssistantMessage, state: State): Turn {
  const { context } = state;
  const turn: Turn = {
    role: 'model',
    lead: [],
    body: assistantParts(message.content, state.keepText),
    calls: [],
  };
  if (message.refusal && state.keepText(message.refusal) && message.content == null)
    turn.body.push({ text: message.refusal });

  const toolCalls: ToolCall[] = [...(message.tool_calls ?? [])];
  if (message.function_call) {
    // The deprecated form has no id: one is made up, and the `function` message after it gets it too.
    const { name } = message.function_call;
    const id = `call_${name}_${++state.functionCalls}`;
    const pending = state.pendingFunctions.get(name) ?? [];
    pending.push(id);
    state.pendingFunctions.set(name, pending);
    toolCalls.push({ id, type: 'function', function: message.function_call });
  }

  for (const call of toolCalls) {
    const name = context.names.sanitize(call.function.name);
    state.callNames.set(call.id, name);
    const part: Part = { functionCall: { id: call.id, name, args: call.function.arguments } };
    if (!state.claude) {
      const cached = context.signatures.toolCallSignature(call.id, context.sessionKey);
      if (cached?.family === 'gemini' && plausibleSignature(cached.signature))
        part.thoughtSignature = cached.signature;
    }
    turn.calls.push(part);
  }

  const reasoning = message.reasoning_content;
  if (state.claude && reasoning) {
    const signature = claudeThinkingSignature(toolCalls, context);
    if (signature) turn.lead.push({ text: reasoning, thought: true, thoughtSignature: signature });
  }
  return turn;
}

/** The thinking signature Claude issued with this turn's calls, as recorded by the response side. */
function claudeThinkingSignature(calls: readonly ToolCall[], context: MessagesContext): string | undefined {
  for (const call of calls) {
    const cached = context.signatures.toolCallSignature(call.id, context.sessionKey);
    if (cached?.family !== 'claude' || !plausibleSignature(cached.signature)) continue;
    if (context.signatures.issuerOf(cached.signature)?.family === 'claude') return cached.signature;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Call ↔ response pairing

const responseId = (part: Part) => (part.functionResponse as { id: string } | undefined)?.id;
const callOf = (part: Part) => part.functionCall as { id: string; name: string };

/**
 * Every model turn's calls answered, in call order, at the start of the next user turn; responses
 * that answer nothing there become text. A model turn with calls that ends the conversation is left
 * as the client sent it.
 */
function pairCallsWithResponses(turns: Turn[]): void {
  turns.forEach((turn, index) => {
    if (turn.role !== 'user') return;
    const previous = turns[index - 1];
    const calls = previous?.role === 'model' ? previous.calls.map(callOf) : [];
    const byId = new Map<string, Part>();
    const orphans: Part[] = [];
    for (const part of turn.lead) {
      const id = responseId(part)!;
      if (calls.some((call) => call.id === id) && !byId.has(id)) byId.set(id, part);
      else orphans.push(part);
    }
    turn.lead = calls.map(
      (call) => byId.get(call.id) ?? functionResponse(call.id, call.name, INTERRUPTED_RESULT),
    );
    if (orphans.length > 0) turn.body.unshift(...orphans.map(orphanText));
  });
  // A model turn with calls followed by another model turn cannot happen (they merge); one
  // followed by nothing is the end of the conversation.
}

function orphanText(part: Part): Part {
  const response = part.functionResponse as { id: string; name: string; response: { result: string } };
  return { text: `Result of tool call ${response.id} (${response.name}):\n${response.response.result}` };
}
