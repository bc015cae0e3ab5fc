import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { cleanEnv, runCli } from '../helpers/cli.ts';

/** The machines' own Node (20) is the old runtime users may still have. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 13)) return candidate;
  }
  return undefined;
}

const legacyNode = oldNode();

describe('Node.js version check', () => {
  it.skipIf(!legacyNode)(
    'under an old Node it prints one line naming the needed version and exits 1',
    async () => {
      for (const args of [['--version'], ['serve'], []]) {
        const result = await runCli(args, { command: [legacyNode!, 'bin/better-manager.js'] });
        expect(result.code).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/needs Node\.js >= 22\.13\.0 \(this is v\d+\.\d+\.\d+\)/);
        expect(result.stdout).toBe('');
      }
    },
  );

  it.skipIf(!legacyNode)(
    '`npm test` and `npm start` under an old Node stop with the same line, not a test-runner crash',
    async () => {
      // npm and node from the old Node's folder come first on PATH, as on a machine that has only it.
      const env = { ...cleanEnv(), PATH: `${dirname(legacyNode!)}:${process.env.PATH ?? ''}` };
      for (const script of ['test', 'start']) {
        const result = await runCli([script], { command: ['npm', '--silent'], env, timeoutMs: 60_000 });
        expect(result.code, script).not.toBe(0);
        const lines = result.stderr
          .trim()
          .split('\n')
          .filter((line) => line.includes('better-manager'));
        expect(lines, script).toEqual([
          expect.stringMatching(/needs Node\.js >= 22\.13\.0 \(this is v\d+\./),
        ]);
        expect(result.stderr, script).not.toMatch(/groupBy|TypeError|at .*:\d+:\d+/);
      }
    },
  );

  it('runs under the current Node', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
  });
});
