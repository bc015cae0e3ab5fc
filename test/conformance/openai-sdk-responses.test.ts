import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  A,
  accountA,
  C,
  CLAUDE,
  client,
  env,
  GEMINI3,
  generations,
  useOpenAiSdkEnvironment,
  type Body,
} from './openai-sdk.fixtures.ts';

useOpenAiSdkEnvironment();

/** The account that will serve `model` next: A (current), unless an earlier test left it cooling. */
const servingFor = (model: string) => (env.server.ctx.proxy.pool.isCooling(accountA, model) ? C : A);

describe('the official openai SDK through the proxy: Responses API', () => {
  const SHELL: OpenAI.Responses.FunctionTool = {
    type: 'function',
    name: 'shell',
    description: 'Runs a command',
    parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
    strict: false,
  };
  const APPLY_PATCH: OpenAI.Responses.CustomTool = {
    type: 'custom',
    name: 'apply_patch',
    description: 'Applies a patch',
    format: { type: 'grammar', syntax: 'lark', definition: 'start: /(.|\\n)+/' },
  };

  it('responses.create, non-stream and stream', async () => {
    const response = await client.responses.create({
      model: GEMINI3,
      instructions: 'You are a coding agent.',
      input: 'Say hello to the otters',
    });
    expect(response.status).toBe('completed');
    expect(response.output_text).toContain('Say hello to the otters');
    expect(response.usage?.input_tokens).toBeGreaterThan(0);

    const stream = await client.responses.create({ model: GEMINI3, input: 'Stream it', stream: true });
    const types: string[] = [];
    let sequence = -1;
    for await (const event of stream) {
      types.push(event.type);
      expect(event.sequence_number).toBe(sequence + 1);
      sequence = event.sequence_number;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((type) => type === 'response.completed')).toHaveLength(1);
  });

  it('responses.stream().finalResponse(), a function-call loop, a custom tool call and a reasoning round trip', async () => {
    const serving = servingFor(CLAUDE);
    env.sim.script(serving, CLAUDE, {
      kind: 'toolCall',
      name: 'shell',
      args: { command: 'ls' },
      thought: 'List the files first.',
    });
    const first = await client.responses
      .stream({
        model: CLAUDE,
        input: [{ role: 'user', content: 'Fix the typo in README' }],
        tools: [SHELL, APPLY_PATCH],
        reasoning: { effort: 'medium' },
        include: ['reasoning.encrypted_content'],
        store: false,
      })
      .finalResponse();
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content?.length).toBeGreaterThan(50);
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'shell',
      arguments: JSON.stringify({ command: 'ls' }),
    });

    // Codex sends the whole history back (store: false), reasoning included: Claude verifies the signature.
    env.sim.script(serving, CLAUDE, {
      kind: 'toolCall',
      name: 'apply_patch',
      args: { input: '*** Begin Patch\n*** Update File: README\n-teh\n+the\n*** End Patch' },
      thought: 'Now patch it.',
    });
    const history: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'Fix the typo in README' },
      ...(first.output as OpenAI.Responses.ResponseInputItem[]),
      {
        type: 'function_call_output',
        call_id: call?.type === 'function_call' ? call.call_id : '',
        output: 'README',
      },
    ];
    const second = await client.responses.create({
      model: CLAUDE,
      input: history,
      tools: [SHELL, APPLY_PATCH],
      reasoning: { effort: 'medium' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const patch = second.output.find((item) => item.type === 'custom_tool_call');
    expect(patch).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    expect(patch?.type === 'custom_tool_call' && patch.input).toContain('*** Begin Patch');
    const replayed = (generations().at(-1)!.body as Body).request.contents.flatMap((c) => c.parts);
    expect(replayed.some((part) => part.thought === true && typeof part.thoughtSignature === 'string')).toBe(
      true,
    );

    const third = await client.responses.create({
      model: CLAUDE,
      input: [
        ...history,
        ...(second.output as OpenAI.Responses.ResponseInputItem[]),
        {
          type: 'custom_tool_call_output',
          call_id: patch?.type === 'custom_tool_call' ? patch.call_id : '',
          output: 'Done',
        },
      ],
      tools: [SHELL, APPLY_PATCH],
      store: false,
    });
    expect(third.status).toBe('completed');
  });

  it('a Gemini 3 function-call loop keeps its signatures through the proxy', async () => {
    env.sim.script(servingFor(GEMINI3), GEMINI3, {
      kind: 'toolCall',
      name: 'shell',
      args: { command: 'pwd' },
    });
    const first = await client.responses.create({ model: GEMINI3, input: 'Where am I?', tools: [SHELL] });
    const call = first.output.find((item) => item.type === 'function_call');
    const second = await client.responses.create({
      model: GEMINI3,
      input: [
        { role: 'user', content: 'Where am I?' },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        {
          type: 'function_call_output',
          call_id: call?.type === 'function_call' ? call.call_id : '',
          output: '/home',
        },
      ],
      tools: [SHELL],
    });
    expect(second.status).toBe('completed');
    const replayed = (generations().at(-1)!.body as Body).request.contents.flatMap((c) => c.parts);
    const signature = replayed.find((part) => part.functionCall)?.thoughtSignature;
    expect(typeof signature === 'string' && signature !== 'skip_thought_signature_validator').toBe(true);
  });

  it('a stream cut after the first byte ends in response.failed, never a silent close', async () => {
    for (const email of [A, C])
      env.sim.script(email, 'gemini-3.5-flash-low', { kind: 'cut', afterChunks: 2, text: 'a b c d e f g h' });
    const stream = await client.responses.create({
      model: 'gemini-3.5-flash-low',
      input: 'cut me',
      stream: true,
    });
    const types: string[] = [];
    const outcome = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((error: unknown) => error);
    expect(types.at(-1) === 'response.failed' || outcome instanceof Error).toBe(true);
    expect(types).not.toContain('response.completed');
  });

  it('previous_response_id continues a stored response; store: false and unknown ids are refused in words', async () => {
    const first = await client.responses.create({ model: GEMINI3, input: 'Remember the word otter' });
    expect((first as unknown as { store: boolean }).store).toBe(true);
    const second = await client.responses.create({
      model: GEMINI3,
      input: 'What was the word?',
      previous_response_id: first.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    const texts = (generations().at(-1)!.body as Body).request.contents.flatMap((c) =>
      c.parts.map((p) => p.text),
    );
    expect(texts.join(' ')).toContain('Remember the word otter');
    expect(texts.join(' ')).toContain('Simulated reply');

    const unstored = await client.responses.create({ model: GEMINI3, input: 'x', store: false });
    expect((unstored as unknown as { store: boolean }).store).toBe(false);
    const refused = await client.responses
      .create({ model: GEMINI3, input: 'y', previous_response_id: unstored.id })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as Error).message).toContain('proxy.responsesStoreHours');

    await env.server.ctx.settings.update({ proxy: { responsesStoreHours: 0 } });
    try {
      const off = await client.responses
        .create({ model: GEMINI3, input: 'z', previous_response_id: first.id })
        .catch((error: unknown) => error);
      expect(off).toBeInstanceOf(OpenAI.BadRequestError);
      expect((off as Error).message).toContain('proxy.responsesStoreHours is 0');
    } finally {
      await env.server.ctx.settings.update({ proxy: { responsesStoreHours: 24 } });
    }
  });
});
