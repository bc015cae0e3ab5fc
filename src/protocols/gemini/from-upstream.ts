import type { GenerateResponse, UpstreamChunk } from '../../google/generate-client.ts';

/**
 * v1internal events → public GenerateContentResponse objects (wire.md §3, §6.5). Pure functions.
 */

/** Unwraps one event: the `response`, with `responseId` filled from `traceId` when missing. */
export function unwrapChunk(chunk: UpstreamChunk): GenerateResponse {
  const response: GenerateResponse = { ...(chunk.response ?? {}) };
  if (!response.responseId && chunk.traceId) response.responseId = chunk.traceId;
  return response;
}

type Part = Record<string, unknown>;

/** Joins neighbouring text parts of the same kind (thought or answer) the way a stream reads, keeping signatures. */
function appendPart(parts: Part[], part: Part): void {
  const last = parts.at(-1);
  const isText = typeof part.text === 'string' && !part.functionCall && !part.inlineData;
  if (
    last &&
    isText &&
    typeof last.text === 'string' &&
    Boolean(last.thought) === Boolean(part.thought) &&
    !last.functionCall
  ) {
    last.text = (last.text as string) + (part.text as string);
    if (part.thoughtSignature) last.thoughtSignature = part.thoughtSignature;
    return;
  }
  parts.push({ ...part });
}

/** A non-stream client gets one response assembled from every event of the stream. */
export function assembleResponse(chunks: readonly UpstreamChunk[]): GenerateResponse {
  const parts: Part[] = [];
  let finishReason: string | undefined;
  let last: GenerateResponse = {};
  const extras: Record<string, unknown> = {};
  for (const chunk of chunks) {
    const response = unwrapChunk(chunk);
    last = response;
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) appendPart(parts, part);
    if (candidate?.finishReason) finishReason = candidate.finishReason;
    for (const key of ['groundingMetadata', 'citationMetadata', 'safetyRatings'] as const) {
      if (candidate?.[key] !== undefined) extras[key] = candidate[key];
    }
  }
  const assembled: GenerateResponse = {
    candidates: [
      { content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0, ...extras },
    ],
  };
  if (last.usageMetadata) assembled.usageMetadata = last.usageMetadata;
  if (last.modelVersion) assembled.modelVersion = last.modelVersion;
  if (last.responseId) assembled.responseId = last.responseId;
  if (last.promptFeedback) assembled.promptFeedback = last.promptFeedback;
  return assembled;
}
