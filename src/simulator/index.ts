import type { AddressInfo } from 'node:net';
import { setQuota } from './quota.ts';
import { createHandler } from './server.ts';
import { mergeRules, SimState } from './state.ts';
import type { Simulator, SimulatorOptions } from './types.ts';

/**
 * The Google simulator: OAuth and Cloud Code `v1internal` on one local listener (wire.md §1–2).
 * The `demo` command runs the product against it; the test suite uses it as its upstream.
 */

export { loadDefaultFixtures } from './fixtures.ts';
export { upstreamSettingsFor } from './settings.ts';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './state.ts';
export type {
  ErrorOutcome,
  ErrorPreset,
  HostAlias,
  ModelFamily,
  Outcome,
  OutcomeCommon,
  QuotaWindow,
  RecordedRequest,
  SimAccountFixture,
  SimAccountState,
  SimCounts,
  SimModelFixture,
  SimRules,
  SimSearchResult,
  SimThinkingRange,
  SimTier,
  Simulator,
  SimulatorOptions,
  ToolCallSpec,
} from './types.ts';

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  // Imported here, not at the top: the ESM facade of node:http costs the server's start ~40 ms.
  const { createServer } = await import('node:http');
  const state = new SimState(options);
  const closing = new AbortController();
  const server = createServer(createHandler(state, closing.signal));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    authUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    userinfoUrl: `${url}/oauth2/v2/userinfo`,
    baseUrls: [`${url}/sandbox`, `${url}/daily`, `${url}/prod`],
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    accounts: state.accountList,
    account: (email) => state.account(email),
    requests: state.requests,
    counts: state.counts,
    script: (email, model, ...outcomes) => state.script(email, model, outcomes),
    revokeRefreshToken: (email) => state.oauth.revokeRefreshTokens(state.account(email).email),
    failRefreshes: (count, status = 500) => {
      state.refreshFailures = { count, status };
    },
    setTokenLifetime: (seconds) => {
      state.tokenLifetimeSeconds = seconds;
    },
    setMinClientVersion: (version) => {
      state.minClientVersion = version;
    },
    setRules: (rules) => {
      const before = state.rules;
      state.rules = mergeRules(before, rules);
      return before;
    },
    failHost: (alias, status, count) => state.failHost(alias, status, count),
    setQuota: (email, model, fraction, resetTime) =>
      setQuota(state.account(email), model, fraction, resetTime),
    failQuotaFetch: (email, failing) => {
      state.account(email).quotaFetchFailing = failing;
    },
    nextLogin: (email) => {
      state.pendingLogin = state.account(email).email;
    },
    denyNextLogin: () => {
      state.denyNextLogin = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
