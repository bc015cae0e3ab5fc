import { describe, expect, it } from 'vitest';
import { backgroundFeatures, sessionSource } from '../../../../src/protocols/openai/chat/session.ts';
import { cherryStudioRequest, openWebUiRequest, parse, sdkToolLoopRequest } from './request-fixtures.ts';

describe('sessionSource', () => {
  it('prompt_cache_key first, then user', () => {
    const body = { ...openWebUiRequest(), user: 'user-42' };
    expect(sessionSource(parse(body)).explicit).toBe('user-42');
    expect(sessionSource(parse({ ...body, prompt_cache_key: 'thread-7' })).explicit).toBe('thread-7');
  });

  it('a user that is not a string (Open WebUI sends an object) is no session; texts are', () => {
    expect(sessionSource(parse(openWebUiRequest()))).toEqual({
      firstSystemText: 'Answer in English.',
      firstUserText: 'Hi, who are you?',
    });
  });

  it('texts come from text parts; developer messages count as system; blank ones are skipped', () => {
    const source = sessionSource(
      parse({
        model: 'm',
        messages: [
          { role: 'system', content: ' ' },
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'first words' }] },
        ],
      }),
    );
    expect(source).toEqual({ firstSystemText: 'Be brief.', firstUserText: 'first words' });
  });
});

describe('backgroundFeatures', () => {
  it('system texts, first and last user text, max tokens and tool count', () => {
    expect(backgroundFeatures(parse(cherryStudioRequest()))).toEqual({
      systemTexts: ['You are a helpful assistant.'],
      userTexts: ['What is in this picture?', 'What is in this picture?'],
      toolCount: 0,
      maxTokens: 4096,
    });
    expect(backgroundFeatures(parse({ ...sdkToolLoopRequest(), max_completion_tokens: 50 }))).toEqual({
      systemTexts: ['Use the tools.'],
      userTexts: ['Weather and time in Paris?', 'Weather and time in Paris?'],
      toolCount: 2,
      maxTokens: 50,
    });
    expect(backgroundFeatures(parse(openWebUiRequest())).userTexts).toEqual([
      'Hi, who are you?',
      'Summarise the plot of Hamlet in one sentence.',
    ]);
  });
});
