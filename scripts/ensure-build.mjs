// `npm start` in a clone: builds dist/ first when it is missing or older than the sources, so
// `npm install && npm start` works without an install script (the package builds in `prepack`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSupportedNode } from '../bin/node-version.mjs';

assertSupportedNode();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli.js');
const dashboard = join(root, 'dist', 'web', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

const sources = [
  join(root, 'src'),
  join(root, 'web'),
  join(root, 'package-lock.json'),
  join(root, 'scripts', 'build.mjs'),
  join(root, 'scripts', 'build-web.mjs'),
];
const stale =
  !existsSync(built) ||
  !existsSync(dashboard) ||
  sources.some((source) => existsSync(source) && newestMtime(source) > statSync(built).mtimeMs);
if (stale)
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
