import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RequestLog, RequestLogEntry } from '../../src/monitor/request-log.ts';
import { ExchangeRecord, maskEmail } from '../../src/proxy/exchange-record.ts';

function setup(level: string) {
  const lines: string[] = [];
  const logger = pino(
    { level, base: undefined },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const rows: RequestLogEntry[] = [];
  const log = { record: (entry: RequestLogEntry) => rows.push(entry) } as unknown as RequestLog;
  let now = 1_000;
  const record = new ExchangeRecord({
    protocol: 'anthropic',
    route: '/v1/messages',
    clientKey: 'sk-secret-client-key',
    now: () => now,
    log,
    logger,
  });
  return { lines, rows, record, advance: (ms: number) => (now += ms) };
}

describe('one access-log line per proxied request', () => {
  it('names protocol, model requested → mapped, the masked account, status, attempts and latency', () => {
    const { lines, rows, record, advance } = setup('info');
    record.model = {
      requested: 'claude-opus-4-6',
      upstream: 'claude-opus-4-6-thinking',
      rule: 'claude-*opus* → x',
    };
    record.accountEmail = 'alice.pro@gmail.com';
    record.attempts = [
      { accountId: 'b', email: 'bob@x.com', status: 429, errorClass: 'rate_limited', ms: 10 },
      { accountId: 'a', email: 'alice.pro@gmail.com', status: 200, ms: 50 },
    ];
    advance(312);
    record.finish(200);
    record.finish(500);
    expect(rows).toHaveLength(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string };
    expect(line.level).toBe(30);
    expect(line.msg).toBe(
      'anthropic claude-opus-4-6 → claude-opus-4-6-thinking al***@gmail.com 200 2 attempts 312 ms',
    );
    expect(lines[0]).not.toContain('sk-secret-client-key');
    expect(lines[0]).not.toContain('alice.pro');
  });

  it('is off at --log-level warn, while the log row is still written', () => {
    const { lines, rows, record } = setup('warn');
    record.requested = 'x';
    record.finish(404, { code: 'not_found', message: 'no model' });
    expect(lines).toHaveLength(0);
    expect(rows[0]).toMatchObject({ status: 404, errorClass: 'not_found', requestedModel: 'x' });
  });

  it('masks emails', () => {
    expect(maskEmail('alice@example.com')).toBe('al***@example.com');
    expect(maskEmail('a@b.c')).toBe('a***@b.c');
    expect(maskEmail(undefined)).toBe('-');
  });
});
