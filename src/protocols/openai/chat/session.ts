/**
 * What the pipeline needs to know of a Chat Completions request besides its translation: where its
 * session key comes from (product.md §2) and what background routing looks at (product.md §4).
 */
import type { BackgroundFeatures } from '../../../proxy/adapter.ts';
import { textOf } from './content-parts.ts';
import type { ChatMessage, ChatRequest } from './request-schema.ts';

export interface SessionSourceFields {
  explicit?: string;
  firstSystemText?: string;
  firstUserText?: string;
}

function systemTexts(request: ChatRequest): string[] {
  const texts: string[] = [];
  for (const message of request.messages) {
    if (message.role !== 'system' && message.role !== 'developer') continue;
    const text = textOf(message.content);
    if (text.trim() !== '') texts.push(text);
  }
  return texts;
}

/** A user message's text: its text parts, joined. */
function userText(message: ChatMessage | undefined): string {
  if (message?.role !== 'user') return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/**
 * Where the session key comes from: `prompt_cache_key` (a conversation's own key, as Codex sends
 * it), else `user`; and the first system and user texts for the hash of clients that send neither.
 */
export function sessionSource(request: ChatRequest): SessionSourceFields {
  const source: SessionSourceFields = {};
  const user = typeof request.user === 'string' ? request.user.trim() : '';
  const explicit = request.prompt_cache_key?.trim() || user;
  if (explicit) source.explicit = explicit;
  const system = systemTexts(request)[0];
  if (system !== undefined) source.firstSystemText = system;
  for (const message of request.messages) {
    const text = userText(message);
    if (text.trim() !== '') {
      source.firstUserText = text;
      break;
    }
  }
  return source;
}

export function backgroundFeatures(request: ChatRequest): BackgroundFeatures {
  const users = request.messages.filter((message) => message.role === 'user');
  const tools = (request.tools?.length ?? 0) + (request.functions?.length ?? 0);
  const features: BackgroundFeatures = {
    systemTexts: systemTexts(request),
    userTexts: [userText(users[0]), userText(users.at(-1))],
    toolCount: tools,
  };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  return maxTokens != null ? { ...features, maxTokens } : features;
}
