import { createHash } from 'node:crypto';
import { grounding, searchQuery, type Grounding } from './grounding.ts';
import { sampleFromSchema } from './schema-sample.ts';
import type { SignatureBook, SignatureFamily } from './signatures.ts';
import type { Outcome, SimModelFixture, ToolCallSpec } from './types.ts';

/**
 * Turns an outcome into the events of one reply: the stream splits text into pieces (one part per
 * event, function calls whole), the non-stream reply merges the same pieces. Signatures go where
 * the family puts them (wire.md §2.8): Claude on the last thought piece, Gemini 3 on the first
 * visible part and on every function call.
 */

export const PLACEHOLDER_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const IMAGE_TOKENS = 1290;

export interface ReplyInput {
  outcome: Outcome | undefined;
  model: SimModelFixture;
  email: string;
  /** Unique per reply; feeds ids and signatures. */
  seed: string;
  sessionId?: string;
  showThoughts: boolean;
  lastUserText: string;
  promptTokens: number;
  cachedTokens: number;
  book: SignatureBook;
  credits?: { consumed: number; remaining: number };
  /** JSON mode (`responseMimeType: application/json`): the default reply is a value of this schema. */
  json?: { schema?: unknown };
  /** The request has a Google Search tool: the default reply is a grounded answer. */
  search?: boolean;
}

type Piece = Record<string, unknown> & { kind: 'thought' | 'text' | 'call' | 'image' | 'carrier' };

export interface ReplyPlan {
  /** One full `{response, traceId}` envelope per stream event. */
  events: Record<string, unknown>[];
  /** The non-stream reply. */
  merged: Record<string, unknown>;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function splitText(text: string, pieces: number): string[] {
  if (pieces <= 1 || text.length < pieces * 2) return [text];
  const out: string[] = [];
  let start = 0;
  for (let k = 1; k < pieces; k++) {
    let cut = Math.round((text.length * k) / pieces);
    const space = text.indexOf(' ', cut);
    if (space > start && space < text.length - 1) cut = space;
    if (cut <= start) continue;
    out.push(text.slice(start, cut));
    start = cut;
  }
  out.push(text.slice(start));
  return out.filter((s) => s.length > 0);
}

function signatureFamily(model: SimModelFixture): SignatureFamily | undefined {
  if (model.family === 'claude' || model.family === 'gemini-3' || model.family === 'gemini')
    return model.family;
  return undefined;
}

interface Segments {
  thought?: string;
  text?: string;
  textPieces: number;
  calls: ToolCallSpec[];
  image?: { mimeType: string; data: string };
  grounding?: Grounding;
}

function defaultText(input: ReplyInput): string {
  if (input.json)
    return JSON.stringify(
      input.json.schema === undefined ? { reply: 'simulated' } : sampleFromSchema(input.json.schema),
    );
  const said = input.lastUserText.replace(/\s+/g, ' ').trim().slice(0, 60);
  return said
    ? `Simulated reply from ${input.model.id}: you said "${said}".`
    : `Simulated reply from ${input.model.id}.`;
}

function segmentsOf(input: ReplyInput): Segments {
  const o = input.outcome;
  const autoThought = input.showThoughts
    ? `The user wants a short answer from ${input.model.id}.`
    : undefined;
  const pick = (given: string | undefined): string | undefined =>
    given === undefined ? autoThought : given || undefined;
  // Cuts, stalls and mid-stream errors interrupt the default reply.
  if (!o || o.kind === 'cut' || o.kind === 'stall' || o.kind === 'error') {
    const given = o && 'text' in o ? o.text : undefined;
    const query = input.search && !input.json ? searchQuery(input.lastUserText) : '';
    if (query) {
      const grounded = grounding({ queries: [query], text: given });
      return { thought: autoThought, text: grounded.text, textPieces: 3, calls: [], grounding: grounded };
    }
    const isImageModel = input.model.output?.includes('image') === true;
    return {
      thought: autoThought,
      text: given ?? defaultText(input),
      textPieces: 3,
      calls: [],
      image: !o && isImageModel ? { mimeType: 'image/png', data: PLACEHOLDER_PNG } : undefined,
    };
  }
  switch (o.kind) {
    case 'text':
      return { thought: pick(o.thought), text: o.text, textPieces: o.chunks ?? 3, calls: [] };
    case 'thinking':
      return { thought: o.thought || undefined, text: o.text, textPieces: 2, calls: [] };
    case 'toolCall':
      return {
        thought: pick(o.thought),
        text: o.text,
        textPieces: 1,
        calls: [{ name: o.name, args: o.args, id: o.id }, ...(o.also ?? [])],
      };
    case 'search': {
      const grounded = grounding({
        queries: o.queries,
        results: o.results,
        text: o.text,
        entryPoint: o.searchEntryPoint,
      });
      return {
        thought: pick(o.thought),
        text: grounded.text,
        textPieces: o.chunks ?? 3,
        calls: [],
        grounding: grounded,
      };
    }
    case 'image':
      return {
        text: o.text,
        textPieces: 1,
        calls: [],
        image: { mimeType: o.mimeType ?? 'image/png', data: o.base64 ?? PLACEHOLDER_PNG },
      };
    default:
      return { textPieces: 0, calls: [] };
  }
}

function buildPieces(input: ReplyInput, segments: Segments): Piece[] {
  const family = signatureFamily(input.model);
  const placement = input.outcome?.signature ?? 'default';
  const sign = (seedSuffix: string, thinkingText?: string): string | undefined => {
    if (!family || placement === 'none') return undefined;
    return input.book.issue(family, {
      email: input.email,
      model: input.model.id,
      seed: `${input.seed}:${seedSuffix}`,
      sessionId: input.sessionId,
      thinkingText,
    });
  };
  const pieces: Piece[] = [];
  if (segments.thought) {
    const parts = splitText(segments.thought, 2);
    parts.forEach((text) => pieces.push({ kind: 'thought', text, thought: true }));
    if (family === 'claude') {
      const signature = sign('thinking', segments.thought);
      if (signature && placement === 'carrier')
        pieces.push({ kind: 'carrier', text: '', thoughtSignature: signature });
      else if (signature) (pieces[pieces.length - 1] as Piece).thoughtSignature = signature;
    }
  }
  const firstVisible = pieces.length;
  if (segments.text) {
    for (const text of splitText(segments.text, segments.textPieces)) pieces.push({ kind: 'text', text });
  }
  if (segments.image) pieces.push({ kind: 'image', inlineData: segments.image });
  segments.calls.forEach((call, i) => {
    const id =
      call.id ??
      (family === 'claude' ? `toolu_vrtx_01${hash(`${input.seed}:call:${i}`).slice(0, 22)}` : undefined);
    const functionCall = id ? { id, name: call.name, args: call.args } : { name: call.name, args: call.args };
    const piece: Piece = { kind: 'call', functionCall };
    // Gemini 3 signs every call; the first call of a turn is the one replay checks.
    if (family === 'gemini-3') {
      const signature = sign(`call:${i}`);
      if (signature) piece.thoughtSignature = signature;
    }
    pieces.push(piece);
  });
  if (family !== 'claude' && (family === 'gemini-3' || segments.thought)) {
    const first = pieces[firstVisible];
    if (first && first.kind !== 'call') {
      const signature = sign('visible');
      if (signature && placement === 'carrier')
        pieces.push({ kind: 'carrier', text: '', thoughtSignature: signature });
      else if (signature) first.thoughtSignature = signature;
    }
  }
  return pieces;
}

function partOf(piece: Piece): Record<string, unknown> {
  const { kind: _kind, ...part } = piece;
  return part;
}

function usage(
  input: ReplyInput,
  candidates: number,
  thoughts: number,
  toolUse: number,
): Record<string, unknown> {
  const meta: Record<string, unknown> = { promptTokenCount: input.promptTokens };
  if (candidates > 0) meta.candidatesTokenCount = candidates;
  if (thoughts > 0) meta.thoughtsTokenCount = thoughts;
  if (input.cachedTokens > 0) meta.cachedContentTokenCount = input.cachedTokens;
  // Search results the model read (grounding) are prompt tokens of their own, counted in the total.
  if (toolUse > 0) meta.toolUsePromptTokenCount = toolUse;
  meta.totalTokenCount = input.promptTokens + candidates + thoughts + toolUse;
  meta.promptTokensDetails = [{ modality: 'TEXT', tokenCount: input.promptTokens }];
  if (toolUse > 0) meta.toolUsePromptTokensDetails = [{ modality: 'TEXT', tokenCount: toolUse }];
  return meta;
}

function pieceTokens(piece: Piece): number {
  if (piece.kind === 'image') return IMAGE_TOKENS;
  if (piece.kind === 'call') return estimateTokens(JSON.stringify(piece.functionCall));
  return typeof piece.text === 'string' && piece.text ? estimateTokens(piece.text) : 0;
}

/** Consecutive text pieces of the same kind become one part again; signatures stay on it. */
function mergeParts(pieces: Piece[]): Record<string, unknown>[] {
  const parts: Record<string, unknown>[] = [];
  let previous: Piece | undefined;
  for (const piece of pieces) {
    const last = parts[parts.length - 1];
    if (
      last &&
      previous &&
      (piece.kind === 'thought' || piece.kind === 'text') &&
      piece.kind === previous.kind
    ) {
      last.text = `${String(last.text)}${String(piece.text)}`;
      if (piece.thoughtSignature) last.thoughtSignature = piece.thoughtSignature;
    } else {
      parts.push(partOf(piece));
    }
    previous = piece;
  }
  return parts;
}

export function planReply(input: ReplyInput): ReplyPlan {
  const segments = segmentsOf(input);
  const pieces = buildPieces(input, segments);
  const toolUse = segments.grounding?.toolUseTokens ?? 0;
  // Grounding rides on the last event's candidate, next to finishReason, and on the merged reply.
  const grounded = segments.grounding ? { groundingMetadata: segments.grounding.metadata } : {};
  const traceId = hash(`${input.seed}:trace`)
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 16)
    .toLowerCase();
  const responseId = hash(`${input.seed}:response`)
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 23);
  const head = { modelVersion: input.model.id, responseId };
  const everyUsage = input.outcome?.usage !== 'last';
  const creditFields = input.credits
    ? {
        consumedCredits: [{ creditType: 'GOOGLE_ONE_AI', creditAmount: String(input.credits.consumed) }],
        remainingCredits: [{ creditType: 'GOOGLE_ONE_AI', creditAmount: String(input.credits.remaining) }],
      }
    : {};
  let candidates = 0;
  let thoughts = 0;
  const events: Record<string, unknown>[] = pieces.map((piece, i) => {
    if (piece.kind === 'thought') thoughts += pieceTokens(piece);
    else candidates += pieceTokens(piece);
    const last = i === pieces.length - 1;
    const candidate: Record<string, unknown> = { content: { role: 'model', parts: [partOf(piece)] } };
    if (last) Object.assign(candidate, { finishReason: 'STOP', ...grounded });
    const response: Record<string, unknown> = { candidates: [candidate] };
    if (everyUsage || last) response.usageMetadata = usage(input, candidates, thoughts, toolUse);
    return { response: { ...response, ...head }, traceId, ...(last ? creditFields : {}) };
  });
  if (events.length === 0) {
    // An empty reply still ends with a usage-bearing event, but its candidate has no content.
    events.push({
      response: {
        candidates: [{ finishReason: 'STOP', ...grounded }],
        usageMetadata: usage(input, 0, 0, toolUse),
        ...head,
      },
      traceId,
    });
  }
  const mergedCandidate: Record<string, unknown> =
    pieces.length > 0
      ? { content: { role: 'model', parts: mergeParts(pieces) }, finishReason: 'STOP', ...grounded, index: 0 }
      : { finishReason: 'STOP', ...grounded, index: 0 };
  const merged = {
    response: {
      candidates: [mergedCandidate],
      usageMetadata: usage(input, candidates, thoughts, toolUse),
      ...head,
    },
    traceId,
    ...creditFields,
  };
  return { events, merged };
}
