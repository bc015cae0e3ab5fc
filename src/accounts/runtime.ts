import type { Logger } from 'pino';
import type { SettingsService } from '../config/settings-service.ts';
import { CodeAssistClient } from '../google/code-assist-client.ts';
import { UpstreamHttp } from '../google/http.ts';
import { GoogleOAuthClient } from '../google/oauth-client.ts';
import { loadSecretKey, SecretBox } from '../secrets/secret-box.ts';
import { AccountsTable } from '../store/accounts-table.ts';
import type { Store } from '../store/database.ts';
import { OAuthFlowsTable } from '../store/oauth-flows-table.ts';
import { QuotaTable } from '../store/quota-table.ts';
import { AccountDiscovery } from './discovery.ts';
import { OAuthFlows } from './oauth-flow.ts';
import { QuotaScheduler } from './quota-scheduler.ts';
import { AccountsService } from './service.ts';
import { TokenManager } from './token-manager.ts';

export interface AccountsRuntimeOptions {
  store: Store;
  settings: SettingsService;
  dataDir: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  onboardPollMs?: number;
}

/** The accounts part of the app, wired once: used by the server and by the `accounts` CLI commands. */
export interface AccountsRuntime {
  http: UpstreamHttp;
  oauth: GoogleOAuthClient;
  codeAssist: CodeAssistClient;
  tokens: TokenManager;
  service: AccountsService;
  flows: OAuthFlows;
  scheduler: QuotaScheduler;
  close(): Promise<void>;
}

export function createAccountsRuntime(options: AccountsRuntimeOptions): AccountsRuntime {
  const { store, settings, now } = options;
  const box = new SecretBox(loadSecretKey(options.dataDir, options.env));
  const http = new UpstreamHttp(settings);
  const oauth = new GoogleOAuthClient(http, settings, now);
  const codeAssist = new CodeAssistClient(http, settings, now);
  const accounts = new AccountsTable(store);
  // The token manager reports status changes through the service, which is built after it.
  const serviceRef: { current?: AccountsService } = {};
  const tokens = new TokenManager({
    accounts,
    box,
    oauth,
    now,
    onAccountChanged: (id) => serviceRef.current?.emit('changed', id),
  });
  const discovery = new AccountDiscovery({ oauth, codeAssist, now, onboardPollMs: options.onboardPollMs });
  const service = new AccountsService({
    accounts,
    quotas: new QuotaTable(store),
    box,
    tokens,
    oauth,
    discovery,
    settings,
    now,
  });
  serviceRef.current = service;
  const flows = new OAuthFlows({
    flows: new OAuthFlowsTable(store),
    box,
    oauth,
    accounts: service,
    settings,
    now,
  });
  const scheduler = new QuotaScheduler(service, settings, options.logger);
  return {
    http,
    oauth,
    codeAssist,
    tokens,
    service,
    flows,
    scheduler,
    async close() {
      await scheduler.stop();
      await http.close();
    },
  };
}
