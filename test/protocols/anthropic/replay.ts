/**
 * Replays the fixtures of test/fixtures/anthropic (one v1internal event per line) through the
 * Messages responder, and reads its SSE back: by frame, and through the official SDK's accumulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import type { UpstreamChunk } from '../../../src/google/generate-client.ts';
import {
  createMessagesResponder,
  type ResponderOptions,
} from '../../../src/protocols/anthropic/responder.ts';
import type { SignatureIssuer, SignatureRecorder } from '../../../src/protocols/shared/signature-book.ts';
import { ROOT } from '../../helpers/cli.ts';

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'anthropic');

export function fixture(name: string): UpstreamChunk[] {
  return readFileSync(join(FIXTURES, `${name}.chunks.txt`), 'utf8')
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

/** Deterministic ids, fresh per responder, so a stream and an assembly of the same chunks agree. */
export function options(
  family: 'claude' | 'gemini',
  signatures: SignatureRecorder = recorderStub(),
): ResponderOptions {
  let tools = 0;
  let searches = 0;
  return {
    requestedModel: 'claude-sonnet-4-6',
    family,
    toolNames: new Map([['mcp__fs__read_file', 'mcp.fs.read_file']]),
    signatures,
    sessionKey: 'session-1',
    messageId: () => 'msg_test',
    toolUseId: () => `toolu_gen_${++tools}`,
    serverToolUseId: () => `srvtoolu_gen_${++searches}`,
  };
}

export const FAMILY: Record<string, 'claude' | 'gemini'> = {
  'gemini-signature-on-text': 'gemini',
  'carrier-after-text': 'gemini',
  'gemini-tool-call': 'gemini',
  'image-output': 'gemini',
  'max-tokens': 'gemini',
  'safety-stop': 'gemini',
  'blocked-prompt': 'gemini',
  'usage-only': 'gemini',
  'web-search': 'gemini',
};
export const familyOf = (name: string) => FAMILY[name] ?? 'claude';

/** The SSE of one fixture, streamed through a responder served by `acct-1`, per upstream event. */
export function stream(name: string, signatures: SignatureRecorder = recorderStub()): string[] {
  const responder = createMessagesResponder(options(familyOf(name), signatures));
  responder.servedBy('acct-1');
  const out = fixture(name).map((chunk) => responder.event(chunk));
  out.push(responder.close());
  return out;
}

/** Parses SSE text into the events' data, checking the framing: `event: <type>\ndata: <json>\n\n`. */
export function events(sse: string): Array<Record<string, unknown>> {
  expect(sse === '' || sse.endsWith('\n\n')).toBe(true);
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const match = /^event: ([a-z_]+)\ndata: ([^\n]+)$/.exec(frame);
      expect(match, frame).not.toBeNull();
      const data = JSON.parse(match![2]!) as Record<string, unknown>;
      expect(data.type).toBe(match![1]);
      return data;
    });
}

/** The Message the official SDK's MessageStream accumulates from this SSE text. */
export async function sdkFinalMessage(sse: string): Promise<Record<string, unknown>> {
  const client = new Anthropic({
    apiKey: 'test',
    baseURL: 'http://sdk.test',
    maxRetries: 0,
    fetch: async () =>
      new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } }),
  });
  const message = await client.messages
    .stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage();
  // The SDK's own parse helpers; not part of what the server sent.
  const { parsed_output: _parsed, ...sent } = message as unknown as Record<string, unknown>;
  return sent;
}

export const usage = (input: number, output: number, cacheRead = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: cacheRead,
});
export const messageStart = (u: ReturnType<typeof usage>) => ({
  type: 'message_start',
  message: {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: u,
  },
});
export const messageDelta = (stopReason: string, u: Record<string, unknown>) => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: null },
  usage: u,
});
export const MESSAGE_STOP = { type: 'message_stop' };
export const start = (index: number, block: Record<string, unknown>) => ({
  type: 'content_block_start',
  index,
  content_block: block,
});
export const delta = (index: number, d: Record<string, unknown>) => ({
  type: 'content_block_delta',
  index,
  delta: d,
});
export const stop = (index: number) => ({ type: 'content_block_stop', index });
export const THINKING = { type: 'thinking', thinking: '', signature: '' };
export const TEXT = { type: 'text', text: '' };
export const thinking = (index: number, text: string) =>
  delta(index, { type: 'thinking_delta', thinking: text });
export const text = (index: number, t: string) => delta(index, { type: 'text_delta', text: t });
export const signature = (index: number, s: string) =>
  delta(index, { type: 'signature_delta', signature: s });
export const toolUse = (index: number, id: string, name: string, json: string) => [
  start(index, { type: 'tool_use', id, name, input: {} }),
  delta(index, { type: 'input_json_delta', partial_json: json }),
  stop(index),
];
