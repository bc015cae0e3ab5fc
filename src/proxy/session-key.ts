import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Volatile lines that change between turns of one conversation and must not change its key. */
const VOLATILE = [/<system-reminder>[\s\S]*?<\/system-reminder>/g, /^x-anthropic-billing-header:.*$/gm];

function stable(text: string): string {
  let result = text;
  for (const pattern of VOLATILE) result = result.replace(pattern, '');
  return result.trim();
}

export interface SessionSource {
  headers: IncomingHttpHeaders;
  /** Anthropic `metadata.user_id`, OpenAI `user` / `prompt_cache_key`: explicit client session ids. */
  explicit?: string;
  clientKey?: string;
  firstSystemText?: string;
  firstUserText?: string;
}

/**
 * The key that binds a conversation to an account (product.md §2): an explicit session header,
 * then the client's own session field, else a hash of (client key, first system text, first
 * user text). Returns undefined when there is nothing to derive it from.
 */
export function sessionKeyFor(source: SessionSource): string | undefined {
  for (const header of ['x-session-id', 'x-claude-code-session-id', 'session_id', 'session-id']) {
    const value = source.headers[header];
    if (typeof value === 'string' && value.trim()) return `header:${value.trim()}`;
  }
  if (source.explicit?.trim()) return `client:${source.explicit.trim()}`;
  const system = stable(source.firstSystemText ?? '');
  const user = stable(source.firstUserText ?? '');
  if (!system && !user) return undefined;
  return `hash:${createHash('sha256')
    .update(`${source.clientKey ?? ''}\0${system}\0${user}`)
    .digest('base64url')}`;
}

/** What the log keeps of a session key: a short hash, never the key itself. */
export function sessionHash(key: string | undefined): string | undefined {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : undefined;
}

/** The first text of a Gemini-style contents list for a role. */
export function firstText(contents: unknown, role: string): string | undefined {
  if (!Array.isArray(contents)) return undefined;
  for (const content of contents) {
    const c = content as { role?: string; parts?: Array<{ text?: unknown }> };
    if ((c.role ?? 'user') !== role || !Array.isArray(c.parts)) continue;
    const text = c.parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
    if (text) return text;
  }
  return undefined;
}
