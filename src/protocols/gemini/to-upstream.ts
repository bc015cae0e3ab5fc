/**
 * Public Gemini GenerateContentRequest → the `request` of a v1internal call (wire.md §6.5).
 * Pure: body in, request out, or a client error naming the field.
 */

import { validateCountTokensRequest, validateGenerateContentRequest } from './request-schema.ts';

export type GeminiTranslation =
  { ok: true; request: Record<string, unknown> } | { ok: false; message: string };

/** The request keys v1internal accepts; anything else a client sends is left out rather than refused upstream. */
const FORWARDED_KEYS = [
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'safetySettings',
  'labels',
];

const SNAKE_TO_CAMEL: Record<string, string> = {
  system_instruction: 'systemInstruction',
  generation_config: 'generationConfig',
  tool_config: 'toolConfig',
  safety_settings: 'safetySettings',
};

/** Accepted by Gemini on replayed calls whose real signature the client did not keep (wire.md §2.13 #1). */
export const SIGNATURE_SENTINEL = 'skip_thought_signature_validator';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Gemini 3 models need a signature on the first functionCall of every replayed model turn. */
export function needsSignatureSentinel(model: string): boolean {
  return (
    /^gemini-(3|pro-agent|[4-9])/.test(model) ||
    model.startsWith('gemini-pro') ||
    model.includes('flash-agent')
  );
}

function addSentinels(contents: unknown[]): unknown[] {
  return contents.map((content) => {
    if (!isObject(content) || content.role !== 'model' || !Array.isArray(content.parts)) return content;
    const index = content.parts.findIndex(
      (part) => isObject(part) && ('functionCall' in part || 'function_call' in part),
    );
    if (index < 0) return content;
    const part = content.parts[index] as Json;
    if (part.thoughtSignature || part.thought_signature) return content;
    const parts = [...content.parts];
    parts[index] = { ...part, thoughtSignature: SIGNATURE_SENTINEL };
    return { ...content, parts };
  });
}

export function toUpstreamRequest(body: unknown, model: string): GeminiTranslation {
  if (!isObject(body))
    return { ok: false, message: 'Invalid JSON payload: expected a GenerateContentRequest object' };
  const valid = validateGenerateContentRequest(body);
  return valid.ok ? translate(body, model) : valid;
}

/** A validated GenerateContentRequest → the upstream request. */
function translate(body: Json, model: string): GeminiTranslation {
  const normalized: Json = {};
  for (const [key, value] of Object.entries(body)) {
    // Own keys only: `constructor` or `__proto__` must not reach the prototype chain of either object.
    const name = Object.hasOwn(SNAKE_TO_CAMEL, key) ? SNAKE_TO_CAMEL[key]! : key;
    if (name !== '__proto__') normalized[name] = value;
  }
  const contents = normalized.contents as unknown[];
  const request: Json = {};
  // proto3 JSON reads `null` as "not set"; the schema let it through only where that is harmless.
  for (const key of FORWARDED_KEYS) if (normalized[key] != null) request[key] = normalized[key];
  request.contents = (needsSignatureSentinel(model) ? addSentinels(contents) : contents).map((content) =>
    // The public API allows a missing role (single-turn) and the legacy "function" role; v1internal wants user/model.
    isObject(content) && (content.role == null || content.role === 'function')
      ? { ...content, role: 'user' }
      : content,
  );
  return { ok: true, request };
}

/** `{contents}` or `{generateContentRequest:{…}}` → the `request` of v1internal countTokens (wire.md §2.9, §3). */
export function toCountTokensRequest(body: unknown): GeminiTranslation {
  if (!isObject(body))
    return { ok: false, message: 'Invalid JSON payload: expected a CountTokensRequest object' };
  const valid = validateCountTokensRequest(body);
  if (!valid.ok) return valid;
  const inner = isObject(body.generateContentRequest)
    ? body.generateContentRequest
    : isObject(body.generate_content_request)
      ? body.generate_content_request
      : body;
  const translated = translate(inner, '');
  if (!translated.ok) return translated;
  const { contents, systemInstruction, tools } = translated.request;
  const request: Json = { contents };
  if (systemInstruction !== undefined) request.systemInstruction = systemInstruction;
  if (tools !== undefined) request.tools = tools;
  return { ok: true, request };
}
