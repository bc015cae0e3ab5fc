import type { UpstreamChunk } from '../../google/generate-client.ts';
import {
  invalidRequest,
  type ClientReply,
  type CountAdapter,
  type GenerateAdapter,
  type ParsedRequest,
  type ProtocolError,
  type Responder,
} from '../../proxy/adapter.ts';
import { firstText } from '../../proxy/session-key.ts';
import { googleError } from './errors.ts';
import { assembleResponse, unwrapChunk } from './from-upstream.ts';
import { toCountTokensRequest, toUpstreamRequest } from './to-upstream.ts';

type GeminiRequest = Record<string, unknown>;

export function geminiErrorReply(error: ProtocolError): ClientReply {
  return { status: error.status, body: googleError(error.status, error.message, error.retryAfterSeconds) };
}

/** What background-task routing looks at (product.md §4). */
function features(request: GeminiRequest): ParsedRequest<GeminiRequest>['features'] {
  const system = request.systemInstruction as { parts?: Array<{ text?: unknown }> } | undefined;
  const systemText = (Array.isArray(system?.parts) ? system.parts : [])
    .map((part) => (typeof part?.text === 'string' ? part.text : ''))
    .join('');
  const contents = request.contents as Array<{ role?: string }>;
  const userTurns = contents.filter((content) => content.role === 'user');
  const userTexts = [userTurns[0], userTurns.at(-1)].map(
    (turn) => firstText(turn ? [turn] : [], 'user') ?? '',
  );
  const tools = Array.isArray(request.tools)
    ? (request.tools as Array<{ functionDeclarations?: unknown[] }>)
    : [];
  const config = request.generationConfig as { maxOutputTokens?: number } | undefined;
  return {
    systemTexts: systemText ? [systemText] : [],
    userTexts,
    maxTokens: config?.maxOutputTokens,
    toolCount: tools.reduce(
      (sum, tool) => sum + (Array.isArray(tool?.functionDeclarations) ? tool.functionDeclarations.length : 1),
      0,
    ),
  };
}

/** SSE (`alt=sse`) or, without it, one JSON array written as the events arrive (wire.md §3). */
function responder(sse: boolean): Responder {
  let index = 0;
  const frame = (body: unknown) =>
    sse ? `data: ${JSON.stringify(body)}\r\n\r\n` : `${index++ === 0 ? '[' : ',\r\n'}${JSON.stringify(body)}`;
  return {
    contentType: sse ? 'text/event-stream' : 'application/json',
    event: (chunk: UpstreamChunk) => frame(unwrapChunk(chunk)),
    close: () => (sse ? '' : index === 0 ? '[]' : ']'),
    // After the first byte the status is sent: the error travels as a last event (wire.md §3).
    fail: (error) => frame(googleError(error.status, error.message)) + (sse ? '' : ']'),
    assemble: (chunks) => assembleResponse(chunks),
  };
}

/**
 * `generateContent` / `streamGenerateContent` of the public Gemini API. The stream's framing
 * depends on `alt=sse`, which the route reads: one adapter per method and framing.
 */
export function geminiGenerateAdapter(
  method: 'generateContent' | 'streamGenerateContent',
  sse = true,
): GenerateAdapter<GeminiRequest> {
  const stream = method === 'streamGenerateContent';
  return {
    protocol: 'gemini',
    route: `/v1beta/models/{model}:${method}`,
    parse(input) {
      const model = input.params.model ?? '';
      if (!model) return invalidRequest('The model name is missing from the path');
      const translated = toUpstreamRequest(input.body);
      if (!translated.ok) return invalidRequest(translated.message);
      const request = translated.request;
      return {
        model,
        stream,
        body: request,
        session: {
          firstSystemText: firstText(
            request.systemInstruction ? [{ ...(request.systemInstruction as object), role: 'system' }] : [],
            'system',
          ),
          firstUserText: firstText(request.contents, 'user'),
        },
        features: features(request),
      };
    },
    toUpstream: (request) => ({ request }),
    responder: () => responder(sse),
    error: geminiErrorReply,
  };
}

/** `countTokens` of the public Gemini API. */
export const geminiCountAdapter: CountAdapter<GeminiRequest> = {
  protocol: 'gemini',
  route: '/v1beta/models/{model}:countTokens',
  parse(input) {
    const model = input.params.model ?? '';
    if (!model) return invalidRequest('The model name is missing from the path');
    const translated = toCountTokensRequest(input.body);
    if (!translated.ok) return invalidRequest(translated.message);
    return { model, body: translated.request };
  },
  toUpstream: (request) => request,
  // Claude targets only: about four characters a token, the rule of thumb for English and code.
  estimate: (request) => Math.max(1, Math.ceil(JSON.stringify(request).length / 4)),
  answer: (totalTokens) => ({ totalTokens }),
  error: geminiErrorReply,
};
