import type { Simulator } from './types.ts';

/** The `upstream` settings that point the app at a running simulator (demo, tests, benchmarks). */
export function upstreamSettingsFor(sim: Simulator) {
  return {
    baseUrls: sim.baseUrls,
    oauthAuthUrl: sim.authUrl,
    oauthTokenUrl: sim.tokenUrl,
    userinfoUrl: sim.userinfoUrl,
    oauthClientId: sim.clientId,
    oauthClientSecret: sim.clientSecret,
  };
}
