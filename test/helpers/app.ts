import { mergeLayers, type Layer } from '../../src/config/layers.ts';
import type { SettingsLayer } from '../../src/config/schema.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { AccountsTable } from '../../src/store/accounts-table.ts';
import {
  startSimulator,
  upstreamSettingsFor,
  type Simulator,
  type SimulatorOptions,
} from '../../src/simulator/index.ts';
import { TEST_RUN, tempDir } from './cli.ts';
import { captureDestination } from './secret-scan.ts';

export interface TestEnvironment {
  sim: Simulator;
  server: RunningServer;
  /** The app's base URL, e.g. http://127.0.0.1:43210 */
  url: string;
  dataDir: string;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
  /** Imports the simulator's accounts by email; returns their ids in the same order. */
  importAccounts(...emails: string[]): Promise<string[]>;
}

/**
 * Sets when the stored access tokens expire (all accounts, or one), through the table module as
 * the app itself writes: raw SQL on the app's connection would bypass its row cache.
 */
export function expireAccessTokens(server: RunningServer, at = 0, accountId?: string): void {
  const table = new AccountsTable(server.ctx.store);
  for (const row of accountId ? [table.get(accountId)!] : table.list()) {
    table.update(row.id, { accessTokenExpiresAt: at });
  }
}

/** Settings that point the app at a simulator. */
export function simulatorSettings(sim: Simulator, extra: SettingsLayer = {}): SettingsLayer {
  return mergeLayers(
    {
      // Debug level into the run's log capture, which the run's end scans for secrets.
      server: { port: 0, logLevel: 'debug' },
      upstream: upstreamSettingsFor(sim),
      refresh: { quotaIntervalMinutes: 0 },
    },
    extra,
  );
}

/** The real app (in this process, on a random port) wired to a fresh simulator and data folder. */
export async function startTestEnvironment(
  options: {
    simulator?: SimulatorOptions;
    settings?: SettingsLayer;
    dataDir?: string;
    now?: () => number;
  } = {},
): Promise<TestEnvironment> {
  const sim = await startSimulator(options.simulator);
  const dataDir = options.dataDir ?? tempDir();
  const flags: Layer = {
    kind: 'flag',
    label: 'test settings',
    values: simulatorSettings(sim, options.settings),
  };
  const server = await startServer({
    dataDir,
    flags,
    env: {},
    accounts: { onboardPollMs: 20, now: options.now },
    logDestination: captureDestination(TEST_RUN, 'app'),
  });
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    sim,
    server,
    url: server.url,
    dataDir,
    api,
    async importAccounts(...emails: string[]) {
      const answer = await api<{ results: Array<{ id: string; outcome: string; error?: string }> }>(
        'POST',
        '/api/accounts/import',
        {
          refreshTokens: emails.map((email) => sim.account(email).refreshToken),
        },
      );
      return answer.body.results.map((result) => {
        if (!result.id) throw new Error(`import failed: ${result.error}`);
        return result.id;
      });
    },
    async close() {
      await server.stop(1000);
      await sim.close();
    },
  };
}

/** A Gemini-shaped answer as tests read it (candidates, or an error object). */
export interface GeminiAnswer {
  candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }>;
  error: { code: number; message: string; status: string };
}
