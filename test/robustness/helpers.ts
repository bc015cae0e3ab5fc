import type { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SimAccountFixture, Simulator } from '../../src/simulator/index.ts';
import { DATABASE_FILE_NAME } from '../../src/store/database.ts';
import { simulatorSettings } from '../helpers/app.ts';
import { freePort, spawnCli, waitForHealth, type RunningCli } from '../helpers/cli.ts';

/**
 * `count` simulator accounts that import without onboarding (a project and a tier of their own),
 * named `<prefix>-001@example.com`, … so that a test can tell them apart from the default fixtures.
 */
export function generatedAccounts(count: number, prefix = 'robust'): SimAccountFixture[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `${prefix}-${String(index + 1).padStart(3, '0')}`;
    return { email: `${name}@example.com`, name, tier: 'pro', project: `${name}-project` };
  });
}

export interface ServingCli {
  cli: RunningCli;
  url: string;
}

/**
 * The real CLI bundle serving `dataDir`, its upstream the given simulator (through the folder's
 * config.json, as a user would configure it). Resolves once /health answers.
 */
export async function serveOnSimulator(sim: Simulator, dataDir: string): Promise<ServingCli> {
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(simulatorSettings(sim, { server: {} })));
  const port = await freePort();
  const cli = spawnCli(['serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn']);
  const url = `http://127.0.0.1:${port}`;
  // A slow shared machine may need a while to load the bundle.
  await waitForHealth(`${url}/health`, 20_000);
  return { cli, url };
}

/** `PRAGMA integrity_check` of the data folder's database, opened read-only after the app stopped. */
export function integrityCheck(dataDir: string): string {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE_NAME), { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** One SQL answer from the data folder's database, opened read-only. */
export function queryDatabase<T>(dataDir: string, sql: string): T[] {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE_NAME), { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** An admin or proxy call answered with JSON (or nothing); the status and the parsed body. */
export async function postJson<T = unknown>(
  url: string,
  body: unknown,
  method = 'POST',
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A Gemini request body with one user turn. */
export function geminiBody(text: string): {
  contents: Array<{ role: string; parts: Array<{ text: string }> }>;
} {
  return { contents: [{ role: 'user', parts: [{ text }] }] };
}

/** The process's live handles and requests by type (`TCPSocketWrap`, `Timeout`, …). */
export function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Polls `check` until it holds or `timeoutMs` passes; answers whether it held. */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Listener counts per event of each emitter, as `name.event`: a leak shows as a count that grew. */
export function listenerCounts(emitters: Record<string, EventEmitter>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, emitter] of Object.entries(emitters)) {
    for (const event of emitter.eventNames())
      counts[`${name}.${String(event)}`] = emitter.listenerCount(event);
  }
  return counts;
}

/**
 * JSON over a connection of its own that closes with the answer: unlike fetch, whose keep-alive
 * pool would hold sockets open and blur a count of the process's handles.
 */
export function requestWithoutKeepAlive<T = unknown>(
  url: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
