import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envLayer } from '../config/env.ts';
import type { Layer } from '../config/layers.ts';
import { readConfigFile, SettingsError, validateLayer } from '../config/resolve.ts';
import { SettingsService } from '../config/settings-service.ts';
import { CliError, EXIT_CONFIG, EXIT_RUNTIME } from '../errors.ts';
import { defaultDataDir } from '../paths.ts';
import { DATABASE_FILE_NAME, Store } from '../store/database.ts';
import { migrate } from '../store/migrations.ts';
import { SettingsTable } from '../store/settings-table.ts';

export interface DataFolderOptions {
  dataDir?: string;
  config?: string;
  flags: Layer;
  env: NodeJS.ProcessEnv;
}

export interface OpenDataFolder {
  dataDir: string;
  store: Store;
  settings: SettingsService;
  close(): void;
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? (env.BETTER_MANAGER_DATA_DIR || defaultDataDir()));
}

/**
 * Opens the data folder (database migrated, settings resolved). Used by `serve` and by the
 * `accounts` commands; every expected failure is a CliError with its exit code.
 */
export function openDataFolder(options: DataFolderOptions): OpenDataFolder {
  const dataDir = resolveDataDir(options.dataDir, options.env);
  const configPath = resolve(options.config ?? join(dataDir, 'config.json'));
  const envSettings = envLayer(options.env);
  let store: Store | undefined;
  try {
    // Sources that need no database are checked first, so a typo never creates a data folder.
    validateLayer(options.flags);
    validateLayer(envSettings);
    validateLayer(readConfigFile(configPath, options.config !== undefined));
    mkdirSync(dataDir, { recursive: true });
    store = new Store(join(dataDir, DATABASE_FILE_NAME));
    migrate(store);
    const settings = new SettingsService({
      table: new SettingsTable(store),
      configPath,
      configExplicit: options.config !== undefined,
      env: envSettings,
      flags: options.flags,
    });
    const opened = store;
    return {
      dataDir,
      store: opened,
      settings,
      close() {
        settings.close();
        opened.close();
      },
    };
  } catch (error) {
    store?.close();
    if (error instanceof SettingsError) throw new CliError(error.message, EXIT_CONFIG);
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot open the data folder ${dataDir}: ${(error as Error).message}`, EXIT_RUNTIME);
  }
}
