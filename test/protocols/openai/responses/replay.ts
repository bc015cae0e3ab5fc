/**
 * Replays recorded v1internal streams (one event per line) through the Responses responder, and
 * reads its SSE back: by frame, and through the official `openai` SDK (its ResponseStream
 * accumulator and its raw event iterator). The fixtures of test/fixtures/anthropic are shared;
 * test/fixtures/openai-responses adds the Codex-specific ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { UpstreamChunk } from '../../../../src/google/generate-client.ts';
import {
  createResponsesResponder,
  type ResponsesResponderOptions,
} from '../../../../src/protocols/openai/responses/responder.ts';
import type { SignatureIssuer, SignatureRecorder } from '../../../../src/protocols/shared/signature-book.ts';
import { ROOT } from '../../../helpers/cli.ts';

export const OWN_FIXTURES = join(ROOT, 'test', 'fixtures', 'openai-responses');
export const SHARED_FIXTURES = join(ROOT, 'test', 'fixtures', 'anthropic');

const chunkFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.chunks.txt'))
    .map((file) => file.slice(0, -'.chunks.txt'.length));

/** Every recorded stream, by name (ours first when a name is in both folders). */
export const FIXTURE_NAMES = [
  ...new Set([...chunkFiles(OWN_FIXTURES), ...chunkFiles(SHARED_FIXTURES)]),
].sort();

export function fixture(name: string): UpstreamChunk[] {
  const own = join(OWN_FIXTURES, `${name}.chunks.txt`);
  const path = existsSync(own) ? own : join(SHARED_FIXTURES, `${name}.chunks.txt`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UpstreamChunk);
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

/** The family whose model answered a fixture (the Messages fixtures default to Claude). */
export function familyOf(chunks: readonly UpstreamChunk[]): 'claude' | 'gemini' {
  const model = chunks.find((chunk) => chunk.response?.modelVersion)?.response?.modelVersion ?? 'claude';
  return model.startsWith('claude') ? 'claude' : 'gemini';
}

/** Deterministic ids and clock, fresh per responder, so a stream and an assembly of the same chunks agree. */
export function options(
  family: 'claude' | 'gemini',
  overrides: Partial<ResponsesResponderOptions> = {},
): ResponsesResponderOptions {
  const counters = new Map<string, number>();
  let calls = 0;
  return {
    requestedModel: 'gpt-5-codex',
    family,
    toolNames: new Map([['mcp__fs__read_file', 'mcp.fs.read_file']]),
    customTools: new Set(['apply_patch']),
    signatures: recorderStub(),
    sessionKey: 'session-1',
    includeEncryptedReasoning: true,
    responseId: () => 'resp_test',
    itemId: (prefix) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${n}`;
    },
    callId: () => `call_gen_${++calls}`,
    now: () => 1_767_225_600_000,
    ...overrides,
  };
}

/** The SSE of some chunks streamed through a responder served by `acct-1`, per upstream event. */
export function stream(
  chunks: readonly UpstreamChunk[],
  overrides: Partial<ResponsesResponderOptions> = {},
): string[] {
  const responder = createResponsesResponder(options(familyOf(chunks), overrides));
  responder.servedBy('acct-1');
  const out = chunks.map((chunk) => responder.event(chunk));
  out.push(responder.close());
  return out;
}

export type Event = Record<string, unknown> & { type: string; sequence_number: number };

/** Parses SSE text into the events' data, checking the framing: `event: <type>\ndata: <json>\n\n`. */
export function events(sse: string): Event[] {
  expect(sse === '' || sse.endsWith('\n\n')).toBe(true);
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const match = /^event: ([a-z_.]+)\ndata: ([^\n]+)$/.exec(frame);
      expect(match, frame).not.toBeNull();
      const data = JSON.parse(match![2]!) as Event;
      expect(data.type).toBe(match![1]);
      return data;
    });
}

function client(sse: string): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://sdk.test/v1',
    maxRetries: 0,
    fetch: async () =>
      new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } }),
  });
}

/** What the SDK adds on its side (`output_text`, parse helpers): not part of what the server sent. */
export function sent(response: unknown): Record<string, unknown> {
  const {
    output_text: _text,
    output_parsed: _parsed,
    ...rest
  } = structuredClone(response) as Record<string, unknown> & { output: Array<Record<string, unknown>> };
  rest.output = (rest.output as Array<Record<string, unknown>>).map((item) => {
    const { parsed_arguments: _arguments, ...kept } = item;
    if (Array.isArray(kept.content)) {
      kept.content = (kept.content as Array<Record<string, unknown>>).map(({ parsed: _p, ...part }) => part);
    }
    return kept;
  });
  return rest;
}

/** The Response the SDK's ResponseStream accumulates from this SSE text (`responses.stream().finalResponse()`). */
export async function sdkFinalResponse(
  sse: string,
): Promise<Record<string, unknown> & { output_text: string }> {
  const response = await client(sse).responses.stream({ model: 'gpt-5-codex', input: 'hi' }).finalResponse();
  return response as unknown as Record<string, unknown> & { output_text: string };
}

/** The events as `responses.create({stream:true})` yields them. */
export async function sdkEvents(sse: string): Promise<Event[]> {
  const stream = await client(sse).responses.create({ model: 'gpt-5-codex', input: 'hi', stream: true });
  const out: Event[] = [];
  for await (const event of stream) out.push(event as unknown as Event);
  return out;
}
