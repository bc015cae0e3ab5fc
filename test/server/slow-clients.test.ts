import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

/**
 * A client that sends its request slowly (slowloris: headers a byte at a time, or a body that
 * trickles) must not hold a connection, and the memory behind it, for longer than
 * `limits.requestTimeoutSeconds`: the server answers 408 or closes the socket.
 */

const TIMEOUT_SECONDS = 2;
let env: TestEnvironment;
let port: number;

beforeAll(async () => {
  env = await startTestEnvironment({ settings: { limits: { requestTimeoutSeconds: TIMEOUT_SECONDS } } });
  port = Number(new URL(env.url).port);
});
afterAll(async () => {
  await env?.close();
});

/** Writes `head` at once, then one byte of `trickle` every `everyMs` until the server ends the socket. */
function slowClient(head: string, trickle: string, everyMs: number): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let answer = '';
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      let at = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
        socket.write(trickle[at % trickle.length]!);
        at += 1;
      }, everyMs);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ ms: performance.now() - started, answer });
      });
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {});
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server still held the slow connection after 15 s'));
    }, 15_000);
  });
}

describe('slow clients', () => {
  it('a request whose headers trickle in is cut off at the request timeout', async () => {
    const { ms, answer } = await slowClient(
      'POST /v1/messages HTTP/1.1\r\nHost: x\r\n',
      'X-Slow: a\r\n',
      100,
    );
    expect(ms).toBeGreaterThan(TIMEOUT_SECONDS * 1000 - 200);
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 4000);
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a body that trickles in is cut off at the request timeout', async () => {
    const head =
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const { ms, answer } = await slowClient(head, '{"a":1}', 100);
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 4000);
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps serving everyone else meanwhile', async () => {
    const slow = slowClient('GET /health HTTP/1.1\r\n', 'X: y\r\n', 100);
    const health = await fetch(`${env.url}/health`);
    expect(health.status).toBe(200);
    await slow;
  });
});
