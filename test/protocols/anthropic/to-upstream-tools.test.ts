import { describe, expect, it } from 'vitest';
import { parseMessagesBody, type MessagesRequest } from '../../../src/protocols/anthropic/request-schema.ts';
import {
  NO_TOOLS_INSTRUCTION,
  toUpstream,
  type UpstreamContext,
} from '../../../src/protocols/anthropic/to-upstream.ts';
import { SignatureBook } from '../../../src/protocols/shared/signature-book.ts';

const CLAUDE: UpstreamContext['target'] = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: UpstreamContext['target'] = { model: 'gemini-3-flash', family: 'gemini' };

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

const body = (messages: unknown[], extra: Json = {}): Json => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 4096,
  messages,
  ...extra,
});

describe('toUpstream: tool calls and results', () => {
  it('maps tool_use and tool_result, errors as {error}, unknown ids to a name from the id (wire.md §6.8 #17)', () => {
    const { request } = translate(
      body([
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'here you are' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'command not found', is_error: true },
            { type: 'tool_result', tool_use_id: 'get_weather-7', content: '{"temp":18}' },
            { type: 'tool_result', tool_use_id: 'toolu_gone' },
          ],
        },
      ]),
    );
    const contents = contentsOf(request);
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { id: 'toolu_1', name: 'Bash', args: { command: 'ls' } } }],
    });
    expect(contents[2]!.parts).toEqual([
      { functionResponse: { id: 'toolu_1', name: 'Bash', response: { error: 'command not found' } } },
      { functionResponse: { id: 'get_weather-7', name: 'get_weather', response: { result: '{"temp":18}' } } },
      { functionResponse: { id: 'toolu_gone', name: 'toolu_gone', response: { result: '' } } },
      { text: 'here you are' },
    ]);
  });

  it('sanitises tool names, keeps them unique, and maps them back', () => {
    const long = `mcp__server__${'x'.repeat(80)}`;
    const { request, toolNames } = translate(
      body(
        [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'files.read', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
        ],
        {
          tools: [
            { name: 'files.read', input_schema: { type: 'object' } },
            { name: 'files_read', input_schema: { type: 'object' } },
            { name: 'mcp:search web', input_schema: { type: 'object' } },
            { name: long, input_schema: { type: 'object' } },
            { name: '3d-render', input_schema: { type: 'object' } },
          ],
          tool_choice: { type: 'tool', name: 'mcp:search web' },
        },
      ),
    );
    const names = declarationsOf(request).map((item) => item.name as string);
    expect(names).toEqual(['files_read', 'files_read_2', 'mcp_search_web', long.slice(0, 64), '_3d-render']);
    expect(names.every((name) => /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/.test(name))).toBe(true);
    expect(toolNames.get('files_read')).toBe('files.read');
    expect(toolNames.get('files_read_2')).toBe('files_read');
    expect(toolNames.get('mcp_search_web')).toBe('mcp:search web');
    expect(toolNames.get(long.slice(0, 64))).toBe(long);
    const contents = contentsOf(request);
    expect(contents[1]!.parts[0]!.functionCall!.name).toBe('files_read');
    expect(contents[2]!.parts[0]!.functionResponse!.name).toBe('files_read');
    expect(request.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['mcp_search_web'] },
    });
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'any', disable_parallel_tool_use: true }, { mode: 'ANY' }],
    [{ type: 'none' }, { mode: 'NONE' }],
    [
      { type: 'tool', name: 'Read' },
      { mode: 'ANY', allowedFunctionNames: ['Read'] },
    ],
  ])('tool_choice %j → %j', (choice, config) => {
    const tools = [{ name: 'Read', input_schema: { type: 'object', properties: {} } }];
    const { request } = translate(
      body([{ role: 'user', content: 'x' }], { tools, tool_choice: choice }),
      GEMINI,
    );
    expect(request.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('honours tool_choice none on Claude (whose only mode is VALIDATED) with an instruction', () => {
    const tools = [{ name: 'Read', input_schema: { type: 'object' } }];
    const { request } = translate(
      body([{ role: 'user', content: 'x' }], { tools, tool_choice: { type: 'none' } }),
    );
    expect((request.systemInstruction as Content).parts.at(-1)).toEqual({ text: NO_TOOLS_INSTRUCTION });
    const gemini = translate(
      body([{ role: 'user', content: 'x' }], { tools, tool_choice: { type: 'none' } }),
      GEMINI,
    );
    expect(gemini.request.systemInstruction).toBeUndefined();
  });

  it('sends web search alone as googleSearch (wire.md §2.13 #6)', () => {
    const { request, webSearch } = translate(
      body([{ role: 'user', content: 'news about Node 24?' }], {
        tools: [
          { name: 'Read', input_schema: { type: 'object' } },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
        ],
        tool_choice: { type: 'auto' },
      }),
      GEMINI,
    );
    expect(webSearch).toBe(true);
    expect(request.tools).toEqual([{ googleSearch: {} }]);
    expect(request.toolConfig).toBeUndefined();
  });

  it('declares bash and the text editor with Anthropic-like schemas, drops server-run and computer tools', () => {
    const { request, toolNames } = translate(
      body([{ role: 'user', content: 'x' }], {
        tools: [
          { type: 'bash_20250124', name: 'bash' },
          { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
          { type: 'computer_20250124', name: 'computer', display_width_px: 1024, display_height_px: 768 },
          { type: 'web_fetch_20250910', name: 'web_fetch' },
          { type: 'code_execution_20250825', name: 'code_execution' },
        ],
      }),
    );
    const declarations = declarationsOf(request);
    expect(declarations.map((item) => item.name)).toEqual(['bash', 'str_replace_based_edit_tool']);
    expect(declarations[0]!.parameters).toMatchObject({
      type: 'object',
      properties: { command: { type: 'string' } },
    });
    expect(declarations[1]!.parameters).toMatchObject({ required: ['command', 'path'] });
    expect([...toolNames.keys()]).toEqual(['bash', 'str_replace_based_edit_tool']);
  });
});
