import { createHash } from 'node:crypto';
import type { SimSearchResult } from './types.ts';

/**
 * Google Search grounding (wire.md §2.8 variant 7): the answer text and the candidate's
 * `groundingMetadata` for a request with a `googleSearch` (or `googleSearchRetrieval`) tool.
 *
 * Choices, matching what the real service sends and what CPA's translator reads
 * (`translator/antigravity/claude/web_search.go`):
 * - `segment.startIndex`/`endIndex` are UTF-8 **byte** offsets (end exclusive) into the visible
 *   answer text: the concatenation of every non-thought text part of the candidate (of every event
 *   when streamed), which is what `response.text` gives; `partIndex` is never sent.
 * - Proto3 JSON leaves zero and empty values out: a segment starting at byte 0 has no
 *   `startIndex`, and a search without results has no `groundingChunks`/`groundingSupports`.
 * - Real `web.uri`s are `vertexaisearch.cloud.google.com/grounding-api-redirect/…` links and
 *   `web.title` is the site's domain; the default results use the reserved example domains
 *   (`https://example.com/<query-slug>`, title `example.com`) so that nothing real is ever fetched.
 *   A scripted outcome may give any uri and title.
 */

const DOMAINS = ['example.com', 'example.org', 'example.net'];
const PHRASES = [
  'has an overview of the topic.',
  'covers it in more detail.',
  'answers common questions about it.',
];
/** Search results fed to the model count as tool-use prompt tokens; about this many per result. */
const TOKENS_PER_RESULT = 96;
const MAX_QUERY_CHARS = 100;

export interface GroundingInput {
  queries: string[];
  /** Absent: 2 or 3 deterministic results derived from the first query. */
  results?: SimSearchResult[];
  /** Absent: `Search results for "<query>": …`, one sentence per result. */
  text?: string;
  /** `searchEntryPoint.renderedContent` (the Search suggestions chip); default on. */
  entryPoint?: boolean;
}

export interface Grounding {
  /** The visible answer. */
  text: string;
  /** The candidate's `groundingMetadata`. */
  metadata: Record<string, unknown>;
  /** `toolUsePromptTokenCount`: the search results the model read. */
  toolUseTokens: number;
}

interface Span {
  start: number;
  end: number;
  chunk: number;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The search query the model runs for a prompt: the prompt itself, whitespace folded, cut short. */
export function searchQuery(prompt: string): string {
  return Array.from(prompt.replace(/\s+/g, ' ').trim()).slice(0, MAX_QUERY_CHARS).join('').trim();
}

function slug(query: string): string {
  const words = query
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return words || digest(query).toString('hex').slice(0, 12);
}

/** 2 or 3 results on distinct example domains, the same for the same query. */
export function defaultResults(query: string): SimSearchResult[] {
  const h = digest(`search:${query}`);
  const count = 2 + ((h[0] ?? 0) % 2);
  const first = (h[1] ?? 0) % DOMAINS.length;
  const path = slug(query);
  return Array.from({ length: count }, (_, i) => {
    const domain = DOMAINS[(first + i) % DOMAINS.length] ?? 'example.com';
    return { uri: `https://${domain}/${path}`, title: domain };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Search suggestions widget Google requires clients to show, trimmed to its structure. */
function renderedContent(queries: string[]): string {
  const chips = queries
    .map(
      (q) =>
        `    <a class="chip" href="https://www.google.com/search?q=${encodeURIComponent(q)}&amp;client=app-vertex-grounding&amp;safesearch=active">${escapeHtml(q)}</a>\n`,
    )
    .join('');
  return (
    '<style>\n.container { align-items: center; border-radius: 8px; display: flex; font-family: Google Sans, Roboto, sans-serif; font-size: 14px; line-height: 20px; padding: 8px 12px; }\n' +
    '.chip { display: inline-block; border: solid 1px; border-radius: 16px; min-width: 14px; padding: 5px 16px; text-align: center; user-select: none; margin: 0 8px; }\n' +
    '.carousel { overflow: auto; scrollbar-width: none; white-space: nowrap; margin-right: -12px; }\n' +
    '.headline { display: flex; margin-right: 4px; }\n</style>\n' +
    '<div class="container">\n  <div class="headline">Google Search</div>\n  <div class="carousel">\n' +
    chips +
    '  </div>\n</div>\n'
  );
}

function confidence(text: string): number {
  return Math.round((0.7 + ((digest(`confidence:${text}`)[0] ?? 0) % 30) / 100) * 100) / 100;
}

/** The default answer: a header naming the query, then one supported sentence per result. */
function defaultAnswer(query: string, results: SimSearchResult[]): { text: string; spans: Span[] } {
  let text = `Search results for "${query}":`;
  if (results.length === 0) return { text: `${text} no results.`, spans: [] };
  const spans: Span[] = [];
  results.forEach((result, i) => {
    text += ' ';
    const start = text.length;
    text += `${result.title} ${PHRASES[i % PHRASES.length] ?? PHRASES[0]}`;
    spans.push({ start, end: text.length, chunk: i });
  });
  return { text, spans };
}

/** A scripted answer: every sentence is a segment, sentence k supported by result k mod n. */
function sentenceSpans(text: string, results: number): Span[] {
  if (results === 0) return [];
  const spans: Span[] = [];
  for (const match of text.matchAll(/\S[^.!?\n]*(?:[.!?]+|$)/gm)) {
    const start = match.index;
    spans.push({ start, end: start + match[0].length, chunk: spans.length % results });
  }
  return spans;
}

function byteOffset(text: string, charIndex: number): number {
  return Buffer.byteLength(text.slice(0, charIndex), 'utf8');
}

export function grounding(input: GroundingInput): Grounding {
  const queries = input.queries;
  const results = input.results ?? defaultResults(queries[0] ?? '');
  const answer =
    input.text === undefined
      ? defaultAnswer(queries[0] ?? '', results)
      : { text: input.text, spans: sentenceSpans(input.text, results.length) };
  const metadata: Record<string, unknown> = {};
  if (queries.length > 0) metadata.webSearchQueries = [...queries];
  if (queries.length > 0 && input.entryPoint !== false) {
    metadata.searchEntryPoint = { renderedContent: renderedContent(queries) };
  }
  if (results.length > 0) {
    metadata.groundingChunks = results.map((r) => ({ web: { uri: r.uri, title: r.title } }));
  }
  const supports = answer.spans.map((span) => {
    const text = answer.text.slice(span.start, span.end);
    const start = byteOffset(answer.text, span.start);
    const segment: Record<string, unknown> = start > 0 ? { startIndex: start } : {};
    segment.endIndex = byteOffset(answer.text, span.end);
    segment.text = text;
    return { segment, groundingChunkIndices: [span.chunk], confidenceScores: [confidence(text)] };
  });
  if (supports.length > 0) metadata.groundingSupports = supports;
  return {
    text: answer.text,
    metadata,
    toolUseTokens: results.length * TOKENS_PER_RESULT,
  };
}
