import { describe, expect, it } from 'vitest';
import { parseMessagesBody, type MessagesRequest } from '../../../src/protocols/anthropic/request-schema.ts';
import { toUpstream, type UpstreamContext } from '../../../src/protocols/anthropic/to-upstream.ts';
import { SignatureBook } from '../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules } from '../../../src/protocols/target/target-rules.ts';
import { BILLING, claudeCodeRequest } from './request-fixtures.ts';

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
const CLAUDE_LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

type Json = Record<string, unknown>;
type Part = Json & { text?: string; functionCall?: Json; functionResponse?: Json; inlineData?: Json };
type Content = { role: string; parts: Part[] };

function parse(body: Json): MessagesRequest {
  const result = parseMessagesBody(body, 'messages');
  if (!result.ok) throw new Error(result.message);
  return result.request;
}

function translate(body: Json, target = CLAUDE, extra: Partial<UpstreamContext> = {}) {
  return toUpstream(parse(body), { target, signatures: new SignatureBook(), ...extra });
}

const contentsOf = (request: Json) => request.contents as Content[];
const declarationsOf = (request: Json) =>
  ((request.tools as Json[] | undefined)?.[0]?.functionDeclarations ?? []) as Json[];

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

const body = (messages: unknown[], extra: Json = {}): Json => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 4096,
  messages,
  ...extra,
});

describe("toUpstream: Claude Code's request (wire.md §4.8)", () => {
  const { request, toolNames, webSearch } = translate(claudeCodeRequest(), CLAUDE, { limits: CLAUDE_LIMITS });

  it('keeps every system block, billing line included, as one part each', () => {
    const system = request.systemInstruction as Content;
    expect(system.role).toBe('user');
    expect(system.parts.map((part) => part.text)).toEqual([
      BILLING,
      "You are Claude Code, Anthropic's official CLI for Claude.",
      expect.stringContaining('interactive CLI tool'),
    ]);
  });

  it('sends the user turn as it is, reminder included, without cache_control anywhere', () => {
    expect(contentsOf(request)).toEqual([
      {
        role: 'user',
        parts: [
          { text: expect.stringContaining('<system-reminder>') },
          { text: 'fix the bug in src/parse.ts' },
        ],
      },
    ]);
    expect(keysOf(request)).not.toContain('cache_control');
    expect(JSON.stringify(request)).not.toContain('context_management');
  });

  it('declares the tools with their schemas as given (the target rules clean them)', () => {
    const declarations = declarationsOf(request);
    expect(declarations.map((item) => item.name)).toEqual(['Bash', 'mcp__github__create_issue']);
    expect((declarations[0]!.parameters as Json).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(request.toolConfig).toBeUndefined();
    expect(toolNames.get('Bash')).toBe('Bash');
    expect(webSearch).toBe(false);
  });

  it('turns adaptive thinking at high effort into a 32000 budget with room to answer', () => {
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 40192,
      temperature: 1,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 32000 },
    });
  });

  it('passes the target rules into what Claude through v1internal accepts', () => {
    const final = applyTargetRules(request, CLAUDE);
    expect(final.toolConfig).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    expect(keysOf(final.tools)).not.toContain('$schema');
    expect(keysOf(final.tools)).not.toContain('additionalProperties');
  });
});

describe('toUpstream: system prompt', () => {
  it("rewrites the Agent SDK's exact identity block to Claude Code's (wire.md §6.8 #44)", () => {
    const { request } = translate(
      body([{ role: 'user', content: 'hi' }], {
        system: [
          { type: 'text', text: "You are a Claude agent, built on Anthropic's Claude Agent SDK." },
          { type: 'text', text: "You are a Claude agent, built on Anthropic's Claude Agent SDK. Be brief." },
        ],
      }),
    );
    expect((request.systemInstruction as Content).parts).toEqual([
      { text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { text: "You are a Claude agent, built on Anthropic's Claude Agent SDK. Be brief." },
    ]);
  });

  it('moves role:"system" messages into the system instruction (wire.md §6.8 #2)', () => {
    const { request } = translate(
      body(
        [
          { role: 'system', content: 'Answer in French.' },
          { role: 'user', content: 'hello' },
          { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
        ],
        { system: 'You are helpful.' },
      ),
      GEMINI,
    );
    expect((request.systemInstruction as Content).parts).toEqual([
      { text: 'You are helpful.' },
      { text: 'Answer in French.' },
      { text: 'Be terse.' },
    ]);
    expect(contentsOf(request)).toEqual([{ role: 'user', parts: [{ text: 'hello' }] }]);
  });

  it('sends no system instruction for an empty or missing system prompt', () => {
    expect(
      translate(body([{ role: 'user', content: 'x' }], { system: '  ' })).request.systemInstruction,
    ).toBeUndefined();
    expect(translate(body([{ role: 'user', content: 'x' }])).request.systemInstruction).toBeUndefined();
  });
});

describe('toUpstream: roles and turns', () => {
  it('merges consecutive turns of one role and maps assistant to model', () => {
    const { request } = translate(
      body([
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: 'three' },
        { role: 'assistant', content: [{ type: 'text', text: 'four' }] },
        { role: 'user', content: 'five' },
      ]),
    );
    expect(contentsOf(request)).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'three' }, { text: 'four' }] },
      { role: 'user', parts: [{ text: 'five' }] },
    ]);
  });

  it('skips empty and (for Claude) whitespace-only text, and the turns left empty', () => {
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'question' },
          { type: 'text', text: '  \n' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: '' }] },
      { role: 'user', content: 'more' },
    ];
    expect(contentsOf(translate(body(messages)).request)).toEqual([
      { role: 'user', parts: [{ text: 'question' }, { text: 'more' }] },
    ]);
    expect(contentsOf(translate(body(messages), GEMINI).request)).toEqual([
      { role: 'user', parts: [{ text: 'question' }, { text: '  \n' }, { text: 'more' }] },
    ]);
  });

  it('opens with a user turn for Gemini targets only (wire.md §6.8 #19)', () => {
    const messages = [
      { role: 'assistant', content: 'Hi, how can I help?' },
      { role: 'user', content: 'hello' },
    ];
    expect(contentsOf(translate(body(messages), GEMINI).request)[0]).toEqual({
      role: 'user',
      parts: [{ text: '.' }],
    });
    expect(contentsOf(translate(body(messages), CLAUDE).request)[0]!.role).toBe('model');
  });
});

describe('toUpstream: media', () => {
  const png = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' };

  it('inlines base64 images and PDFs, passes URLs as fileData with a guessed type', () => {
    const { request } = translate(
      body([
        {
          role: 'user',
          content: [
            { type: 'image', source: png },
            { type: 'image', source: { type: 'url', url: 'https://example.com/shot.JPG?x=1' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/render' } },
            { type: 'image', source: { type: 'url', url: 'data:image/webp;base64,UklGRg==' } },
            { type: 'image', source: { type: 'file', file_id: 'file_011' } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
            { type: 'text', text: 'what is in these?' },
          ],
        },
      ]),
    );
    expect(contentsOf(request)[0]!.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: png.data } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/shot.JPG?x=1' } },
      { fileData: { mimeType: 'image/*', fileUri: 'https://example.com/render' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } },
      { text: 'plain notes' },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/paper.pdf' } },
      { text: 'what is in these?' },
    ]);
  });

  it('puts images of tool results after all the function responses of the turn (wire.md §6.8 #16)', () => {
    const { request } = translate(
      body([
        { role: 'user', content: 'look at both screenshots' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_a', name: 'Read', input: { file_path: 'a.png' } },
            { type: 'tool_use', id: 'toolu_b', name: 'Read', input: { file_path: 'b.png' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_a', content: [{ type: 'image', source: png }] },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_b',
              content: [
                { type: 'text', text: 'b.png (1 KB)' },
                { type: 'image', source: { ...png, media_type: 'image/jpeg' } },
              ],
            },
            { type: 'text', text: '<system-reminder>Screenshots attached.</system-reminder>' },
          ],
        },
      ]),
    );
    expect(contentsOf(request)[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'toolu_a', name: 'Read', response: { result: '' } } },
        { functionResponse: { id: 'toolu_b', name: 'Read', response: { result: 'b.png (1 KB)' } } },
        { inlineData: { mimeType: 'image/png', data: png.data } },
        { inlineData: { mimeType: 'image/jpeg', data: png.data } },
        { text: '<system-reminder>Screenshots attached.</system-reminder>' },
      ],
    });
  });
});

describe('toUpstream: generation settings', () => {
  it('maps sampling, stop sequences and JSON output', () => {
    const { request } = translate(
      body([{ role: 'user', content: 'x' }], {
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        output_config: {
          format: { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      }),
      GEMINI,
    );
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 4096,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } },
    });
  });

  it('caps maxOutputTokens at the model limit', () => {
    const { request } = translate(body([{ role: 'user', content: 'x' }], { max_tokens: 200000 }), GEMINI, {
      limits: { maxOutputTokens: 65536 },
    });
    expect(request.generationConfig).toEqual({ maxOutputTokens: 65536 });
  });
});
