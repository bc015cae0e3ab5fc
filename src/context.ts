import type { Logger } from 'pino';
import type { SettingsService } from './config/settings-service.ts';
import type { Store } from './store/database.ts';
import type { AccountsRuntime } from './accounts/runtime.ts';
import type { ProxyRuntime } from './proxy/runtime.ts';

/** What every part of the app is given; built once by the CLI (or a test) and shared. */
export interface AppContext {
  settings: SettingsService;
  store: Store;
  logger: Logger;
  version: string;
  dataDir: string;
  accounts: AccountsRuntime;
  proxy: ProxyRuntime;
  /** Running as `better-manager demo` against the built-in simulator. */
  demo: boolean;
}
