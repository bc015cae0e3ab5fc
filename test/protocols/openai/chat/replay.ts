/**
 * Replays recorded v1internal streams (one event per line) through the Chat Completions responder,
 * and reads its SSE back: by chunk, and through the official `openai` SDK's own stream parsing and
 * ChatCompletionStream accumulator. Fixtures of test/fixtures/openai-chat come first; the Messages
 * front end's (test/fixtures/anthropic) are replayed too, since they record the same upstream.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import {
  createChatResponder,
  type ChatResponderOptions,
} from '../../../../src/protocols/openai/chat/responder.ts';
import type { SignatureIssuer, SignatureRecorder } from '../../../../src/protocols/shared/signature-book.ts';
import { ROOT } from '../../../helpers/cli.ts';

export const OWN_FIXTURES = join(ROOT, 'test', 'fixtures', 'openai-chat');
export const ANTHROPIC_FIXTURES = join(ROOT, 'test', 'fixtures', 'anthropic');

export function fixture(name: string): UpstreamChunk[] {
  const own = join(OWN_FIXTURES, `${name}.chunks.txt`);
  const file = existsSync(own) ? own : join(ANTHROPIC_FIXTURES, `${name}.chunks.txt`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UpstreamChunk);
}

/** Every complete recorded stream (the cut one is replayed on its own). */
export function fixtureNames(): string[] {
  const names = (dir: string) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.chunks.txt'))
      .map((file) => file.slice(0, -'.chunks.txt'.length));
  return [...new Set([...names(OWN_FIXTURES), ...names(ANTHROPIC_FIXTURES)])]
    .filter((name) => name !== 'cut-stream')
    .sort();
}

export interface RecorderStub extends SignatureRecorder {
  thinking: Array<{ signature: string; issuer: SignatureIssuer }>;
  calls: Array<{ id: string; signature: string; issuer: SignatureIssuer; sessionKey?: string }>;
}

export function recorderStub(): RecorderStub {
  const stub: RecorderStub = {
    thinking: [],
    calls: [],
    recordThinking: (signature, issuer) => stub.thinking.push({ signature, issuer: { ...issuer } }),
    recordToolCall: (id, signature, issuer, sessionKey) =>
      stub.calls.push({ id, signature, issuer: { ...issuer }, sessionKey }),
  };
  return stub;
}

export const MODEL = 'gemini-3-flash';
export const ID = 'chatcmpl-test';
export const CREATED = 1_767_225_600;

/** Deterministic ids, fresh per responder, so a stream and an assembly of the same chunks agree. */
export function options(
  family: 'claude' | 'gemini',
  overrides: Partial<ChatResponderOptions> = {},
): ChatResponderOptions {
  let calls = 0;
  return {
    requestedModel: MODEL,
    family,
    toolNames: new Map([['mcp__fs__read_file', 'mcp.fs.read_file']]),
    signatures: recorderStub(),
    sessionKey: 'session-1',
    includeUsage: true,
    id: () => ID,
    created: () => CREATED,
    toolCallId: () => `call_gen_${++calls}`,
    ...overrides,
  };
}

const GEMINI = new Set([
  'gemini-signature-on-text',
  'gemini-signed-text-then-call',
  'carrier-after-text',
  'gemini-tool-call',
  'image-output',
  'max-tokens',
  'safety-stop',
  'blocked-prompt',
  'usage-only',
  'web-search',
  'no-finish-reason',
]);
export const familyOf = (name: string): 'claude' | 'gemini' => (GEMINI.has(name) ? 'gemini' : 'claude');

/** The SSE of one fixture streamed through a responder served by `acct-1`, per upstream event (close last). */
export function stream(name: string, overrides: Partial<ChatResponderOptions> = {}): string[] {
  const responder = createChatResponder(options(familyOf(name), overrides));
  responder.servedBy('acct-1');
  const out = fixture(name).map((chunk) => responder.event(chunk));
  out.push(responder.close());
  return out;
}

export type Chunk = Record<string, unknown> & { choices: Array<Record<string, unknown>> };

/** Parses SSE text into the chunks' data, checking the framing: `data: <json>\n\n`, `[DONE]` last. */
export function chunks(sse: string): Array<Chunk | '[DONE]'> {
  expect(sse === '' || sse.endsWith('\n\n')).toBe(true);
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const match = /^data: ([^\n]+)$/.exec(frame);
      expect(match, frame).not.toBeNull();
      return match![1] === '[DONE]' ? '[DONE]' : (JSON.parse(match![1]!) as Chunk);
    });
}

/** The deltas of the choice chunks, in order. */
export function deltas(sse: string): Array<Record<string, unknown>> {
  return chunks(sse).flatMap((chunk) =>
    chunk === '[DONE]' || chunk.choices.length === 0
      ? []
      : [chunk.choices[0]!.delta as Record<string, unknown>],
  );
}

function client(sse: string): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://sdk.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

const REQUEST = { model: MODEL, messages: [{ role: 'user' as const, content: 'hi' }] };

/** The ChatCompletion the official SDK's ChatCompletionStream accumulates from this SSE text. */
export async function sdkFinalCompletion(sse: string, includeUsage = true): Promise<Record<string, unknown>> {
  const completion = await client(sse)
    .chat.completions.stream({ ...REQUEST, stream_options: { include_usage: includeUsage } })
    .finalChatCompletion();
  return JSON.parse(JSON.stringify(completion)) as Record<string, unknown>;
}

/** The chunks the SDK's plain stream (`create({stream:true})`) yields. */
export async function sdkChunks(sse: string): Promise<unknown[]> {
  const stream = await client(sse).chat.completions.create({ ...REQUEST, stream: true });
  const out: unknown[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

export const usage = (prompt: number, completion: number, cached = 0, reasoning = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached },
  completion_tokens_details: { reasoning_tokens: reasoning },
});
