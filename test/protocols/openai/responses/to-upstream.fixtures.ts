/** Helpers shared by the to-upstream-*.test.ts files: Responses API requests translated for a target. */
import { toUpstream, type UpstreamContext } from '../../../../src/protocols/openai/responses/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { parse } from './request-fixtures.ts';

export const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
export const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
export const LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

export type Json = Record<string, unknown>;
type Part = Json & { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: Json };
export type Content = { role: string; parts: Part[] };

export function translate(body: Json, target = GEMINI, extra: Partial<UpstreamContext> = {}) {
  return toUpstream(parse(body), { target, signatures: new SignatureBook(), ...extra });
}

export const contentsOf = (request: Json) => request.contents as Content[];
export const systemOf = (request: Json) =>
  (request.systemInstruction as Content | undefined)?.parts.map((part) => part.text);
export const declarationsOf = (request: Json) =>
  ((request.tools as Json[] | undefined)?.[0]?.functionDeclarations ?? []) as Json[];
export const body = (input: unknown, extra: Json = {}): Json => ({
  model: 'gemini-3-flash',
  input,
  ...extra,
});
