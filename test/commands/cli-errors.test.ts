import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

/** A failure a user can act on: one line on stderr, no stack trace. */
function expectOneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('unexpected error');
  return lines[0]!;
}

describe('the CLI fails in words', () => {
  it('`accounts export` into a missing folder names the folder (exit 2)', async () => {
    const dir = tempDir();
    const target = join(dir, 'no', 'such', 'out.json');
    const result = await runCli(['accounts', '--data-dir', dir, 'export', target]);
    expect(result.code).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toContain(`Cannot write ${target}`);
    expect(line).toContain(`the folder ${join(dir, 'no', 'such')} does not exist`);
    expect(existsSync(target)).toBe(false);
  });

  it('an unknown command is called unknown and the commands are listed (exit 2)', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    const line = expectOneLine(result.stderr);
    expect(line).toContain("unknown command 'frobnicate'");
    expect(line).not.toContain('too many arguments');
    for (const command of ['serve', 'demo', 'accounts']) expect(line).toContain(command);
    expect(result.stdout).toBe('');
  });

  it('an extra argument after `serve`, an unknown option or a missing argument is one line (exit 2)', async () => {
    const extra = await runCli(['serve', 'now']);
    expect(extra.code).toBe(2);
    expect(expectOneLine(extra.stderr)).toContain("serve takes no arguments (got 'now')");

    const option = await runCli(['--no-such-flag']);
    expect(option.code).toBe(2);
    expect(expectOneLine(option.stderr)).toContain("unknown option '--no-such-flag'");

    const missing = await runCli(['accounts', 'export']);
    expect(missing.code).toBe(2);
    expect(expectOneLine(missing.stderr)).toMatch(
      /missing required argument 'file'.*better-manager accounts export --help/,
    );
  });

  it('`accounts add --no-browser` with standard input at its end stops: no code was given (exit 2)', async () => {
    const started = performance.now();
    const result = await runCli(['accounts', '--data-dir', tempDir(), 'add', '--no-browser'], {
      input: '',
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(2);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.stdout).toContain('/o/oauth2/v2/auth?');
    expect(expectOneLine(result.stderr)).toMatch(/no code was given/i);
  });

  it('`accounts add --no-browser` with a bad code and then the end of input stops with the reason (exit 2)', async () => {
    const result = await runCli(['accounts', '--data-dir', tempDir(), 'add', '--no-browser'], {
      input: 'not a code\n',
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^better-manager: No valid code was given before standard input ended: That does not look like an authorization code/,
    );
  });
});
