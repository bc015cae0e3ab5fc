import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import {
  PRO,
  accessToken,
  generateBody,
  partsOf,
  rpc,
  sseEvents,
  type Envelope,
  type RpcBody,
} from './helpers.ts';

/** Google Search grounding (wire.md §2.8 #7, §2.13 #6): grounded answers with groundingMetadata. */

const PROJECT = 'useful-fuze-x7k2p';
const MODEL = 'gemini-3.1-flash-lite';
let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator();
  token = await accessToken(sim, PRO);
});
afterAll(() => sim.close());

interface Support {
  segment: { startIndex?: number; endIndex: number; text: string };
  groundingChunkIndices: number[];
  confidenceScores: number[];
}

interface GroundingMetadata {
  webSearchQueries?: string[];
  searchEntryPoint?: { renderedContent: string };
  groundingChunks?: { web: { uri: string; title: string } }[];
  groundingSupports?: Support[];
}

type Candidate = NonNullable<Envelope['response']['candidates']>[number] & {
  groundingMetadata?: GroundingMetadata;
};

function candidateOf(envelope: Envelope): Candidate {
  return (envelope.response.candidates?.[0] ?? {}) as Candidate;
}

function searchRequest(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { contents: [{ role: 'user', parts: [{ text }] }], tools: [{ googleSearch: {} }], ...extra };
}

async function generate(request: Record<string, unknown>, model = MODEL): Promise<Envelope> {
  const res = await rpc(sim, token, 'generateContent', generateBody(PROJECT, model, request));
  expect(res.status).toBe(200);
  return (await res.json()) as Envelope;
}

async function stream(body: Record<string, unknown>): Promise<Envelope[]> {
  const res = await rpc(sim, token, 'streamGenerateContent', body, { query: '?alt=sse' });
  expect(res.status).toBe(200);
  return sseEvents(await res.text());
}

const visibleText = (envelopes: Envelope[]): string =>
  envelopes
    .flatMap(partsOf)
    .filter((p) => !p.thought)
    .map((p) => p.text ?? '')
    .join('');

/** Every support's byte range cuts its own text out of the answer, and names an existing chunk. */
function expectConsistent(text: string, metadata: GroundingMetadata): void {
  const bytes = Buffer.from(text, 'utf8');
  const chunks = metadata.groundingChunks ?? [];
  for (const support of metadata.groundingSupports ?? []) {
    const { startIndex, endIndex, text: cited } = support.segment;
    expect(startIndex).not.toBe(0); // proto3 JSON leaves a zero start out
    expect(bytes.subarray(startIndex ?? 0, endIndex).toString('utf8')).toBe(cited);
    for (const index of support.groundingChunkIndices) expect(chunks[index]).toBeDefined();
    expect(support.confidenceScores).toHaveLength(support.groundingChunkIndices.length);
    for (const score of support.confidenceScores) expect(score > 0 && score <= 1).toBe(true);
  }
}

describe('unscripted replies with a googleSearch tool', () => {
  it('answer with a grounded text and the metadata the real service sends (non-stream)', async () => {
    const reply = await generate(searchRequest('What is new in Node 24?'));
    const candidate = candidateOf(reply);
    const text = visibleText([reply]);
    expect(text.startsWith('Search results for "What is new in Node 24?": ')).toBe(true);
    const metadata = candidate.groundingMetadata ?? {};
    expect(metadata.webSearchQueries).toEqual(['What is new in Node 24?']);
    expect(metadata.searchEntryPoint?.renderedContent).toMatch(
      /^<style>[\s\S]*<\/style>\n<div[\s\S]*<\/div>\n$/,
    );
    expect(metadata.searchEntryPoint?.renderedContent).toContain('What is new in Node 24?');
    const chunks = metadata.groundingChunks ?? [];
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.length).toBeLessThanOrEqual(3);
    for (const { web } of chunks) {
      expect(web.uri).toMatch(/^https:\/\/example\.(com|org|net)\/what-is-new-in-node-24$/);
      expect(web.uri).toContain(web.title);
    }
    expect(new Set(chunks.map((c) => c.web.uri)).size).toBe(chunks.length);
    const supports = metadata.groundingSupports ?? [];
    expect(supports.map((s) => s.groundingChunkIndices)).toEqual(chunks.map((_, i) => [i]));
    expect(supports[0]?.segment.text).toBe(`${chunks[0]?.web.title} has an overview of the topic.`);
    expectConsistent(text, metadata);
    expect(candidate.finishReason).toBe('STOP');

    const usage = reply.response.usageMetadata as Record<string, number>;
    expect(usage.toolUsePromptTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(
      usage.promptTokenCount! + usage.candidatesTokenCount! + usage.toolUsePromptTokenCount!,
    );
  });

  it('puts the metadata on the last event only when streaming, with the same results', async () => {
    const request = searchRequest('What is new in Node 24?');
    const events = await stream(generateBody(PROJECT, MODEL, request));
    expect(events.length).toBeGreaterThan(1);
    const last = events.at(-1)!;
    expect(events.slice(0, -1).every((e) => candidateOf(e).groundingMetadata === undefined)).toBe(true);
    const metadata = candidateOf(last).groundingMetadata ?? {};
    expect(candidateOf(last).finishReason).toBe('STOP');
    expectConsistent(visibleText(events), metadata);
    expect(metadata).toEqual(candidateOf(await generate(request)).groundingMetadata);
    expect((last.response.usageMetadata as Record<string, number>).toolUsePromptTokenCount).toBeGreaterThan(
      0,
    );
  });

  it('counts segment offsets in UTF-8 bytes, past thought parts', async () => {
    const prompt = 'Caf\u00e9s pr\u00e8s de la tour Eiffel \u{1F5FC}';
    const events = await stream(
      generateBody(
        PROJECT,
        MODEL,
        searchRequest(prompt, { generationConfig: { thinkingConfig: { includeThoughts: true } } }),
      ),
    );
    expect(events.flatMap(partsOf).some((p) => p.thought)).toBe(true);
    const text = visibleText(events);
    const metadata = candidateOf(events.at(-1)!).groundingMetadata ?? {};
    expect(metadata.webSearchQueries).toEqual([prompt]);
    expectConsistent(text, metadata);
    const first = metadata.groundingSupports?.[0]?.segment;
    expect(first?.startIndex).toBe(Buffer.byteLength(text.slice(0, text.indexOf(first!.text))));
    expect(first?.startIndex).not.toBe(text.indexOf(first?.text ?? ''));
    // The slug keeps the ASCII words; a query without any falls back to a hash.
    expect(metadata.groundingChunks?.[0]?.web.uri).toMatch(/\/caf-s-pr-s-de-la-tour-eiffel$/);
  });

  it('grounds googleSearchRetrieval too, and nothing without a search tool', async () => {
    const retrieval = await generate({
      contents: [{ role: 'user', parts: [{ text: 'weather in Oslo' }] }],
      tools: [{ googleSearchRetrieval: {} }],
    });
    expect(candidateOf(retrieval).groundingMetadata?.webSearchQueries).toEqual(['weather in Oslo']);
    const plain = await generate({ contents: [{ role: 'user', parts: [{ text: 'weather in Oslo' }] }] });
    expect(candidateOf(plain).groundingMetadata).toBeUndefined();
    expect(plain.response.usageMetadata?.toolUsePromptTokenCount).toBeUndefined();
  });

  it("accepts CPA's separate requestType web_search request (wire.md \u00a72.6)", async () => {
    const body = {
      project: PROJECT,
      model: MODEL,
      requestType: 'web_search',
      request: {
        contents: [{ role: 'user', parts: [{ text: 'vitest 4 release notes' }] }],
        systemInstruction: {
          role: 'user',
          parts: [{ text: 'You are a search engine bot. You MUST perform a web search.' }],
        },
        tools: [
          {
            googleSearch: {
              enhancedContent: { imageSearch: { maxResultCount: 5 } },
              includedDomains: ['vitest.dev'],
            },
          },
        ],
        generationConfig: { candidateCount: 1 },
      },
    };
    const events = await stream(body);
    const metadata = candidateOf(events.at(-1)!).groundingMetadata ?? {};
    expect(metadata.webSearchQueries).toEqual(['vitest 4 release notes']);
    expectConsistent(visibleText(events), metadata);
    const res = await rpc(sim, token, 'generateContent', body);
    expect(res.status).toBe(200);
  });
});

describe('scripted search outcomes', () => {
  it('fix the queries, results and text; offsets follow the sentences', async () => {
    const results = [
      { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AbC1', title: 'nodejs.org' },
      { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/dEf2', title: 'github.com' },
    ];
    const outcome = {
      kind: 'search' as const,
      queries: ['node 24 release', 'node 24 features'],
      results,
      text: 'Node 24 is out. It ships npm 11.\nSee the notes.',
    };
    sim.script(PRO, MODEL, outcome, outcome);
    const reply = await generate(searchRequest('anything'));
    expect(visibleText([reply])).toBe(outcome.text);
    const metadata = candidateOf(reply).groundingMetadata;
    expect(metadata?.webSearchQueries).toEqual(outcome.queries);
    expect(metadata?.groundingChunks).toEqual(results.map((web) => ({ web })));
    expect(metadata?.groundingSupports?.map((s) => [s.segment, s.groundingChunkIndices])).toEqual([
      [{ endIndex: 15, text: 'Node 24 is out.' }, [0]],
      [{ startIndex: 16, endIndex: 32, text: 'It ships npm 11.' }, [1]],
      [{ startIndex: 33, endIndex: 47, text: 'See the notes.' }, [0]],
    ]);
    expect(metadata?.searchEntryPoint?.renderedContent).toContain('node 24 features');

    const events = await stream(generateBody(PROJECT, MODEL, searchRequest('anything')));
    expect(visibleText(events)).toBe(outcome.text);
    expect(candidateOf(events.at(-1)!).groundingMetadata).toEqual(metadata);
  });

  it('a search that found nothing has no chunks or supports; searchEntryPoint can be left out', async () => {
    sim.script(PRO, MODEL, { kind: 'search', queries: ['zxqv'], results: [], searchEntryPoint: false });
    const reply = await generate(searchRequest('zxqv'));
    expect(visibleText([reply])).toBe('Search results for "zxqv": no results.');
    expect(candidateOf(reply).groundingMetadata).toEqual({ webSearchQueries: ['zxqv'] });
    expect(reply.response.usageMetadata?.toolUsePromptTokenCount).toBeUndefined();
  });

  it('default results come from the scripted query', async () => {
    sim.script(PRO, MODEL, { kind: 'search', queries: ['Rust 2027 edition'] });
    const metadata = candidateOf(await generate(searchRequest('anything'))).groundingMetadata;
    expect(metadata?.groundingChunks?.[0]?.web.uri).toMatch(/\/rust-2027-edition$/);
  });

  it('a scripted text outcome is an answer where the model chose not to search', async () => {
    sim.script(PRO, MODEL, { kind: 'text', text: 'No search needed.' });
    const reply = await generate(searchRequest('What is 2+2?'));
    expect(visibleText([reply])).toBe('No search needed.');
    expect(candidateOf(reply).groundingMetadata).toBeUndefined();
  });
});

describe('search tool validation (wire.md \u00a72.13 #6)', () => {
  it('refuses googleSearch mixed with function declarations', async () => {
    const res = await rpc(
      sim,
      token,
      'generateContent',
      generateBody(PROJECT, MODEL, {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        tools: [
          { googleSearch: {} },
          { functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT', properties: {} } }] },
        ],
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as RpcBody;
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toBe('Multiple tools are supported only when they are all search tools.');
  });

  it('refuses a googleSearch that is not an object', async () => {
    const res = await rpc(
      sim,
      token,
      'generateContent',
      generateBody(PROJECT, MODEL, {
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        tools: [{ googleSearch: true }],
      }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as RpcBody).error.message).toContain(
      "Invalid value at 'request.tools[0].google_search' (TYPE_MESSAGE), true",
    );
  });
});
