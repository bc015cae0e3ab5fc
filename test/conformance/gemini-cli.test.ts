import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { cleanEnv, freePort, ROOT, spawnCli, stopCli, tempDir, waitForHealth } from '../helpers/cli.ts';

const GEMINI = join(ROOT, 'node_modules', '.bin', 'gemini');

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts('alice.pro@gmail.com', 'carol.ultra@gmail.com');
});
afterAll(async () => {
  await env.close();
});

/** Runs the real Gemini CLI non-interactively against the proxy, as clients.md describes. */
function runGemini(
  args: string[],
  baseUrl = env.url,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = tempDir('bm-gemini-home-');
  mkdirSync(join(home, '.gemini'));
  writeFileSync(
    join(home, '.gemini', 'settings.json'),
    JSON.stringify({
      security: { auth: { selectedType: 'gemini-api-key' } },
      selectedAuthType: 'gemini-api-key',
      privacy: { usageStatisticsEnabled: false },
      usageStatisticsEnabled: false,
      general: { disableAutoUpdate: true, disableUpdateNag: true },
      telemetry: { enabled: false },
    }),
  );
  // The CLI lists its working folder for the model's context; run it in a folder of its own, away
  // from ~/.gemini, where its lock files come and go while it lists them.
  const workspace = join(home, 'workspace');
  mkdirSync(workspace);
  return new Promise((resolve) => {
    const child = spawn(GEMINI, args, {
      cwd: workspace,
      env: cleanEnv({
        HOME: home,
        GOOGLE_GEMINI_BASE_URL: baseUrl,
        GEMINI_API_KEY: 'conformance-key',
        GEMINI_CLI_NO_RELAUNCH: 'true',
        GEMINI_TELEMETRY_ENABLED: 'false',
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Gemini CLI through the proxy', () => {
  it('gets the simulator reply for a chosen model', async () => {
    const result = await runGemini(['-p', 'Say hi', '-m', 'gemini-3-flash']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Simulated reply from gemini-3-flash');
  }, 90_000);

  it('gets the simulator reply with its own default model', async () => {
    const result = await runGemini(['-p', 'Say hi']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Simulated reply from gemini-/);
    env.server.ctx.proxy.log.flush();
    const rows = env.server.ctx.proxy.log.recent(50);
    expect(rows.every((row) => row.status === 200)).toBe(true);
  }, 90_000);

  it('runs without -m against `better-manager demo`: its reply quotes the prompt, and nothing but its own banner on stderr', async () => {
    const port = await freePort();
    const demo = spawnCli(['demo', '--port', String(port)]);
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, 20_000);
      const prompt = 'What is the capital of Peru?';
      const result = await runGemini(['-p', prompt], `http://127.0.0.1:${port}`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`"${prompt}"`);
      // The CLI's own start-up notes only: no retries, no errors, no warnings about the answers.
      const banner = [
        /^Warning: 256-color support not detected/,
        /^Ripgrep is not available/,
        /^\[STARTUP\]/,
      ];
      const foreign = result.stderr
        .split('\n')
        .filter((line) => line.trim() !== '' && !banner.some((pattern) => pattern.test(line)));
      expect(foreign).toEqual([]);
    } finally {
      await stopCli(demo);
    }
  }, 90_000);
});
