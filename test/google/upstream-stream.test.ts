import { describe, expect, it } from 'vitest';
import { UpstreamEventStream } from '../../src/google/upstream-stream.ts';

function stream() {
  const calls: string[] = [];
  const events = new UpstreamEventStream<number>({
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    onClose: () => calls.push('close'),
  });
  return { events, calls };
}

describe('UpstreamEventStream', () => {
  it('delivers events pushed before and after the reader waits, in order, then done', async () => {
    const { events } = stream();
    events.push(1);
    const waiting = events.next();
    const second = events.next();
    events.push(2);
    events.end();
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await second).toEqual({ value: 2, done: false });
    expect(await events.next()).toEqual({ value: undefined, done: true });
  });

  it('throws a failure only after the events queued before it', async () => {
    const { events } = stream();
    events.push(1);
    events.push(2);
    events.fail(new Error('cut'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of events) seen.push(value);
      })(),
    ).rejects.toThrow('cut');
    expect(seen).toEqual([1, 2]);
  });

  it('a reader already waiting gets the failure', async () => {
    const { events } = stream();
    const waiting = events.next();
    events.fail(new Error('stalled'));
    await expect(waiting).rejects.toThrow('stalled');
  });

  it('pauses the upstream when the reader falls behind and resumes it when the reader catches up', async () => {
    const { events, calls } = stream();
    for (let i = 0; i < UpstreamEventStream.HIGH_WATER; i++) events.push(i);
    expect(calls).toEqual(['pause']);
    for (let i = 0; i <= UpstreamEventStream.HIGH_WATER / 2; i++) await events.next();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('return() drops what is queued and closes the upstream; later pushes are ignored', async () => {
    const { events, calls } = stream();
    events.push(1);
    await events.return();
    events.push(2);
    expect(calls).toEqual(['close']);
    expect(await events.next()).toEqual({ value: undefined, done: true });
  });
});
