import { describe, expect, it } from 'vitest';
import { NO_TOOLS_INSTRUCTION } from '../../../../src/protocols/anthropic/to-upstream.ts';
import type { UpstreamContext } from '../../../../src/protocols/openai/chat/to-upstream.ts';
import { WEATHER_TOOL } from './request-fixtures.ts';
import { body, CLAUDE, CLAUDE_LIMITS, GEMINI, upstream, user, type Json } from './to-upstream.fixtures.ts';

describe('tools and tool_choice', () => {
  const withChoice = (tool_choice: unknown, target = GEMINI) =>
    upstream(body([user('x')], { tools: [WEATHER_TOOL], tool_choice }), target).toolConfig;

  it('none / auto / required / a function / allowed tools', () => {
    expect(withChoice('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(withChoice('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(withChoice('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(withChoice({ type: 'function', function: { name: 'get_weather' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    expect(
      withChoice({
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      }),
    ).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  });

  it('Claude with tool_choice none is told so in the system instruction', () => {
    const out = upstream(body([user('x')], { tools: [WEATHER_TOOL], tool_choice: 'none' }), CLAUDE);
    expect(out.systemInstruction).toEqual({ role: 'user', parts: [{ text: NO_TOOLS_INSTRUCTION }] });
  });

  it('a tool without parameters gets an empty object schema; custom tools are dropped', () => {
    const out = upstream(
      body([user('x')], {
        tools: [
          { type: 'function', function: { name: 'ping' } },
          { type: 'custom', custom: { name: 'apply_patch' } },
        ],
      }),
    );
    expect(out.tools).toEqual([
      { functionDeclarations: [{ name: 'ping', parameters: { type: 'object', properties: {} } }] },
    ]);
  });
});

describe('generation config', () => {
  const config = (extra: Json, target = GEMINI, limits?: UpstreamContext['limits']) =>
    upstream(body([user('x')], extra), target, limits).generationConfig;

  it('nothing set: no generationConfig', () => {
    expect(config({})).toBeUndefined();
  });

  it('stop, seed, penalties, top_k; max_completion_tokens over max_tokens, capped by the model', () => {
    expect(
      config(
        {
          stop: 'END',
          seed: 7,
          presence_penalty: 0.5,
          frequency_penalty: -0.5,
          top_k: 40,
          max_tokens: 100,
          max_completion_tokens: 99999,
        },
        GEMINI,
        { maxOutputTokens: 65536 },
      ),
    ).toEqual({
      maxOutputTokens: 65536,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      topK: 40,
    });
    expect(config({ stop: ['a', 'b'] })).toEqual({ stopSequences: ['a', 'b'] });
  });

  it('response_format: json_object and json_schema (schema as given)', () => {
    expect(config({ response_format: { type: 'json_object' } })).toEqual({
      responseMimeType: 'application/json',
    });
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    expect(
      config({
        response_format: { type: 'json_schema', json_schema: { name: 'title', schema, strict: true } },
      }),
    ).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    expect(config({ response_format: { type: 'text' } })).toBeUndefined();
  });

  it('reasoning_effort: none is no thinking; minimal is low; Gemini 2.5 takes a budget; Claude a budget', () => {
    expect(config({ reasoning_effort: 'none' })).toBeUndefined();
    expect(config({ reasoning_effort: 'minimal' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' },
    });
    expect(config({ reasoning_effort: 'xhigh' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' },
    });
    expect(config({ reasoning_effort: 'high' }, { model: 'gemini-2.5-flash', family: 'gemini' })).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingBudget: 24576 },
    });
    expect(config({ reasoning_effort: 'low', max_tokens: 2000 }, CLAUDE, CLAUDE_LIMITS)).toEqual({
      maxOutputTokens: 4096 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 4096 },
    });
  });

  it('Anthropic\u2019s thinking object, sent by some clients to Claude, is read; a nonsense one is ignored', () => {
    expect(config({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 8000 }, CLAUDE)).toEqual({
      maxOutputTokens: 8000,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 },
    });
    expect(config({ thinking: true })).toBeUndefined();
  });

  it('Claude: temperature above 1 is clamped; Gemini keeps it', () => {
    expect(config({ temperature: 1.5 }, CLAUDE)).toEqual({ temperature: 1 });
    expect(config({ temperature: 1.5 })).toEqual({ temperature: 1.5 });
  });
});
