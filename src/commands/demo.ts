import { constants } from 'node:os';
import type { Layer } from '../config/layers.ts';
import type { AppContext } from '../context.ts';
import { CliError, EXIT_RUNTIME } from '../errors.ts';
import { startServer, type RunningServer } from '../server/serve.ts';
import { startSimulator, upstreamSettingsFor, type Simulator } from '../simulator/index.ts';
import { createDemoFolder, removeDemoFolder, removeOrphanedDemoFolders } from './demo-folders.ts';

export interface DemoOptions {
  flags: Layer;
  open?: boolean;
}

/** Signals that end the process while the demo starts (afterwards the CLI stops it gracefully). */
const START_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The app on a temporary data folder, wired to an in-process Google simulator with its sample
 * accounts imported before it listens (so /health answers only once they are there): every page
 * and client can be tried without a Google account, and the user's real data folder is never
 * touched. The folder is removed however the process ends, short of SIGKILL.
 */
export async function startDemo(options: DemoOptions): Promise<RunningServer> {
  const orphansRemoved = removeOrphanedDemoFolders();
  const dataDir = createDemoFolder();
  const removeFolder = () => void removeDemoFolder(dataDir);
  // A second signal exits at once, an error may end the process: the folder goes in every case.
  process.on('exit', removeFolder);
  // Until the server runs, a signal ends the process at once (the exit handler removes the folder).
  const exitAtOnce = (signal: NodeJS.Signals) => process.exit(128 + constants.signals[signal]);
  for (const signal of START_SIGNALS) process.on(signal, exitAtOnce);

  let sim: Simulator | undefined;
  try {
    sim = await startSimulator();
    const flags: Layer = {
      ...options.flags,
      values: {
        ...options.flags.values,
        upstream: upstreamSettingsFor(sim),
      },
    };
    const simulator = sim;
    const server = await startServer({
      dataDir,
      flags,
      // The rest of the environment may point at the real data folder or at Google; the admin
      // password only protects the demo, as it would any server.
      env: adminPasswordOnly(process.env),
      open: options.open,
      demo: true,
      accounts: { onboardPollMs: 200 },
      beforeListen: (ctx) => importSampleAccounts(ctx, simulator, dataDir, orphansRemoved),
      onStopped: async () => {
        await simulator.close();
        removeFolder();
      },
    });
    server.ctx.logger.info(`DEMO MODE: open ${server.url}`);
    return server;
  } catch (error) {
    await sim?.close();
    removeFolder();
    throw error;
  } finally {
    for (const signal of START_SIGNALS) process.off(signal, exitAtOnce);
  }
}

function adminPasswordOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const password = env.BETTER_MANAGER_ADMIN_PASSWORD;
  return password ? { BETTER_MANAGER_ADMIN_PASSWORD: password } : {};
}

async function importSampleAccounts(
  ctx: AppContext,
  sim: Simulator,
  dataDir: string,
  orphansRemoved: number,
): Promise<void> {
  const { logger } = ctx;
  logger.info(
    `DEMO MODE: simulated Google at ${sim.url}; temporary data folder ${dataDir} (removed at exit)`,
  );
  if (orphansRemoved > 0) {
    logger.info(`DEMO MODE: removed ${orphansRemoved} data folder(s) left by earlier demos that were killed`);
  }
  try {
    const results = await ctx.accounts.service.importItems(
      sim.accounts.map((account) => ({ refreshToken: account.refreshToken })),
    );
    const stored = results.filter((result) => result.outcome !== 'failed').length;
    logger.info(`DEMO MODE: ${stored} sample accounts imported`);
  } catch (error) {
    throw new CliError(
      `The demo could not import its sample accounts: ${(error as Error).message}`,
      EXIT_RUNTIME,
    );
  }
}
