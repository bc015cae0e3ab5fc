/**
 * Google Search grounding (wire.md §2.8 variant 7) → the Messages API's web search blocks: one
 * `server_tool_use` {name:"web_search", input:{query}} and one `web_search_tool_result` per query.
 * Pure. No `citations` on text blocks: the grounding (`groundingSupports`) arrives with the last
 * chunk, after the text it supports was streamed and usually closed, and a stream cannot add
 * citations to a block that has stopped; the non-stream Message stays equal to the stream's.
 */

export interface WebSearchResult {
  type: 'web_search_result';
  url: string;
  title: string;
  /** The Messages API sends an opaque blob to replay the page; Google gives none, so it stays empty. */
  encrypted_content: string;
  page_age: null;
}

export interface WebSearch {
  /** The queries the model ran; one empty query when Google listed pages but no query. */
  queries: string[];
  /** The pages the answer was grounded on. */
  results: WebSearchResult[];
}

/** `groundingMetadata` of a candidate, or undefined when it names neither a query nor a page. */
export function webSearchOf(groundingMetadata: unknown): WebSearch | undefined {
  if (typeof groundingMetadata !== 'object' || groundingMetadata === null) return undefined;
  const meta = groundingMetadata as { webSearchQueries?: unknown; groundingChunks?: unknown };
  const queries: string[] = [];
  if (Array.isArray(meta.webSearchQueries)) {
    for (const query of meta.webSearchQueries) if (typeof query === 'string') queries.push(query);
  }
  const results: WebSearchResult[] = [];
  if (Array.isArray(meta.groundingChunks)) {
    for (const chunk of meta.groundingChunks) {
      const web = (chunk as { web?: { uri?: unknown; title?: unknown } } | null)?.web;
      if (!web || typeof web.uri !== 'string' || !web.uri) continue;
      results.push({
        type: 'web_search_result',
        url: web.uri,
        title: typeof web.title === 'string' ? web.title : web.uri,
        encrypted_content: '',
        page_age: null,
      });
    }
  }
  if (queries.length === 0 && results.length === 0) return undefined;
  // Google does not say which query found which page: every query's result lists the pages the
  // answer drew on (with one query, the common case, that is exact).
  return { queries: queries.length > 0 ? queries : [''], results };
}
