import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { hasAdminPassword } from '../admin/admin-password.ts';
import type { Layer } from '../config/layers.ts';
import type { AppContext } from '../context.ts';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { openBrowser } from '../open-browser.ts';
import { isLoopbackHost } from '../paths.ts';
import { openDataFolder } from './data-folder.ts';
import { VERSION } from '../version.ts';
import { createAccountsRuntime, type AccountsRuntimeOptions } from '../accounts/runtime.ts';
import { createProxyRuntime } from '../proxy/runtime.ts';

export interface ServeOptions {
  dataDir?: string;
  config?: string;
  open?: boolean;
  flags: Layer;
  env?: NodeJS.ProcessEnv;
  /** Shown to the dashboard (`/api/config`) so it can display the demo banner. */
  demo?: boolean;
  /** Test and demo knobs for the accounts part (e.g. a faster onboarding poll). */
  accounts?: Pick<AccountsRuntimeOptions, 'onboardPollMs' | 'now'>;
  /**
   * Runs after the app is built and before it listens, so that /health answers only once it is done
   * (the demo imports its sample accounts here). A failure stops the start.
   */
  beforeListen?: (ctx: AppContext) => Promise<void>;
  /** Called after the server stopped (the demo removes its temporary folder here). */
  onStopped?: () => void | Promise<void>;
  /** Where log lines go instead of standard output (the tests keep them to scan them for secrets). */
  logDestination?: DestinationStream;
}

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Stops accepting, lets in-flight requests finish (at most `graceMs`), closes the database. */
  stop(graceMs?: number): Promise<void>;
}

/** Opens the data folder and settings, then listens; every expected failure is a CliError. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const { dataDir, store, settings } = openDataFolder({
    dataDir: options.dataDir,
    config: options.config,
    flags: options.flags,
    env,
  });

  const { host, port, logLevel } = settings.current.server;
  if (!isLoopbackHost(host) && !hasAdminPassword(settings, store)) {
    settings.close();
    store.close();
    throw new CliError(
      `Refusing to listen on ${host} without an admin password: anyone on the network could use your accounts. ` +
        "Set BETTER_MANAGER_ADMIN_PASSWORD (or server.adminPassword in the config file, or one in the dashboard's " +
        'Settings while listening on 127.0.0.1), or use --host 127.0.0.1.',
      EXIT_CONFIG,
    );
  }

  const logger = createLogger(logLevel, options.logDestination);
  let accounts;
  try {
    accounts = createAccountsRuntime({ store, settings, dataDir, logger, env, ...options.accounts });
  } catch (error) {
    settings.close();
    store.close();
    throw new CliError(`Cannot read the secret key: ${(error as Error).message}`, EXIT_RUNTIME);
  }
  const proxy = createProxyRuntime({
    store,
    settings,
    accounts: accounts,
    logger,
    now: options.accounts?.now,
  });
  const ctx: AppContext = {
    settings,
    store,
    logger,
    version: VERSION,
    dataDir,
    accounts,
    proxy,
    demo: options.demo ?? false,
  };
  const app = await buildApp(ctx, { logRequests: logLevel === 'debug' || logLevel === 'trace' });
  settings.watchConfigFile(logger);
  settings.on(
    'change',
    (next) => logger.level !== next.server.logLevel && (logger.level = next.server.logLevel),
  );

  const closeAll = async () => {
    await app.close().catch(() => undefined);
    proxy.close();
    await accounts.close();
    settings.close();
    store.close();
  };
  if (options.beforeListen) {
    try {
      await options.beforeListen(ctx);
    } catch (error) {
      await closeAll();
      throw error;
    }
  }

  try {
    await app.listen({ host, port });
  } catch (error) {
    await closeAll();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(
        `Port ${port} is already in use on ${host}. Stop the program using it or start with --port <another port>.`,
        EXIT_RUNTIME,
      );
    }
    if (code === 'EACCES')
      throw new CliError(`Not allowed to listen on ${host}:${port} (${code}).`, EXIT_RUNTIME);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CliError(`Cannot listen on ${host}: no such address on this machine.`, EXIT_CONFIG);
    }
    throw new CliError(`Cannot listen on ${host}:${port}: ${(error as Error).message}`, EXIT_RUNTIME);
  }

  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${boundPort}`;
  logger.info({ url, dataDir, version: VERSION }, `Better Manager ${VERSION} listening on ${url}`);

  accounts.scheduler.start();
  if (options.open) {
    void openBrowser(url).then((problem) => {
      if (problem) logger.warn(`--open ignored: ${problem}. Open ${url} yourself.`);
    });
  }

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 30_000): Promise<void> => {
    stopping ??= (async () => {
      const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
      force.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(force);
        proxy.close();
        await accounts.close();
        settings.close();
        store.close();
        logger.flush();
        await options.onStopped?.();
      }
    })();
    return stopping;
  };

  return { app, ctx, url, stop };
}
