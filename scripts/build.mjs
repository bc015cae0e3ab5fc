// Bundles the server with its dependencies into dist/ (the published package has no runtime
// dependency tree) and writes the licences of everything bundled into dist/THIRD_PARTY_NOTICES.txt.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const started = Date.now();
const result = await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(dist, 'cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22.13',
  minify: process.env.BM_BUILD_READABLE ? false : true,
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
  // CommonJS dependencies call require() and use __dirname; give the ESM bundle both.
  banner: {
    js: [
      "import { createRequire as __bmCreateRequire } from 'node:module';",
      "import { fileURLToPath as __bmFileURLToPath } from 'node:url';",
      "import { dirname as __bmDirname } from 'node:path';",
      'const require = __bmCreateRequire(import.meta.url);',
      'const __filename = __bmFileURLToPath(import.meta.url);',
      'const __dirname = __bmDirname(__filename);',
    ].join('\n'),
  },
});

// Written beside and renamed, so a process starting (or a parallel test run) never sees half a bundle.
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}

/** Every package folder under node_modules that contributed code to the bundle. */
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) continue;
  const nameParts = parts[at + 1]?.startsWith('@')
    ? parts.slice(at + 1, at + 3)
    : parts.slice(at + 1, at + 2);
  const dir = join(root, ...parts.slice(0, at + 1), ...nameParts);
  packages.set(dir, nameParts.join('/'));
}

const notices = [];
for (const [dir, name] of [...packages].sort((a, b) => a[1].localeCompare(b[1]))) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(file));
  const text = licenceFile
    ? readFileSync(join(dir, licenceFile), 'utf8').trim()
    : `License: ${pkg.license ?? 'unknown'}`;
  notices.push(`${name}@${pkg.version} (${pkg.license ?? 'unknown'})\n${'-'.repeat(72)}\n${text}\n`);
}
writeFileSync(
  join(dist, 'THIRD_PARTY_NOTICES.txt'),
  `Better Manager bundles the following packages. Their licences follow.\n\n${notices.join('\n\n')}`,
);

const size = readFileSync(join(dist, 'cli.js')).length;
const where = relative(root, join(dist, 'cli.js')).split(sep).join('/');
if (!process.env.BM_BUILD_QUIET) {
  console.log(
    `built ${where}: ${(size / 1024).toFixed(0)} KiB, ${packages.size} bundled packages, ${Date.now() - started} ms`,
  );
}
if (!existsSync(join(dist, 'cli.js'))) process.exit(1);
