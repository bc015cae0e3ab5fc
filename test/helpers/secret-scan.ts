/**
 * The test run's log capture and the scan of it for secrets (issue #20: "a test scans the logs of
 * the whole test run for every secret the tests used"). Every in-process server of the tests logs
 * at debug level into a file of the run's log folder, every CLI child's output is appended there
 * when it exits, and the global teardown fails the run when any of those lines holds a secret.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';

/** Not under the `bm-test-<run>-` prefix: the temp-folder check must not see it as a leftover. */
export function logFolder(run: string): string {
  return join(tmpdir(), `bm-logs-${run}`);
}

/** A pino destination appending to `<folder>/<name>-<pid>.log` (synchronous: nothing is lost at exit). */
export function captureDestination(run: string, name: string): DestinationStream {
  const folder = logFolder(run);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name.replace(/[^\w.-]/g, '_')}-${process.pid}.log`);
  return { write: (line: string) => appendFileSync(file, line) };
}

export function captureText(run: string, name: string, text: string): void {
  if (!text) return;
  captureDestination(run, name).write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * The secrets tests handle, by shape: the simulator's refresh and access tokens (the same shapes
 * as Google's), our client API keys, OAuth client secrets and codes, session cookies; plus the
 * literal passwords the test sources use.
 */
const SECRET_SHAPES: Array<[string, RegExp]> = [
  ['refresh token', /1\/\/0[A-Za-z0-9_-]{20,}/g],
  ['access token', /ya29\.[A-Za-z0-9_-]{20,}/g],
  ['client API key', /\bbm-[A-Za-z0-9_-]{32}\b/g],
  ['OAuth client secret', /GOCSPX-[A-Za-z0-9_-]{20,}/g],
  ['session cookie', /bm_session=[A-Za-z0-9_-]{20,}/g],
];

/** Passwords written in the test sources (`adminPassword: '…'`, `password: '…'`, the env variable). */
export function passwordsInSources(sources: string[]): string[] {
  const found = new Set<string>();
  const pattern = /(?:adminPassword|password|ADMIN_PASSWORD)['"]?\s*[:=]\s*['"`]([^'"`$\n]{8,})['"`]/g;
  for (const source of sources) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

export interface SecretFinding {
  file: string;
  kind: string;
  /** The secret masked, with a little context, so the report itself leaks nothing. */
  excerpt: string;
}

function mask(secret: string): string {
  return `${secret.slice(0, 6)}…(${secret.length} chars)`;
}

export function findSecrets(text: string, file: string, passwords: readonly string[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [kind, shape] of SECRET_SHAPES)
    for (const match of text.matchAll(shape)) findings.push({ file, kind, excerpt: mask(match[0]) });
  for (const password of passwords) {
    // A password is only a leak where it stands as a value, not inside a longer word.
    const at = text.indexOf(password);
    if (at >= 0) findings.push({ file, kind: 'password', excerpt: mask(password) });
  }
  return findings;
}

/** Scans every captured log of a run; returns the findings and how much was scanned. */
export function scanRunLogs(
  run: string,
  passwords: readonly string[],
): { files: number; bytes: number; findings: SecretFinding[] } {
  const folder = logFolder(run);
  let files = 0;
  let bytes = 0;
  const findings: SecretFinding[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return { files, bytes, findings };
  }
  for (const name of names) {
    const text = readFileSync(join(folder, name), 'utf8');
    files += 1;
    bytes += text.length;
    findings.push(...findSecrets(text, name, passwords));
  }
  return { files, bytes, findings };
}
