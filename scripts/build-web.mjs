// Builds the dashboard (web/) into dist/web with Vite. Skipped when dist/web is newer than every
// source of it, so the test run's and `npm start`'s build stay quick; BM_BUILD_FORCE=1 rebuilds.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const stamp = join(out, 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const sources = [join(root, 'web'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
const fresh =
  !process.env.BM_BUILD_FORCE &&
  existsSync(stamp) &&
  sources.every((source) => !existsSync(source) || newestMtime(source) <= statSync(stamp).mtimeMs);

if (!fresh) {
  const started = Date.now();
  // The dashboard is always shipped as a production build. Vite takes React's development build
  // whenever NODE_ENV says anything else, and a test runner sets NODE_ENV=test for everything it
  // starts (the test run's global setup and the bundle test run this script).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  // Built beside and swapped in, so a running server never serves half a build.
  const temporary = `${out}.${process.pid}.tmp`;
  await build({
    configFile: join(root, 'web', 'vite.config.ts'),
    logLevel: process.env.BM_BUILD_QUIET ? 'warn' : 'info',
    build: { outDir: temporary, emptyOutDir: true },
  });
  const old = `${out}.${process.pid}.old`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(temporary, out);
  rmSync(old, { recursive: true, force: true });
  if (!process.env.BM_BUILD_QUIET) console.log(`built dist/web in ${Date.now() - started} ms`);
}
