import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { RequestLog, type RequestLogEntry } from '../../src/monitor/request-log.ts';
import { Store } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers/cli.ts';

function entry(i: number): RequestLogEntry {
  return {
    createdAt: 1_000 + i,
    protocol: 'gemini',
    route: '/v1beta/models/{model}:generateContent',
    attempts: [{ accountId: 'a', email: 'a@example.com', status: 200, ms: 3 }],
    status: 200,
    latencyMs: 4,
    stream: false,
  };
}

let store: Store;
let log: RequestLog;
const stored = () => (store.prepare('SELECT COUNT(*) AS n FROM request_logs').get() as { n: number }).n;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
  store = new Store(join(tempDir(), 'log.db'));
  migrate(store);
  log = new RequestLog(store, createLogger('silent'));
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
});

describe('RequestLog writes off the request path', () => {
  it('record() only queues; the rows are written by the timer, a slice per turn of the event loop', () => {
    for (let i = 0; i < 150; i++) log.record(entry(i));
    expect(stored()).toBe(0);
    vi.advanceTimersToNextTimer(); // the flush timer: the first slice
    expect(stored()).toBe(64);
    vi.advanceTimersToNextTimer(); // next turn
    expect(stored()).toBe(128);
    vi.advanceTimersToNextTimer();
    expect(stored()).toBe(150);
  });

  it('a long queue is written from the next turn on, without waiting for the timer and never inside record()', () => {
    for (let i = 0; i < 500; i++) log.record(entry(i));
    expect(stored()).toBe(0);
    vi.advanceTimersToNextTimer();
    expect(stored()).toBe(64);
    vi.runAllTimers();
    expect(stored()).toBe(500);
  });

  it('flush() writes everything queued at once (shutdown) and tells the live feed each row with its id', () => {
    const seen: number[] = [];
    log.onRow((row) => seen.push(row.id));
    for (let i = 0; i < 100; i++) log.record(entry(i));
    log.flush();
    expect(stored()).toBe(100);
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
    vi.runAllTimers();
    expect(stored()).toBe(100);
  });
});
