/**
 * Public Gemini GenerateContentRequest → the `request` of a v1internal call (wire.md §6.5).
 * Pure: body in, request out, or a client error naming the field.
 */

import { isPlainObject } from '../../util/json.ts';
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

type Json = Record<string, unknown>;

export function toUpstreamRequest(body: unknown): GeminiTranslation {
  if (!isPlainObject(body))
    return { ok: false, message: 'Invalid JSON payload: expected a GenerateContentRequest object' };
  const valid = validateGenerateContentRequest(body);
  return valid.ok ? translate(body) : valid;
}

/**
 * A validated GenerateContentRequest → the upstream request. What the target model needs beyond
 * that (signature sentinels, Claude's tool rules) is applied by the pipeline for every protocol.
 */
function translate(body: Json): GeminiTranslation {
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
  request.contents = contents.map((content) =>
    // The public API allows a missing role (single-turn) and the legacy "function" role; v1internal wants user/model.
    isPlainObject(content) && (content.role == null || content.role === 'function')
      ? { ...content, role: 'user' }
      : content,
  );
  return { ok: true, request };
}

/** `{contents}` or `{generateContentRequest:{…}}` → the `request` of v1internal countTokens (wire.md §2.9, §3). */
export function toCountTokensRequest(body: unknown): GeminiTranslation {
  if (!isPlainObject(body))
    return { ok: false, message: 'Invalid JSON payload: expected a CountTokensRequest object' };
  const valid = validateCountTokensRequest(body);
  if (!valid.ok) return valid;
  const inner = isPlainObject(body.generateContentRequest)
    ? body.generateContentRequest
    : isPlainObject(body.generate_content_request)
      ? body.generate_content_request
      : body;
  const translated = translate(inner);
  if (!translated.ok) return translated;
  const { contents, systemInstruction, tools } = translated.request;
  const request: Json = { contents };
  if (systemInstruction !== undefined) request.systemInstruction = systemInstruction;
  if (tools !== undefined) request.tools = tools;
  return { ok: true, request };
}
