// Bundles the server with its dependencies into dist/ (the published package has no runtime
// dependency tree) and writes the licences of everything bundled into dist/THIRD_PARTY_NOTICES.txt.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const started = Date.now();
// The large dependencies become modules of their own: V8 compiles each module in one go and keeps
// the peak of its parser memory (freed, but not given back by malloc) for the life of the process,
// so one 2.3 MB module cost 16 MB where the biggest of these costs 4. The `demo` command's
// simulator is loaded by a dynamic import, so `serve` never reads it.
const SEPARATE_MODULES = {
  // Only the parts of undici the app imports (src/google/undici-parts.ts), not its index.
  undici: [
    'undici/lib/dispatcher/agent.js',
    'undici/lib/dispatcher/proxy-agent.js',
    'undici/lib/api/api-request.js',
  ],
  fastify: ['fastify'],
  zod: ['zod'],
  pino: ['pino'],
  commander: ['commander'],
};
const result = await build({
  entryPoints: {
    cli: join(root, 'src/cli.ts'),
    ...Object.fromEntries(Object.keys(SEPARATE_MODULES).map((name) => [`vendor-${name}`, `vendor:${name}`])),
  },
  outdir: dist,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [
    {
      name: 'vendor-entries',
      setup(builder) {
        builder.onResolve({ filter: /^vendor:/ }, (args) => ({
          path: args.path.slice('vendor:'.length),
          namespace: 'vendor',
        }));
        builder.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
          contents: SEPARATE_MODULES[args.path].map((module) => `export * from '${module}';`).join('\n'),
          resolveDir: root,
        }));
      },
    },
  ],
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

// A bundle of pure ASCII is held by V8 as a one-byte string: any other character doubles the memory
// its source takes for the life of the process (2.3 MB more). esbuild escapes strings but not regex
// literals or String.raw templates, so those must spell such characters as \\uXXXX. (The readable
// build for debugging keeps comments, which may hold any character.)
for (const file of process.env.BM_BUILD_READABLE ? [] : result.outputFiles) {
  const at = file.contents.findIndex((byte) => byte > 0x7f);
  if (at >= 0) {
    const text = Buffer.from(file.contents.subarray(Math.max(0, at - 60), at + 20)).toString('utf8');
    console.error(`build: a non-ASCII character in ${relative(root, file.path)} near: ${text}`);
    process.exit(1);
  }
}

// Written beside and renamed, so a process starting (or a parallel test run) never sees half a
// bundle; the entry last, once every chunk it imports is in place. Chunks of an earlier build that
// this one no longer writes (their names carry a content hash) go afterwards.
const entry = join(dist, 'cli.js');
const outputs = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
for (const file of outputs) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
const written = new Set(outputs.map((file) => file.path));
for (const name of readdirSync(dist)) {
  if (/^(chunk|vendor)-.*\.js$/.test(name) && !written.has(join(dist, name)))
    rmSync(join(dist, name), { force: true });
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

const size = outputs.reduce((sum, file) => sum + file.contents.length, 0);
const where = relative(root, join(dist, 'cli.js')).split(sep).join('/');
if (!process.env.BM_BUILD_QUIET) {
  console.log(
    `built ${where} and ${outputs.length - 1} chunks: ${(size / 1024).toFixed(0)} KiB, ${packages.size} bundled packages, ${Date.now() - started} ms`,
  );
}
if (!existsSync(join(dist, 'cli.js'))) process.exit(1);

// The dashboard, served by the same process from dist/web.
await import('./build-web.mjs');
