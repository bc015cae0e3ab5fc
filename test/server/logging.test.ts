import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, lazyChildLoggerFactory, maskUrl } from '../../src/logger.ts';
import { freePort, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

const SECRETS = {
  authorization: 'Bearer sk-live-AUTHSECRET-0123456789',
  'x-api-key': 'APIKEYSECRET-abcdef123456',
  'x-goog-api-key': 'GOOGKEYSECRET-987654321',
  cookie: 'bm_session=COOKIESECRET-55555',
  'proxy-authorization': 'Basic PROXYSECRET-4444',
};

describe('log redaction', () => {
  it('keeps secrets from request headers and query keys out of the log', async () => {
    const port = await freePort();
    const cli = spawnCli(['--port', String(port), '--data-dir', tempDir(), '--log-level', 'trace']);
    await waitForHealth(`http://127.0.0.1:${port}/health`);
    for (const path of [
      '/health?key=QUERYSECRET-777',
      '/api/config',
      '/v1beta/models?key=QUERYSECRET-777&alt=sse',
      '/nowhere',
    ]) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: SECRETS });
      await response.body?.cancel();
    }
    await stopCli(cli);
    const log = cli.output();
    // The request lines were logged (with headers), so redaction had something to do.
    expect(log).toContain('"x-goog-api-key":"[redacted]"');
    expect(log).toContain('key=[redacted]');
    for (const secret of [
      'AUTHSECRET',
      'APIKEYSECRET',
      'GOOGKEYSECRET',
      'COOKIESECRET',
      'PROXYSECRET',
      'QUERYSECRET',
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it.each([
    ['/v1beta/models/x:generateContent?key=abc', '/v1beta/models/x:generateContent?key=[redacted]'],
    ['/oauth-callback?state=s1&code=4/0AbCd&scope=x', '/oauth-callback?state=s1&code=[redacted]&scope=x'],
    ['/plain?alt=sse', '/plain?alt=sse'],
  ])('masks %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe('per-request loggers', () => {
  function capture(level: string) {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { logger: createLogger(level, destination), lines };
  }

  it('carry the request id on every line they write', async () => {
    const { logger, lines } = capture('info');
    const child = lazyChildLoggerFactory(logger, { reqId: 'req-7' }, {});
    child.info({ route: '/x' }, 'hello');
    child.child({ part: 'inner' }).warn('nested');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ reqId: 'req-7', route: '/x', msg: 'hello' }),
      expect.objectContaining({ reqId: 'req-7', part: 'inner', msg: 'nested' }),
    ]);
  });

  it('build no pino child until a line at an enabled level is written', () => {
    const { logger } = capture('warn');
    let children = 0;
    const counting = new Proxy(logger, {
      get(target, key, receiver) {
        if (key === 'child')
          return (...args: Parameters<typeof logger.child>) => (children++, target.child(...args));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const child = lazyChildLoggerFactory(counting, { reqId: 'req-8' }, {});
    child.info('dropped');
    child.debug('dropped');
    expect(children).toBe(0);
    expect(child.level).toBe('warn');
    child.error('kept');
    expect(children).toBe(1);
  });
});
