import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../helpers/app.ts';
import { cleanEnv, ROOT, tempDir, trackChild } from '../helpers/cli.ts';

/**
 * The package's own launcher, which runs the native binary of its platform package. Its `bin`
 * is a placeholder until a postinstall script replaces it, and npm 11 runs no dependency install
 * scripts (package.json `allowScripts`): the launcher works either way.
 */
const CLAUDE = [
  process.execPath,
  join(ROOT, 'node_modules', '@anthropic-ai', 'claude-code', 'cli-wrapper.cjs'),
] as const;

/** Why the real CLI cannot run here, or undefined when it can. */
function unavailableReason(): string | undefined {
  const probe = spawnSync(CLAUDE[0], [CLAUDE[1], '--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `claude --version failed: ${probe.error.message}`;
  if (probe.status !== 0) return `claude --version exited ${probe.status}: ${probe.stderr.trim()}`;
  return undefined;
}
const skipReason = unavailableReason();
if (skipReason) console.warn(`Claude Code conformance skipped: ${skipReason}`);

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts('alice.pro@gmail.com', 'carol.ultra@gmail.com');
});
afterAll(async () => {
  await env.close();
});

/** `claude -p` as clients.md runs it: its own HOME, no telemetry, the proxy as its API. */
function runClaude(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = tempDir('bm-claude-home-');
  mkdirSync(join(home, '.claude'));
  // Onboarding done: otherwise it first checks api.anthropic.com, which is not reachable here.
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
  return new Promise((resolve) => {
    const child = spawn(CLAUDE[0], [CLAUDE[1], ...args], {
      cwd: home,
      env: cleanEnv({
        HOME: home,
        ANTHROPIC_BASE_URL: env.url,
        ANTHROPIC_API_KEY: 'conformance-key',
        DISABLE_TELEMETRY: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
        CLAUDE_CONFIG_DIR: join(home, '.claude'),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function logRows() {
  env.server.ctx.proxy.log.flush();
  return env.server.ctx.proxy.log.recent(100);
}

describe.skipIf(skipReason !== undefined)('Claude Code through the proxy', () => {
  it('claude -p with --model gets the simulator reply', async () => {
    const result = await runClaude([
      '-p',
      'Say hi to the otters',
      '--model',
      'sonnet',
      '--output-format',
      'text',
      '--max-turns',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Simulated reply from claude-sonnet-4-6');
    expect(result.stdout).toContain('Say hi to the otters');
  }, 120_000);

  it('claude -p without --model: its own default model id is mapped by the default rules', async () => {
    const result = await runClaude([
      '-p',
      'What is the capital of Peru?',
      '--output-format',
      'text',
      '--max-turns',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Simulated reply from claude-/);
    const row = logRows().find(
      (candidate) => candidate.protocol === 'anthropic' && candidate.route === '/v1/messages',
    );
    expect(row?.requestedModel).toMatch(/^claude-/);
    expect(row?.mappedModel).toMatch(/^claude-(opus|sonnet)-4-6/);
    expect(row?.status).toBe(200);
  }, 120_000);
});

describe('Claude Code’s background requests', () => {
  it('its recorded session-title request is routed to the cheap model and marked in the log', async () => {
    const recorded = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'anthropic', 'claude-code-title-request.json'), 'utf8'),
    ) as { headers: Record<string, string>; body: Record<string, unknown> };
    const response = await fetch(`${env.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { ...recorded.headers, 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify(recorded.body),
    });
    expect(response.status).toBe(200);
    await response.text();
    const row = logRows()[0]!;
    expect(row).toMatchObject({
      protocol: 'anthropic',
      routed: true,
      mappedModel: 'gemini-3-flash',
      status: 200,
    });
    expect(row.mappingRule).toContain('background');
  });
});
