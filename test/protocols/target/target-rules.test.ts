import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_SENTINEL,
  applyTargetRules,
  modelFamily,
  type Target,
} from '../../../src/protocols/target/target-rules.ts';
import { deepFreeze } from './deep-freeze.ts';

const CLAUDE: Target = { model: 'claude-sonnet-4-6', family: 'claude' };
const GEMINI: Target = { model: 'gemini-3-flash', family: 'gemini' };
/** Shaped like the signatures Antigravity issues (wire.md §2.6); the value is opaque to the rules. */
const CLAUDE_SIGNATURE = 'RXBnQkNrZ0lEQkFDR0FJcVFJbW9kZWwtc2lnbmF0dXJlLXBheWxvYWQtZm9yLXRlc3Rz';
const GEMINI_SIGNATURE = 'EqwCCqkCARFNMg9aZ2VtaW5pLXNpZ25hdHVyZS1wYXlsb2FkLWZvci10ZXN0cw==';

const REASON = {
  properties: { reason: { type: 'string', description: 'Reason for calling this tool' } },
  required: ['reason'],
};

/** Claude Code's Read tool and an MCP tool that takes no arguments, as an adapter hands them over. */
function toolsRequest(): Record<string, unknown> {
  return {
    contents: [{ role: 'user', parts: [{ text: 'Read the file' }] }],
    tools: [
      {
        functionDeclarations: [
          {
            name: 'Read',
            description: 'Reads a file',
            parametersJsonSchema: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              properties: {
                file_path: { type: 'string', description: 'The absolute path to the file to read' },
                offset: { type: 'number', minimum: 0 },
              },
              required: ['file_path'],
              additionalProperties: false,
            },
          },
          {
            name: 'mcp__github__get_me',
            description: 'Who am I',
            parameters: { type: 'object', properties: {} },
          },
        ],
      },
    ],
  };
}

describe('modelFamily', () => {
  it('says claude for Claude ids and gemini for everything else', () => {
    expect(modelFamily('claude-opus-4-6-thinking')).toBe('claude');
    expect(modelFamily('Claude-Sonnet-4-6')).toBe('claude');
    expect(modelFamily('gemini-3-flash')).toBe('gemini');
    expect(modelFamily('gemini-pro-agent')).toBe('gemini');
    expect(modelFamily('gpt-oss-120b-medium')).toBe('gemini');
  });
});

describe('applyTargetRules: cheap when there is nothing to do', () => {
  it('returns the very same request without tools or model turns', () => {
    const request = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { topK: 40 } };
    expect(applyTargetRules(request, GEMINI)).toBe(request);
    expect(applyTargetRules(request, CLAUDE)).toBe(request);
  });

  it('shares every content it did not change', () => {
    const user = { role: 'user', parts: [{ text: 'hi' }] };
    const answered = { role: 'model', parts: [{ text: 'hello' }] };
    const call = { role: 'model', parts: [{ functionCall: { name: 'ls', args: {} } }] };
    const result = applyTargetRules({ contents: [user, answered, call] }, GEMINI);
    const contents = result.contents as unknown[];
    expect(contents[0]).toBe(user);
    expect(contents[1]).toBe(answered);
    expect(contents[2]).not.toBe(call);
  });

  it('tolerates requests that are not what an adapter should produce', () => {
    for (const request of [
      {},
      { contents: 'x', tools: 'y' },
      { contents: [null, 1, { parts: 'x' }], tools: [null] },
    ]) {
      expect(() => applyTargetRules(request, CLAUDE)).not.toThrow();
      expect(() => applyTargetRules(request, GEMINI)).not.toThrow();
    }
  });
});

describe('applyTargetRules: tools', () => {
  it('cleans every declaration for Gemini and moves parametersJsonSchema to parameters', () => {
    const result = applyTargetRules(toolsRequest(), GEMINI);
    expect(result.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'Read',
            description: 'Reads a file',
            parameters: {
              type: 'object',
              properties: {
                file_path: { type: 'string', description: 'The absolute path to the file to read' },
                offset: { type: 'number', description: 'minimum: 0' },
              },
              required: ['file_path'],
            },
          },
          { name: 'mcp__github__get_me', description: 'Who am I', parameters: { type: 'object' } },
        ],
      },
    ]);
    expect(result.toolConfig).toBeUndefined();
  });

  it('leaves Gemini tools without parameters, and non-function tools, as they are', () => {
    const search = { googleSearch: {} };
    const bare = { name: 'now', description: 'Current time' };
    const result = applyTargetRules(
      { contents: [], tools: [search, { function_declarations: [bare] }] },
      GEMINI,
    );
    const tools = result.tools as Record<string, unknown[]>[];
    expect(tools[0]).toBe(search);
    expect(tools[1]!.function_declarations![0]).toBe(bare);
  });

  it('gives Claude the reason placeholder on every object without properties, nested ones included', () => {
    const request = {
      contents: [],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_me', parameters: { type: 'object', properties: {} } },
            { name: 'now' },
            {
              name: 'configure',
              parameters: {
                type: 'object',
                properties: {
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  steps: { type: 'array', items: { type: 'object' } },
                  name: { type: 'string' },
                },
              },
            },
          ],
        },
      ],
    };
    const declarations = (
      applyTargetRules(request, CLAUDE).tools as { functionDeclarations: unknown[] }[]
    )[0]!.functionDeclarations;
    expect(declarations).toEqual([
      { name: 'get_me', parameters: { type: 'object', ...REASON } },
      { name: 'now', parameters: { type: 'object', ...REASON } },
      {
        name: 'configure',
        parameters: {
          type: 'object',
          properties: {
            labels: { type: 'object', ...REASON },
            steps: { type: 'array', items: { type: 'object', ...REASON } },
            name: { type: 'string' },
          },
        },
      },
    ]);
  });

  it('forces VALIDATED for Claude, keeping allowedFunctionNames and the other toolConfig keys', () => {
    const withMode = (functionCallingConfig: unknown) =>
      applyTargetRules({ ...toolsRequest(), toolConfig: { functionCallingConfig } }, CLAUDE).toolConfig;
    expect(applyTargetRules(toolsRequest(), CLAUDE).toolConfig).toEqual({
      functionCallingConfig: { mode: 'VALIDATED' },
    });
    expect(withMode({ mode: 'AUTO' })).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    expect(withMode({ mode: 'ANY', allowedFunctionNames: ['Read'] })).toEqual({
      functionCallingConfig: { mode: 'VALIDATED', allowedFunctionNames: ['Read'] },
    });
    expect(
      applyTargetRules(
        {
          ...toolsRequest(),
          toolConfig: {
            includeServerSideToolInvocations: true,
            function_calling_config: { mode: 'any', allowed_function_names: ['Read'] },
          },
        },
        CLAUDE,
      ).toolConfig,
    ).toEqual({
      includeServerSideToolInvocations: true,
      functionCallingConfig: { mode: 'VALIDATED', allowedFunctionNames: ['Read'] },
    });
  });

  it('sends VALIDATED for Claude whatever mode the client asked, NONE included (the only mode v1internal takes)', () => {
    const config = (mode: unknown) =>
      applyTargetRules({ ...toolsRequest(), toolConfig: { functionCallingConfig: { mode } } }, CLAUDE)
        .toolConfig;
    expect(config('NONE')).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    expect(config(3)).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
  });

  it('does not touch toolConfig for Claude when no function is declared', () => {
    const request = {
      contents: [],
      tools: [{ googleSearch: {} }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    };
    expect(applyTargetRules(request, CLAUDE)).toBe(request);
  });
});

describe('applyTargetRules: Gemini signatures', () => {
  it('signs the first functionCall of each model turn with the sentinel when it has no signature', () => {
    const request = {
      contents: [
        { role: 'user', parts: [{ text: 'list and read' }] },
        {
          role: 'model',
          parts: [
            { text: 'Let me look.' },
            { functionCall: { id: 'toolu_01', name: 'ls', args: {} } },
            { functionCall: { id: 'toolu_02', name: 'cat', args: { path: 'a' } } },
            {
              functionCall: { id: 'toolu_03', name: 'cat', args: { path: 'b' } },
              thoughtSignature: GEMINI_SIGNATURE,
            },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'toolu_01', name: 'ls', response: { result: 'a b' } } },
            {
              functionResponse: { id: 'toolu_02', name: 'cat', response: { result: 'x' } },
              thoughtSignature: 'x',
            },
            {
              functionResponse: { id: 'toolu_03', name: 'cat', response: { result: 'y' } },
              thought_signature: 'y',
            },
          ],
        },
      ],
    };
    const contents = applyTargetRules(request, GEMINI).contents as { parts: unknown[] }[];
    expect(contents[0]).toBe(request.contents[0]);
    expect(contents[1]!.parts).toEqual([
      { text: 'Let me look.' },
      { functionCall: { id: 'toolu_01', name: 'ls', args: {} }, thoughtSignature: SIGNATURE_SENTINEL },
      { functionCall: { id: 'toolu_02', name: 'cat', args: { path: 'a' } } },
      {
        functionCall: { id: 'toolu_03', name: 'cat', args: { path: 'b' } },
        thoughtSignature: GEMINI_SIGNATURE,
      },
    ]);
    expect(contents[2]!.parts).toEqual([
      { functionResponse: { id: 'toolu_01', name: 'ls', response: { result: 'a b' } } },
      { functionResponse: { id: 'toolu_02', name: 'cat', response: { result: 'x' } } },
      { functionResponse: { id: 'toolu_03', name: 'cat', response: { result: 'y' } } },
    ]);
  });

  it('keeps a signature the first call already has, camelCase or snake_case', () => {
    const request = {
      contents: [
        {
          role: 'model',
          parts: [{ functionCall: { name: 'a', args: {} }, thoughtSignature: GEMINI_SIGNATURE }],
        },
        {
          role: 'model',
          parts: [{ function_call: { name: 'b', args: {} }, thought_signature: GEMINI_SIGNATURE }],
        },
      ],
    };
    expect(applyTargetRules(request, GEMINI)).toBe(request);
  });

  it('applies to every Gemini model id, without a whitelist', () => {
    const request = { contents: [{ role: 'model', parts: [{ function_call: { name: 'a', args: {} } }] }] };
    for (const model of [
      'gemini-2.5-flash',
      'gemini-3.8-flash-high',
      'gemini-pro-agent',
      'some-future-model',
    ]) {
      const contents = applyTargetRules(request, { model, family: 'gemini' }).contents as {
        parts: unknown[];
      }[];
      expect(contents[0]!.parts[0]).toEqual({
        function_call: { name: 'a', args: {} },
        thoughtSignature: SIGNATURE_SENTINEL,
      });
    }
  });

  it('never signs calls in user turns', () => {
    const request = { contents: [{ role: 'user', parts: [{ functionCall: { name: 'a', args: {} } }] }] };
    expect(applyTargetRules(request, GEMINI)).toBe(request);
  });
});

describe('applyTargetRules: Claude history', () => {
  it('drops unsigned and sentinel-signed thinking, keeps Claude-signed thinking, removes sentinels from calls', () => {
    const request = {
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        {
          role: 'model',
          parts: [
            { text: 'Gemini thought without signature', thought: true },
            { text: 'bypassed thought', thought: true, thoughtSignature: SIGNATURE_SENTINEL },
            {
              text: 'snake bypass',
              thought: true,
              thought_signature: 'context_engineering_is_the_way_to_go',
            },
            { text: 'real thought', thought: true, thoughtSignature: CLAUDE_SIGNATURE },
            { functionCall: { id: 'toolu_01', name: 'ls', args: {} }, thoughtSignature: SIGNATURE_SENTINEL },
            { functionCall: { id: 'toolu_02', name: 'ls', args: {} }, thoughtSignature: CLAUDE_SIGNATURE },
          ],
        },
      ],
    };
    const contents = applyTargetRules(request, CLAUDE).contents as { parts: unknown[] }[];
    expect(contents[0]).toBe(request.contents[0]);
    expect(contents[1]!.parts).toEqual([
      { text: 'real thought', thought: true, thoughtSignature: CLAUDE_SIGNATURE },
      { functionCall: { id: 'toolu_01', name: 'ls', args: {} } },
      { functionCall: { id: 'toolu_02', name: 'ls', args: {} }, thoughtSignature: CLAUDE_SIGNATURE },
    ]);
  });

  it('does not send empty or blank text parts, and keeps an emptied turn with a "." placeholder', () => {
    const request = {
      systemInstruction: { role: 'user', parts: [{ text: '' }, { text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'hi' }, { text: '' }] },
        { role: 'model', parts: [{ text: ' \n' }, { text: 'only a thought', thought: true }] },
        { role: 'user', parts: [{ text: 'again' }] },
        { role: 'model', parts: [] },
      ],
    };
    const result = applyTargetRules(request, CLAUDE);
    expect(result.systemInstruction).toEqual({ role: 'user', parts: [{ text: 'Be brief.' }] });
    expect(result.contents).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: '.' }] },
      { role: 'user', parts: [{ text: 'again' }] },
      { role: 'model', parts: [{ text: '.' }] },
    ]);
  });

  it('removes a system instruction that held only empty text', () => {
    const result = applyTargetRules({ systemInstruction: { parts: [{ text: '' }] }, contents: [] }, CLAUDE);
    expect('systemInstruction' in result).toBe(false);
  });

  it('keeps empty text that carries another payload, and leaves Gemini empty text alone', () => {
    const inline = { text: '', inlineData: { mimeType: 'image/png', data: 'iVBOR' } };
    const claude = { contents: [{ role: 'user', parts: [inline] }] };
    expect(applyTargetRules(claude, CLAUDE)).toBe(claude);
    const carrier = {
      contents: [
        { role: 'model', parts: [{ text: 'hi' }, { text: '', thoughtSignature: GEMINI_SIGNATURE }] },
      ],
    };
    expect(applyTargetRules(carrier, GEMINI)).toBe(carrier);
  });
});

describe('applyTargetRules: immutability', () => {
  it('never mutates the request, for either family', () => {
    const request = deepFreeze({
      ...toolsRequest(),
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      systemInstruction: { parts: [{ text: '' }, { text: 'sys' }] },
      contents: [
        { role: 'user', parts: [{ text: 'go' }, { text: '' }] },
        {
          role: 'model',
          parts: [
            { text: 'thinking', thought: true, thoughtSignature: SIGNATURE_SENTINEL },
            { functionCall: { id: 'toolu_01', name: 'Read', args: { file_path: '/a' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'toolu_01', name: 'Read', response: {} }, thoughtSignature: 'x' },
          ],
        },
      ],
    });
    const before = structuredClone(request);
    expect(() => applyTargetRules(request, CLAUDE)).not.toThrow();
    expect(() => applyTargetRules(request, GEMINI)).not.toThrow();
    expect(request).toEqual(before);
  });
});
