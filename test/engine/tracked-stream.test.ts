import { describe, expect, it } from 'vitest';
import { UpstreamTimeoutError, type UpstreamChunk } from '../../src/google/generate-client.ts';
import { StreamBrokenError } from '../../src/engine/errors.ts';
import { TrackedStream, type StreamOutcome } from '../../src/engine/tracked-stream.ts';

const chunk = (text: string): UpstreamChunk => ({
  response: { candidates: [{ content: { role: 'model', parts: [{ text }] } }] },
});

function source(chunks: UpstreamChunk[], failWith?: Error) {
  let closed = false;
  let index = 0;
  const iterator: AsyncIterator<UpstreamChunk> = {
    next: async () => {
      if (index < chunks.length) return { value: chunks[index++]!, done: false };
      if (failWith) throw failWith;
      return { value: undefined, done: true };
    },
    return: async () => {
      closed = true;
      return { value: undefined, done: true };
    },
  };
  return { iterator, closed: () => closed };
}

function track(chunks: UpstreamChunk[], options: { failWith?: Error; aborted?: boolean } = {}) {
  const upstream = source(chunks, options.failWith);
  const outcomes: StreamOutcome[] = [];
  const seen: UpstreamChunk[] = [];
  const controller = new AbortController();
  if (options.aborted) controller.abort();
  const stream = new TrackedStream({
    source: upstream.iterator,
    signal: controller.signal,
    onChunk: (value) => seen.push(value),
    onEnd: (outcome) => outcomes.push(outcome),
  });
  return { stream, outcomes, seen, upstream };
}

describe('TrackedStream', () => {
  it('passes every event through and reports 200 once when the upstream finishes', async () => {
    const { stream, outcomes, seen } = track([chunk('a'), chunk('b')]);
    const read: UpstreamChunk[] = [];
    for await (const value of stream) read.push(value);
    expect(read).toHaveLength(2);
    expect(seen).toEqual(read);
    expect(outcomes).toEqual([{ status: 200 }]);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(outcomes).toHaveLength(1);
  });

  it('turns a mid-stream failure into a StreamBrokenError for the reader and the log', async () => {
    const { stream, outcomes } = track([chunk('a')], { failWith: new UpstreamTimeoutError('idle', 5) });
    await stream.next();
    const failure = await stream.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamBrokenError);
    expect(outcomes).toEqual([
      { status: 504, errorClass: 'upstream_timeout', errorMessage: expect.stringMatching(/stalled/) },
    ]);
  });

  it('records 499 when the failure comes from the client going away', async () => {
    const { stream, outcomes } = track([], { failWith: new Error('aborted'), aborted: true });
    await expect(stream.next()).rejects.toThrow('aborted');
    expect(outcomes).toEqual([{ status: 499, errorClass: 'client_closed' }]);
  });

  it('a reader that stops early closes the upstream and records 499', async () => {
    const { stream, outcomes, upstream } = track([chunk('a'), chunk('b'), chunk('c')]);
    for await (const value of stream) {
      expect(value).toBeDefined();
      break;
    }
    expect(upstream.closed()).toBe(true);
    expect(outcomes).toEqual([{ status: 499, errorClass: 'client_closed' }]);
  });
});
