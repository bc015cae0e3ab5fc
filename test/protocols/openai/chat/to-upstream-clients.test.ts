import { describe, expect, it } from 'vitest';
import {
  cherryStudioRequest,
  openWebUiRequest,
  PNG_BASE64,
  sdkToolLoopRequest,
  WEATHER_TOOL,
} from './request-fixtures.ts';
import { CLAUDE, CLAUDE_LIMITS, translate, upstream, type Json } from './to-upstream.fixtures.ts';

describe('realistic clients', () => {
  it('Cherry Studio to Gemini 3: system, image by data URL, sampling, reasoning_effort as a level', () => {
    expect(upstream(cherryStudioRequest())).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in this picture?' },
            { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
          ],
        },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'You are a helpful assistant.' }] },
      generationConfig: {
        maxOutputTokens: 4096,
        thinkingConfig: { includeThoughts: true, thinkingLevel: 'medium' },
        temperature: 0.7,
        topP: 1,
      },
    });
  });

  it('Cherry Studio to Claude: a budget under maxOutputTokens, no sampling changes while thinking', () => {
    expect(upstream(cherryStudioRequest(), CLAUDE, CLAUDE_LIMITS).generationConfig).toEqual({
      maxOutputTokens: 16384 + 8192,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 16384 },
    });
  });

  it('Open WebUI to Claude: turns as they are, its own fields ignored', () => {
    expect(upstream(openWebUiRequest(), CLAUDE)).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi, who are you?' }] },
        { role: 'model', parts: [{ text: 'I am an AI assistant. How can I help?' }] },
        { role: 'user', parts: [{ text: 'Summarise the plot of Hamlet in one sentence.' }] },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Answer in English.' }] },
    });
  });

  it('the openai SDK tool loop: calls with parsed args, responses in call order, names sanitised and restorable', () => {
    const request = sdkToolLoopRequest();
    // Results arriving in another order than the calls.
    const messages = request.messages as Json[];
    [messages[3], messages[4]] = [messages[4]!, messages[3]!];
    const { request: out, toolNames } = translate(request);
    expect(out).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { id: 'call_t1', name: 'get_time', args: { tz: 'Europe/Paris' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            {
              functionResponse: {
                id: 'call_w1',
                name: 'get_weather',
                response: { result: '18\u00b0C, cloudy' },
              },
            },
            { functionResponse: { id: 'call_t1', name: 'get_time', response: { result: '14:05 CEST' } } },
          ],
        },
      ],
      systemInstruction: { role: 'user', parts: [{ text: 'Use the tools.' }] },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Get the current weather in a city',
              // As given: the target rules clean schemas later.
              parameters: WEATHER_TOOL.function.parameters,
            },
            { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect(toolNames).toEqual(
      new Map([
        ['get_weather', 'get_weather'],
        ['get_time', 'get.time'],
      ]),
    );
  });
});
