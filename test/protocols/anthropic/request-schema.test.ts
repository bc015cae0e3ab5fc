import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessagesBody } from '../../../src/protocols/anthropic/request-schema.ts';
import { claudeCodeRequest } from './request-fixtures.ts';

const base = () => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello' }] as unknown[],
});

function failure(body: unknown, kind: 'messages' | 'count_tokens' = 'messages') {
  const result = parseMessagesBody(body, kind);
  if (result.ok) throw new Error(`expected a failure for ${JSON.stringify(body)}`);
  return result;
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe('parseMessagesBody: what clients send', () => {
  it("accepts Claude Code's request and leaves out what the translation does not read", () => {
    const result = parseMessagesBody(claudeCodeRequest(), 'messages');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.model).toBe('claude-sonnet-4-6');
    expect(result.request.thinking).toEqual({ type: 'adaptive' });
    expect(result.request.output_config?.effort).toBe('high');
    expect(result.request.tools?.[0]?.input_schema?.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const keys = keysOf(result.request);
    expect(keys).not.toContain('cache_control');
    expect(keys).not.toContain('context_management');
  });

  it('ignores unknown top-level fields and betas', () => {
    const body = {
      ...base(),
      service_tier: 'auto',
      container: 'container_01',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }],
      cache_control: { type: 'ephemeral' },
      inference_geo: 'us',
      some_future_field: { nested: [1, 2, 3] },
    };
    const result = parseMessagesBody(body, 'messages');
    expect(result).toEqual({ ok: true, request: base() });
  });

  it('passes tool inputs and schemas on as written, not copied', () => {
    const body = JSON.parse(
      '{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":{"__proto__":{"x":1},"k":2}}]}]}',
    ) as { messages: Array<{ content: Array<{ input: object }> }> };
    const result = parseMessagesBody(body, 'messages');
    if (!result.ok) throw new Error(result.message);
    const block = result.request.messages[0]!.content[0] as { input: object };
    expect(block.input).toBe(body.messages[0]!.content[0]!.input);
    expect(JSON.stringify(block.input)).toBe('{"__proto__":{"x":1},"k":2}');
  });

  it('takes null as "not set" for optional fields', () => {
    const body = {
      ...base(),
      system: null,
      tools: null,
      tool_choice: null,
      thinking: null,
      temperature: null,
    };
    expect(parseMessagesBody(body, 'messages').ok).toBe(true);
  });

  it('accepts every block type of the Messages API', () => {
    const png = { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' };
    const body = {
      ...base(),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look', citations: null },
            { type: 'image', source: png },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'notes' },
              title: 'n',
            },
            {
              type: 'search_result',
              source: 'https://x',
              title: 't',
              content: [{ type: 'text', text: 'r' }],
            },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'redacted_thinking', data: 'EmwKAhgB' },
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
            {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_1',
              content: [
                { type: 'web_search_result', url: 'https://x', title: 'X', encrypted_content: 'abc' },
              ],
            },
            { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'image', source: png }],
              is_error: false,
            },
          ],
        },
      ],
      tools: [
        { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
        { type: 'bash_20250124', name: 'bash' },
        { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
        { type: 'custom', name: 'x', input_schema: { type: 'object' } },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      top_p: 0.9,
      top_k: 40,
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    };
    expect(parseMessagesBody(body, 'messages').ok).toBe(true);
  });

  it('count_tokens needs no max_tokens and ignores one that is sent', () => {
    const { max_tokens: _drop, ...body } = base();
    const result = parseMessagesBody(body, 'count_tokens');
    expect(result.ok).toBe(true);
    const withMax = parseMessagesBody({ ...base(), max_tokens: 'whatever', stream: true }, 'count_tokens');
    expect(withMax).toEqual({ ok: true, request: body });
  });
});

describe('parseMessagesBody: invalid bodies name the field, never throw', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [1, 2], 'Input should be a valid dictionary or object to extract fields from'],
    ['no messages', { model: 'm', max_tokens: 5 }, 'messages: Field required'],
    ['no model', { max_tokens: 5, messages: [] }, 'model: Field required'],
    [
      'no max_tokens',
      { model: 'm', messages: [{ role: 'user', content: 'x' }] },
      'max_tokens: Field required',
    ],
    [
      'empty messages',
      { ...base(), messages: [] },
      'messages: List should have at least 1 item after validation, not 0',
    ],
    ['max_tokens 0', { ...base(), max_tokens: 0 }, 'max_tokens: Input should be greater than or equal to 1'],
    ['max_tokens float', { ...base(), max_tokens: 1.5 }, 'max_tokens: Input should be a valid integer'],
    ['model number', { ...base(), model: 7 }, 'model: Input should be a valid string'],
    [
      'bad role',
      { ...base(), messages: [{ role: 'bot', content: 'x' }] },
      "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    ],
    [
      'content number',
      { ...base(), messages: [{ role: 'user', content: 5 }] },
      'messages.0.content: Input should be a valid string or a valid list',
    ],
    [
      'unknown block type',
      { ...base(), messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'video' }] }] },
      "messages.0.content.1.type: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image'",
    ],
    [
      'block without type',
      { ...base(), messages: [{ role: 'user', content: [{ text: 'a' }] }] },
      "messages.0.content.0.type: Unable to extract tag using discriminator 'type'",
    ],
    [
      'text block without text',
      { ...base(), messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      'messages.0.content.0.text: Field required',
    ],
    [
      'image source type',
      {
        ...base(),
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'path', path: '/a.png' } }] }],
      },
      "messages.0.content.0.source.type: Input tag 'path' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'",
    ],
    [
      'image inside a tool result',
      {
        ...base(),
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't',
                content: [{ type: 'image', source: { type: 'base64', data: 'x' } }],
              },
            ],
          },
        ],
      },
      'messages.0.content.0.content.0.source.media_type: Field required',
    ],
    [
      'tool_use input not an object',
      {
        ...base(),
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input: 'x' }] }],
      },
      'messages.0.content.0.input: Input should be a valid dictionary or object to extract fields from',
    ],
    [
      'custom tool without schema',
      { ...base(), tools: [{ name: 'x' }] },
      'tools.0.input_schema: Field required',
    ],
    [
      'unknown tool type',
      { ...base(), tools: [{ type: 'hologram', name: 'x' }] },
      "tools.0.type: Input tag 'hologram' found using 'type' does not match any of the expected tags",
    ],
    [
      'tool_choice tool without name',
      { ...base(), tool_choice: { type: 'tool' } },
      'tool_choice.name: Field required',
    ],
    [
      'thinking without budget',
      { ...base(), thinking: { type: 'enabled' } },
      'thinking.budget_tokens: Field required',
    ],
    [
      'effort',
      { ...base(), output_config: { effort: 'extreme' } },
      "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'",
    ],
    ['temperature string', { ...base(), temperature: '1' }, 'temperature: Input should be a valid number'],
    ['system number', { ...base(), system: 3 }, 'system: Input should be a valid string or a valid list'],
    ['stop_sequences', { ...base(), stop_sequences: 'END' }, 'stop_sequences: Input should be a valid list'],
    ['metadata', { ...base(), metadata: { user_id: 5 } }, 'metadata.user_id: Input should be a valid string'],
  ];

  it.each(cases)('%s', (_name, body, message) => {
    const result = failure(body);
    expect(result.message.startsWith(message)).toBe(true);
    if (result.param !== undefined) expect(message.startsWith(`${result.param}:`)).toBe(true);
  });

  it('refuses free-form JSON nested deeper than 64 levels', () => {
    let input: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 70; level++) input = { next: input };
    const body = {
      ...base(),
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'b', input }] }],
    };
    expect(failure(body).message).toBe('messages.0.content.0.input: Input nests deeper than 64 levels');
  });

  it('never throws on arbitrary JSON', () => {
    const block = fc.oneof(
      fc.record({
        type: fc.constantFrom('text', 'image', 'tool_use', 'tool_result', 'thinking'),
        text: fc.anything(),
      }),
      fc.anything(),
    );
    const body = fc.record(
      {
        model: fc.oneof(fc.string(), fc.anything()),
        max_tokens: fc.oneof(fc.integer(), fc.anything()),
        messages: fc.oneof(
          fc.array(
            fc.record({
              role: fc.constantFrom('user', 'assistant', 'x'),
              content: fc.oneof(fc.string(), fc.array(block)),
            }),
          ),
          fc.anything(),
        ),
        tools: fc.anything(),
        thinking: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, fc.anything()), (value) => {
        const result = parseMessagesBody(value, 'messages');
        if (!result.ok) expect(typeof result.message).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseMessagesBody: cost', () => {
  /** A long Claude Code session: thinking, text and a tool call per turn, each answered. */
  function conversation(turns: number, resultChars: number): Record<string, unknown> {
    const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: 'fix the bug' }] }];
    for (let turn = 0; turn < turns; turn++) {
      messages.push({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Looking at the next file. '.repeat(4), signature: 'R'.repeat(300) },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: `toolu_${turn}`, name: 'Read', input: { file_path: `/src/f${turn}.ts` } },
        ],
      });
      messages.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: `toolu_${turn}`,
            content: [{ type: 'text', text: 'x'.repeat(resultChars), cache_control: { type: 'ephemeral' } }],
          },
        ],
      });
    }
    return { ...claudeCodeRequest(), messages };
  }

  it('validates a 1 MB conversation in a few milliseconds', () => {
    for (const [turns, chars] of [
      [250, 3500],
      [1100, 300],
    ] as const) {
      const body = conversation(turns, chars);
      expect(JSON.stringify(body).length).toBeGreaterThan(900_000);
      for (let i = 0; i < 5; i++) parseMessagesBody(body, 'messages');
      const times: number[] = [];
      for (let i = 0; i < 21; i++) {
        const start = performance.now();
        expect(parseMessagesBody(body, 'messages').ok).toBe(true);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      // Measured about 0.3 ms (large results) and 1.5 ms (2,200 small turns); the bound allows a busy machine.
      expect(times[10]).toBeLessThan(50);
    }
  });
});
