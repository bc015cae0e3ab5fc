import { describe, expect, it } from 'vitest';
import {
  includesEncryptedReasoning,
  parseResponsesBody,
} from '../../../../src/protocols/openai/responses/request-schema.ts';
import { codexBody, parse } from './request-fixtures.ts';

type Json = Record<string, unknown>;

const minimal = (extra: Json = {}): Json => ({ model: 'gemini-3-flash', input: 'hi', ...extra });

function refusal(body: unknown) {
  const result = parseResponsesBody(body);
  if (result.ok) throw new Error('accepted');
  return { message: result.message, param: result.param };
}

describe("parseResponsesBody: Codex CLI's request", () => {
  const request = parse(codexBody());

  it('keeps every item this proxy acts on and drops the kinds it does not know (ghost_snapshot)', () => {
    expect(Array.isArray(request.input) && request.input.map((item) => item.type ?? 'message')).toEqual([
      'message',
      'message',
      'message',
      'message',
      'reasoning',
      'function_call',
      'function_call_output',
      'reasoning',
      'custom_tool_call',
      'custom_tool_call_output',
      'message',
      'function_call',
      'function_call_output',
      'message',
    ]);
  });

  it('reads the settings Codex sends; fields it does not read are left out', () => {
    expect(request).toMatchObject({
      model: 'gemini-3-flash',
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: '019a7c3e-5b2d-7f10-9c4e-2a6b8d1f3e57',
      text: { verbosity: 'medium' },
    });
    expect(includesEncryptedReasoning(request)).toBe(true);
    expect(request.tools?.map((tool) => [tool.type, 'name' in tool ? tool.name : undefined])).toEqual([
      ['function', 'shell'],
      ['function', 'update_plan'],
      ['custom', 'apply_patch'],
      ['web_search', undefined],
      ['function', 'view_image'],
    ]);
    expect(request.tools?.[0]).not.toHaveProperty('strict');
    expect(request.tools?.[3]).toEqual({ type: 'web_search' });
  });

  it('a message without `type` is a message; unknown content parts are dropped; null is "not set"', () => {
    const parsed = parse(
      minimal({
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'a' },
              { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } },
            ],
          },
        ],
        temperature: null,
        tools: null,
        reasoning: { effort: null },
      }),
    );
    expect(parsed.input).toEqual([{ role: 'user', content: [{ type: 'input_text', text: 'a' }] }]);
    expect(includesEncryptedReasoning(parsed)).toBe(false);
  });

  it('instructions are never refused, whatever their shape', () => {
    for (const instructions of ['text', null, 3, { a: 1 }, [{ role: 'developer', content: 'x' }]]) {
      expect(parseResponsesBody(minimal({ instructions })).ok).toBe(true);
    }
  });
});

describe('parseResponsesBody: invalid bodies, in OpenAI\u2019s words, naming the param', () => {
  it.each([
    [
      'a body that is not an object',
      [],
      { message: 'Invalid body: expected a JSON object.', param: undefined },
    ],
    ['no model', { input: 'x' }, { message: "Missing required parameter: 'model'.", param: 'model' }],
    ['no input', { model: 'm' }, { message: "Missing required parameter: 'input'.", param: 'input' }],
    [
      'input that is an object',
      minimal({ input: { role: 'user' } }),
      {
        message: "Invalid type for 'input': expected one of a string or an array, but got an object instead.",
        param: 'input',
      },
    ],
    [
      'an item that is not an object',
      minimal({ input: ['hi'] }),
      {
        message: "Invalid type for 'input[0]': expected an object, but got a string instead.",
        param: 'input[0]',
      },
    ],
    [
      'a message without a role',
      minimal({ input: [{ content: 'x' }] }),
      { message: "Missing required parameter: 'input[0].role'.", param: 'input[0].role' },
    ],
    [
      'an unknown role',
      minimal({ input: [{ type: 'message', role: 'robot', content: 'x' }] }),
      {
        message:
          "Invalid value: 'robot'. Supported values are: 'user', 'assistant', 'system', and 'developer'.",
        param: 'input[0].role',
      },
    ],
    [
      'a call id that is a number',
      minimal({ input: [{ type: 'function_call_output', call_id: 7, output: 'ok' }] }),
      {
        message: "Invalid type for 'input[0].call_id': expected a string, but got an integer instead.",
        param: 'input[0].call_id',
      },
    ],
    [
      'a content part with a bad field',
      minimal({
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'a' },
              { type: 'input_image', image_url: 5 },
            ],
          },
        ],
      }),
      {
        message:
          "Invalid type for 'input[0].content[1].image_url': expected a string, but got an integer instead.",
        param: 'input[0].content[1].image_url',
      },
    ],
    [
      'function_call arguments that are an object',
      minimal({ input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }] }),
      {
        message: "Invalid type for 'input[0].arguments': expected a string, but got an object instead.",
        param: 'input[0].arguments',
      },
    ],
    [
      'a temperature that is a string',
      minimal({ temperature: 'hot' }),
      {
        message: "Invalid type for 'temperature': expected a number, but got a string instead.",
        param: 'temperature',
      },
    ],
    [
      'a temperature above 2',
      minimal({ temperature: 2.5 }),
      {
        message:
          "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
        param: 'temperature',
      },
    ],
    [
      'max_output_tokens of 0',
      minimal({ max_output_tokens: 0 }),
      {
        message:
          "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
        param: 'max_output_tokens',
      },
    ],
    [
      'a fractional max_output_tokens',
      minimal({ max_output_tokens: 1.5 }),
      {
        message: "Invalid type for 'max_output_tokens': expected an integer, but got a decimal instead.",
        param: 'max_output_tokens',
      },
    ],
    [
      'an unknown reasoning effort',
      minimal({ reasoning: { effort: 'huge' } }),
      {
        message:
          "Invalid value: 'huge'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'.",
        param: 'reasoning.effort',
      },
    ],
    [
      'an unknown text format',
      minimal({ text: { format: { type: 'yaml' } } }),
      {
        message: "Invalid value: 'yaml'. Supported values are: 'text', 'json_object', and 'json_schema'.",
        param: 'text.format.type',
      },
    ],
    [
      'a json_schema format without schema',
      minimal({ text: { format: { type: 'json_schema', name: 'x' } } }),
      { message: "Missing required parameter: 'text.format.schema'.", param: 'text.format.schema' },
    ],
    [
      'a function tool without name',
      minimal({ tools: [{ type: 'function', parameters: {} }] }),
      { message: "Missing required parameter: 'tools[0].name'.", param: 'tools[0].name' },
    ],
    [
      'function parameters that are a list',
      minimal({ tools: [{ type: 'function', name: 'f', parameters: [] }] }),
      {
        message: "Invalid type for 'tools[0].parameters': expected an object, but got an array instead.",
        param: 'tools[0].parameters',
      },
    ],
    [
      'a tool_choice naming no function',
      minimal({ tool_choice: { type: 'function' } }),
      { message: "Missing required parameter: 'tool_choice.name'.", param: 'tool_choice.name' },
    ],
    [
      'an unknown tool_choice mode',
      minimal({ tool_choice: 'sometimes' }),
      {
        message: "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.",
        param: 'tool_choice',
      },
    ],
    [
      'a previous_response_id (nothing is stored)',
      minimal({ previous_response_id: 'resp_123' }),
      { message: "Previous response with id 'resp_123' not found.", param: 'previous_response_id' },
    ],
    [
      'a conversation (nothing is stored)',
      minimal({ conversation: { id: 'conv_1' } }),
      { message: "Conversation with id 'conv_1' not found.", param: 'conversation' },
    ],
  ])('%s', (_name, body, expected) => {
    expect(refusal(body)).toEqual(expected);
  });

  it('a schema nested deeper than 64 levels is refused, not sent on', () => {
    let schema: Json = { type: 'string' };
    for (let i = 0; i < 80; i++) schema = { type: 'object', properties: { a: schema } };
    expect(refusal(minimal({ tools: [{ type: 'function', name: 'f', parameters: schema }] }))).toEqual({
      message: "Invalid 'tools[0].parameters': nests deeper than 64 levels.",
      param: 'tools[0].parameters',
    });
  });

  it('never throws, even on a body whose getters throw', () => {
    const body = minimal();
    Object.defineProperty(body, 'input', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(parseResponsesBody(body)).toEqual({ ok: false, message: 'The request body could not be read.' });
  });
});

describe('parseResponsesBody is cheap on a long Codex history', () => {
  it('parses a 1 MB history of 600 tool-loop items quickly', () => {
    const body = codexBody();
    const items = body.input as Json[];
    const output = 'x'.repeat(5000);
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
        { type: 'function_call_output', call_id: `call_${i}`, output },
      );
    }
    expect(JSON.stringify(body).length).toBeGreaterThan(1_000_000);
    parseResponsesBody(body);
    const started = performance.now();
    const result = parseResponsesBody(body);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(true);
    expect(elapsed).toBeLessThan(50);
  });
});
