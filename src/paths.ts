import { homedir } from 'node:os';
import { join } from 'node:path';

/** The platform's user data folder for the app (contract.md), before --data-dir or env overrides. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'better-manager');
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'better-manager');
  }
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'better-manager');
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1'
  );
}
