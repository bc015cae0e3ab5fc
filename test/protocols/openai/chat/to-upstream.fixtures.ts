/** Helpers shared by the to-upstream-*.test.ts files: Chat Completions requests translated for a target. */
import { toUpstream, type UpstreamContext } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { parse } from './request-fixtures.ts';

export type Json = Record<string, unknown>;

export const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
export const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
export const CLAUDE_LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

export function translate(body: Json, target = GEMINI, limits?: UpstreamContext['limits']) {
  return toUpstream(parse(body), { target, signatures: new SignatureBook(), ...(limits ? { limits } : {}) });
}
export const upstream = (body: Json, target = GEMINI, limits?: UpstreamContext['limits']) =>
  translate(body, target, limits).request;
export const user = (content: unknown) => ({ role: 'user', content });
export const body = (messages: unknown[], extra: Json = {}): Json => ({ model: 'm', messages, ...extra });
