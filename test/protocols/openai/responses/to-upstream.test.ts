import { describe, expect, it } from 'vitest';
import { toUpstream, type UpstreamContext } from '../../../../src/protocols/openai/responses/to-upstream.ts';
import { SignatureBook } from '../../../../src/protocols/shared/signature-book.ts';
import { applyTargetRules, SIGNATURE_SENTINEL } from '../../../../src/protocols/target/target-rules.ts';
import { codexBody, FIRST_SIGNATURE, parse, PATCH, SECOND_SIGNATURE } from './request-fixtures.ts';

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };
const LIMITS = { maxOutputTokens: 64000, thinkingBudget: { min: 1024, max: 64000 } };

type Json = Record<string, unknown>;
type Part = Json & { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: Json };
type Content = { role: string; parts: Part[] };

function translate(body: Json, target = GEMINI, extra: Partial<UpstreamContext> = {}) {
  return toUpstream(parse(body), { target, signatures: new SignatureBook(), ...extra });
}

const contentsOf = (request: Json) => request.contents as Content[];
const systemOf = (request: Json) =>
  (request.systemInstruction as Content | undefined)?.parts.map((part) => part.text);
const declarationsOf = (request: Json) =>
  ((request.tools as Json[] | undefined)?.[0]?.functionDeclarations ?? []) as Json[];
const body = (input: unknown, extra: Json = {}): Json => ({ model: 'gemini-3-flash', input, ...extra });

describe("toUpstream: Codex CLI's request to a Gemini model", () => {
  const { request, toolNames, customTools, webSearch } = translate(codexBody(), GEMINI, { limits: LIMITS });

  it('instructions, then the developer message, make the system instruction', () => {
    expect((request.systemInstruction as Content).role).toBe('user');
    expect(systemOf(request)).toEqual([
      expect.stringMatching(/^You are Codex, a coding agent/),
      expect.stringMatching(/^<permissions instructions>/),
    ]);
  });

  it('the conversation alternates user and model; calls, outputs and the freeform patch in place', () => {
    const contents = contentsOf(request);
    expect(contents.map((content) => content.role)).toEqual([
      'user',
      'model',
      'user',
      'model',
      'user',
      'model',
      'user',
    ]);
    expect(contents[0]!.parts.map((part) => part.text)).toEqual([
      expect.stringMatching(/^# AGENTS\.md instructions/),
      expect.stringMatching(/^<environment_context>/),
      'Raise the retry count in src/app.ts to 3 and run the tests.',
    ]);
    expect(contents[1]!.parts).toEqual([
      {
        functionCall: {
          id: 'call_read_1',
          name: 'shell',
          args: { command: ['sed', '-n', '1,40p', 'src/app.ts'], workdir: '/home/dev/app' },
        },
      },
    ]);
    expect(contents[2]!.parts).toEqual([
      {
        functionResponse: {
          id: 'call_read_1',
          name: 'shell',
          response: { result: 'export function main() {\n  const retries = 1;\n}\n' },
        },
      },
    ]);
    expect(contents[3]!.parts).toEqual([
      { functionCall: { id: 'call_patch_2', name: 'apply_patch', args: { input: PATCH } } },
    ]);
    expect(contents[4]!.parts[0]).toMatchObject({
      functionResponse: { id: 'call_patch_2', name: 'apply_patch' },
    });
    expect(contents[5]!.parts).toEqual([
      { text: 'Patched. Running the tests now.' },
      { functionCall: { id: 'call_test_3', name: 'shell', args: { command: ['npm', 'test'] } } },
    ]);
    // The user's follow-up joins the turn of the last output; its image follows as an inline part.
    expect(contents[6]!.parts.map((part) => Object.keys(part)[0])).toEqual([
      'functionResponse',
      'text',
      'inlineData',
    ]);
    expect(contents[6]!.parts[2]).toEqual({
      inlineData: {
        mimeType: 'image/png',
        data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      },
    });
  });

  it('reasoning signed by no one this proxy knows is dropped: no thought parts, no signatures', () => {
    const parts = contentsOf(request).flatMap((content) => content.parts);
    expect(parts.some((part) => part.thought === true || part.thoughtSignature !== undefined)).toBe(false);
  });

  it('function tools win over web_search; apply_patch is one string parameter described with its grammar', () => {
    expect(webSearch).toBe(false);
    expect(request.tools).toHaveLength(1);
    expect(declarationsOf(request).map((declaration) => declaration.name)).toEqual([
      'shell',
      'update_plan',
      'apply_patch',
      'view_image',
    ]);
    const patch = declarationsOf(request)[2]!;
    expect(patch.description).toBe(
      'Use the `apply_patch` tool to edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.',
    );
    const parameters = patch.parameters as {
      properties: { input: { type: string; description: string } };
      required: string[];
    };
    expect(parameters.required).toEqual(['input']);
    expect(parameters.properties.input.type).toBe('string');
    expect(parameters.properties.input.description).toContain('Use the `apply_patch` tool to edit files.');
    expect(parameters.properties.input.description).toContain('The text must match this lark grammar:');
    expect(parameters.properties.input.description).toContain('start: begin_patch hunk+ end_patch');
    expect(customTools).toEqual(new Set(['apply_patch']));
    expect(toolNames.get('apply_patch')).toBe('apply_patch');
    expect(request.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('reasoning.effort medium is Gemini 3\u2019s medium level; the output may run to the model\u2019s cap', () => {
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 64000,
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'medium' },
    });
  });

  it('the target rules give each first call without a signature the sentinel', () => {
    const ruled = applyTargetRules(request, GEMINI);
    const models = contentsOf(ruled).filter((content) => content.role === 'model');
    for (const model of models) {
      expect(model.parts.find((part) => part.functionCall)?.thoughtSignature).toBe(SIGNATURE_SENTINEL);
    }
  });
});

describe('reasoning items and signatures', () => {
  it('Claude: reasoning this proxy relayed from Claude becomes a signed thought, its summary the thinking', () => {
    const book = new SignatureBook();
    book.recordThinking(FIRST_SIGNATURE, { family: 'claude', accountId: 'acct-1' });
    book.recordThinking(SECOND_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    const { request } = translate(codexBody(), CLAUDE, { signatures: book, limits: LIMITS });
    const contents = contentsOf(request);
    expect(contents[1]!.parts[0]).toEqual({
      text: 'I should look at src/app.ts first.',
      thought: true,
      thoughtSignature: FIRST_SIGNATURE,
    });
    // The Gemini-signed reasoning goes nowhere near Claude.
    expect(contents[3]!.parts).toEqual([
      { functionCall: { id: 'call_patch_2', name: 'apply_patch', args: { input: PATCH } } },
    ]);
    expect(request.generationConfig).toEqual({
      maxOutputTokens: 64000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 16384 },
    });
  });

  it('Claude with thinking: a tool loop whose last model turn lost its thinking is closed', () => {
    const { request } = translate(codexBody(), CLAUDE, { limits: LIMITS });
    const [summary, last] = contentsOf(request).slice(-2);
    expect(summary).toEqual({ role: 'model', parts: [{ text: '[Tool execution completed.]' }] });
    // The user's new message (text and image) stays the last word, after the synthetic turn.
    expect(last!.role).toBe('user');
    expect(last!.parts[0]).toEqual({ text: 'Thanks! Also show me the diff.' });
    expect(last!.parts.some((part) => part.inlineData)).toBe(true);
    expect(JSON.stringify(request)).not.toContain('[Continue]');
  });

  it('Gemini: a Gemini-signed reasoning item signs the first call of its turn; the call\u2019s own signature wins', () => {
    const book = new SignatureBook();
    book.recordThinking(FIRST_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    book.recordThinking(SECOND_SIGNATURE, { family: 'gemini', accountId: 'acct-1' });
    const callSignature = 'EqwCCqkCARFNMg9aSignatureOfThePatchCallRecordedByCallId';
    book.recordToolCall('call_patch_2', callSignature, { family: 'gemini', accountId: 'acct-1' }, 'thread-1');
    const { request } = translate(codexBody(), GEMINI, { signatures: book, sessionKey: 'thread-1' });
    const contents = contentsOf(request);
    expect(contents[1]!.parts).toEqual([
      {
        functionCall: expect.objectContaining({ id: 'call_read_1' }),
        thoughtSignature: FIRST_SIGNATURE,
      },
    ]);
    expect(contents[3]!.parts[0]!.thoughtSignature).toBe(callSignature);
    expect(contents.flatMap((content) => content.parts).some((part) => part.thought)).toBe(false);
  });

  it('a reasoning item carrying reasoning text replays that text', () => {
    const book = new SignatureBook();
    const signature = 'R'.repeat(80);
    book.recordThinking(signature, { family: 'claude', accountId: 'a' });
    const { request } = translate(
      body([
        { role: 'user', content: 'q' },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'short' }],
          content: [{ type: 'reasoning_text', text: 'the full thought' }],
          encrypted_content: signature,
        },
        { role: 'assistant', content: [{ type: 'output_text', text: 'a' }] },
      ]),
      CLAUDE,
      { signatures: book },
    );
    expect(contentsOf(request)[1]!.parts[0]).toEqual({
      text: 'the full thought',
      thought: true,
      thoughtSignature: signature,
    });
  });
});

describe('input forms', () => {
  it('a string input is one user turn', () => {
    expect(contentsOf(translate(body('Hello')).request)).toEqual([
      { role: 'user', parts: [{ text: 'Hello' }] },
    ]);
  });

  it('system and developer messages anywhere join the system instruction in order, after instructions', () => {
    const { request } = translate(
      body(
        [
          { role: 'system', content: 'S1' },
          { role: 'user', content: 'q' },
          { role: 'developer', content: [{ type: 'input_text', text: 'D2' }] },
          { role: 'assistant', content: 'a' },
        ],
        { instructions: 'I0' },
      ),
    );
    expect(systemOf(request)).toEqual(['I0', 'S1', 'D2']);
    expect(contentsOf(request).map((content) => content.role)).toEqual(['user', 'model']);
  });

  it('instructions as input items give their texts; other shapes say nothing', () => {
    const items = [{ role: 'developer', content: [{ type: 'input_text', text: 'from a prompt' }] }, 'plain'];
    expect(systemOf(translate(body('q', { instructions: items })).request)).toEqual([
      'from a prompt',
      'plain',
    ]);
    expect(translate(body('q', { instructions: { a: 1 } })).request.systemInstruction).toBeUndefined();
  });

  it('images and files: data URLs inline, other URLs as fileData, file ids dropped', () => {
    const { request } = translate(
      body([
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'https://example.com/cat.jpg' },
            { type: 'input_image', file_id: 'file-123' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
            { type: 'input_file', file_data: 'SGVsbG8=', filename: 'notes.txt' },
            { type: 'input_file', file_url: 'https://example.com/spec.pdf' },
            { type: 'input_file', file_id: 'file-456' },
          ],
        },
      ]),
    );
    expect(contentsOf(request)[0]!.parts).toEqual([
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { inlineData: { mimeType: 'text/plain', data: 'SGVsbG8=' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/spec.pdf' } },
    ]);
  });

  it('arguments that are not a JSON object are kept whole under params; a tool output list gives text and media', () => {
    const { request } = translate(
      body([
        { role: 'user', content: 'q' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: 'not json' },
        { type: 'function_call', call_id: 'c2', name: 'f', arguments: '' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'line 1' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
            { type: 'input_text', text: 'line 2' },
          ],
        },
        { type: 'function_call_output', call_id: 'c2', output: '' },
      ]),
    );
    const [, model, user] = contentsOf(request);
    expect(model!.parts.map((part) => part.functionCall?.args)).toEqual([{ params: 'not json' }, {}]);
    expect(user!.parts).toEqual([
      { functionResponse: { id: 'c1', name: 'f', response: { result: 'line 1\nline 2' } } },
      { functionResponse: { id: 'c2', name: 'f', response: { result: '' } } },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
    ]);
  });

  it('an output whose call is not in the history still gets a name', () => {
    const { request } = translate(
      body([{ type: 'custom_tool_call_output', call_id: 'apply_patch-7', output: 'ok' }]),
    );
    expect(contentsOf(request)[0]!.parts[0]).toEqual({
      functionResponse: { id: 'apply_patch-7', name: 'apply_patch', response: { result: 'ok' } },
    });
  });

  it('tool names Gemini refuses are sanitised, and the answer side learns the way back', () => {
    const { request, toolNames } = translate(
      body('q', { tools: [{ type: 'function', name: 'mcp.fs.read file', parameters: { type: 'object' } }] }),
    );
    expect(declarationsOf(request)[0]!.name).toBe('mcp_fs_read_file');
    expect(toolNames.get('mcp_fs_read_file')).toBe('mcp.fs.read file');
  });
});

describe('tools and tool_choice', () => {
  const fn = (name: string) => ({ type: 'function', name, parameters: { type: 'object', properties: {} } });

  it('web_search alone becomes googleSearch', () => {
    const result = translate(body('news?', { tools: [{ type: 'web_search_preview' }] }));
    expect(result.request.tools).toEqual([{ googleSearch: {} }]);
    expect(result.webSearch).toBe(true);
    expect(result.request.toolConfig).toBeUndefined();
  });

  it('hosted tools nothing here can run are dropped', () => {
    const result = translate(
      body('q', { tools: [{ type: 'file_search', vector_store_ids: ['vs'] }, { type: 'code_interpreter' }] }),
    );
    expect(result.request.tools).toBeUndefined();
  });

  it('a function without parameters gets an empty object schema; a custom tool without format a plain text input', () => {
    const { request } = translate(
      body('q', {
        tools: [
          { type: 'function', name: 'ping' },
          { type: 'custom', name: 'note', description: 'Write a note.' },
        ],
      }),
    );
    expect(declarationsOf(request)).toEqual([
      { name: 'ping', parameters: { type: 'object', properties: {} } },
      {
        name: 'note',
        description: 'Write a note.',
        parameters: {
          type: 'object',
          properties: {
            input: {
              type: 'string',
              description:
                'Write a note.\n\nPass the raw text as the `input` string. It is used verbatim: no JSON, no code fences, no extra escaping.',
            },
          },
          required: ['input'],
        },
      },
    ]);
  });

  it.each([
    ['none', { mode: 'NONE' }],
    ['auto', { mode: 'AUTO' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', name: 'b' },
      { mode: 'ANY', allowedFunctionNames: ['b'] },
    ],
    [
      { type: 'custom', name: 'a' },
      { mode: 'ANY', allowedFunctionNames: ['a'] },
    ],
    [
      {
        type: 'allowed_tools',
        mode: 'required',
        tools: [{ type: 'function', name: 'a' }, { type: 'web_search' }],
      },
      { mode: 'ANY', allowedFunctionNames: ['a'] },
    ],
    [{ type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'a' }] }, { mode: 'AUTO' }],
    [{ type: 'web_search_preview' }, { mode: 'AUTO' }],
  ])('tool_choice %j', (choice, expected) => {
    const { request } = translate(body('q', { tools: [fn('a'), fn('b')], tool_choice: choice }));
    expect(request.toolConfig).toEqual({ functionCallingConfig: expected });
  });

  it('Claude: tool_choice none is an instruction (the target rules force VALIDATED)', () => {
    const { request } = translate(body('q', { tools: [fn('a')], tool_choice: 'none' }), CLAUDE);
    expect(systemOf(request)).toEqual(['Do not call any tool in this response; answer with text only.']);
  });
});

describe('generation settings', () => {
  it('max_output_tokens, temperature and top_p', () => {
    const { request } = translate(
      body('q', { max_output_tokens: 500, temperature: 0.3, top_p: 0.9 }),
      GEMINI,
      { limits: LIMITS },
    );
    expect(request.generationConfig).toEqual({ maxOutputTokens: 500, temperature: 0.3, topP: 0.9 });
  });

  it('text.format json_schema sends the schema; json_object the MIME type only', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect(
      translate(body('q', { text: { format: { type: 'json_schema', name: 'r', schema } } })).request
        .generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
    expect(
      translate(body('q', { text: { format: { type: 'json_object' } } })).request.generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it.each([
    ['none', GEMINI, undefined],
    ['minimal', GEMINI, { includeThoughts: true, thinkingLevel: 'low' }],
    ['xhigh', GEMINI, { includeThoughts: true, thinkingLevel: 'high' }],
    [
      'high',
      { model: 'gemini-2.5-flash', family: 'gemini' as const },
      { includeThoughts: true, thinkingBudget: 24576 },
    ],
    ['high', CLAUDE, { includeThoughts: true, thinkingBudget: 32000 }],
  ])('reasoning.effort %s on %j', (effort, target, thinking) => {
    const config = translate(body('q', { reasoning: { effort } }), target).request.generationConfig as
      Json | undefined;
    expect(config?.thinkingConfig).toEqual(thinking);
  });

  it('Claude thinking without any output cap leaves room for the answer', () => {
    const config = translate(body('q', { reasoning: { effort: 'low' } }), CLAUDE).request.generationConfig;
    expect(config).toEqual({
      maxOutputTokens: 4096 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
    });
  });

  it('Claude thinking keeps maxOutputTokens above the budget', () => {
    const config = translate(body('q', { reasoning: { effort: 'high' }, max_output_tokens: 1000 }), CLAUDE, {
      limits: LIMITS,
    }).request.generationConfig as Json;
    const thinking = config.thinkingConfig as { thinkingBudget: number };
    expect(config.maxOutputTokens as number).toBeGreaterThan(thinking.thinkingBudget);
  });
});

describe('toUpstream is cheap on a long Codex history', () => {
  it('translates 600 tool-loop items quickly', () => {
    const long = codexBody();
    const items = long.input as Json[];
    for (let i = 0; i < 200; i++) {
      items.push(
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: `step ${i}` }],
          encrypted_content: 'E'.repeat(400),
        },
        {
          type: 'function_call',
          name: 'shell',
          arguments: `{"command":["cat","f${i}"]}`,
          call_id: `call_${i}`,
        },
        { type: 'function_call_output', call_id: `call_${i}`, output: 'x'.repeat(5000) },
      );
    }
    const request = parse(long);
    toUpstream(request, { target: GEMINI, signatures: new SignatureBook() });
    const started = performance.now();
    const { request: upstream } = toUpstream(request, { target: GEMINI, signatures: new SignatureBook() });
    expect(performance.now() - started).toBeLessThan(50);
    expect(contentsOf(upstream).length).toBeGreaterThan(400);
  });
});
