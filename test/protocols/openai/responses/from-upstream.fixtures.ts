/** Helpers shared by the from-upstream-*.test.ts files: upstream chunks replayed through the Responses responder. */
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import { createResponsesResponder } from '../../../../src/protocols/openai/responses/responder.ts';
import type { ResponsesResponderOptions } from '../../../../src/protocols/openai/responses/responder.ts';
import { events, familyOf, options, recorderStub, stream } from './replay.ts';

type Json = Record<string, unknown>;

export function run(chunks: UpstreamChunk[], overrides: Partial<ResponsesResponderOptions> = {}) {
  const signatures = recorderStub();
  const sse = stream(chunks, { signatures, ...overrides }).join('');
  const list = events(sse);
  const terminal = list.at(-1)!;
  const response = terminal.response as Json & { output: Json[]; usage: Json };
  const assembled = createResponsesResponder(options(familyOf(chunks), overrides)).assemble(chunks);
  return { sse, list, types: list.map((event) => event.type), terminal, response, assembled, signatures };
}

export const text = (value: string) => ({ type: 'output_text', text: value, annotations: [], logprobs: [] });
export const message = (id: string, value: string, status = 'completed') => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content: [text(value)],
});
export const usage = (input: number, cached: number, output: number, reasoning: number) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: input + output,
});
export const chunk = (parts: Json[], extra: Json = {}): UpstreamChunk => ({
  response: { candidates: [{ content: { role: 'model', parts }, ...extra }] },
});
