import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Layer } from '../config/layers.ts';
import { CliError, EXIT_RUNTIME } from '../errors.ts';
import { startServer, type RunningServer } from '../server/serve.ts';
import { startSimulator, upstreamSettingsFor } from '../simulator/index.ts';

export interface DemoOptions {
  flags: Layer;
  open?: boolean;
}

/**
 * The app on a temporary data folder, wired to an in-process Google simulator with its sample
 * accounts imported: every page and client can be tried without a Google account, and the
 * user's real data folder is never touched.
 */
export async function startDemo(options: DemoOptions): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'better-manager-demo-'));
  const sim = await startSimulator();
  const removeFolder = () => rmSync(dataDir, { recursive: true, force: true });
  const flags: Layer = {
    ...options.flags,
    values: {
      ...options.flags.values,
      upstream: upstreamSettingsFor(sim),
    },
  };
  let server: RunningServer;
  try {
    server = await startServer({
      dataDir,
      flags,
      env: {},
      open: options.open,
      demo: true,
      accounts: { onboardPollMs: 200 },
      onStopped: async () => {
        await sim.close();
        removeFolder();
      },
    });
  } catch (error) {
    await sim.close();
    removeFolder();
    throw error;
  }
  const { logger } = server.ctx;
  logger.info(
    `DEMO MODE: simulated Google at ${sim.url}; temporary data folder ${dataDir} (removed at exit)`,
  );
  try {
    const results = await server.ctx.accounts.service.importItems(
      sim.accounts.map((account) => ({ refreshToken: account.refreshToken })),
    );
    const stored = results.filter((result) => result.outcome !== 'failed').length;
    logger.info(`DEMO MODE: ${stored} sample accounts imported; open ${server.url}`);
  } catch (error) {
    await server.stop(1000);
    throw new CliError(
      `The demo could not import its sample accounts: ${(error as Error).message}`,
      EXIT_RUNTIME,
    );
  }
  return server;
}
