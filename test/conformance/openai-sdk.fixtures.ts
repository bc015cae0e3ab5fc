/**
 * The test environment shared by the openai-sdk-*.test.ts files: the app wired to the simulator,
 * accounts A (current) and C, the official openai client, and a picture served by URL.
 * Each test file calls useOpenAiSdkEnvironment() once and gets an environment of its own.
 */
import { createServer, type Server } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { PLACEHOLDER_PNG } from '../../src/simulator/reply-plan.ts';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';

export const A = 'alice.pro@gmail.com';
export const C = 'carol.ultra@gmail.com';
export const CLAUDE = 'claude-sonnet-4-6';
export const GEMINI3 = 'gemini-3-flash';

export let env: TestEnvironment;
export let client: OpenAI;
let images: Server;
export let imageUrl: string;
export let accountA: string;

/** Starts the environment before the calling file's tests and closes it after them. */
export function useOpenAiSdkEnvironment(): void {
  beforeAll(async () => {
    env = await startTestEnvironment({ settings: { scheduling: { mode: 'current-first' } } });
    const [a] = await env.importAccounts(A, C);
    accountA = a!;
    await env.api('POST', `/api/accounts/${a}/current`);
    client = new OpenAI({ baseURL: `${env.url}/v1`, apiKey: 'any-key', maxRetries: 0 });
    // A picture on the network, as apps send them by URL.
    images = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(Buffer.from(PLACEHOLDER_PNG, 'base64'));
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}/otter.png`;
  });
  afterAll(async () => {
    await new Promise((resolve) => images.close(resolve));
    await env.close();
  });
}

export type Body = { request: { contents: Array<{ parts: Array<Record<string, unknown>> }> } };
export const generations = () => env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');
